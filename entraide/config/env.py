"""Typed helpers that read settings from the environment."""

import os


def envstr(name: str, default: str) -> str:
    """Return the variable as a string, or the default when unset or empty."""
    value = os.environ.get(name, "")
    return value if value else default


def envbool(name: str, default: bool) -> bool:
    """Return the variable as a boolean ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    """Return the variable as an integer."""
    value = os.environ.get(name, "")
    return int(value) if value else default


def envfloat(name: str, default: float) -> float:
    """Return the variable as a float (for distances and probabilities, never money)."""
    value = os.environ.get(name, "")
    return float(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    """Return the variable as a comma-separated list."""
    value = os.environ.get(name, "")
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
