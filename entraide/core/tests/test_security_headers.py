"""Security headers: a strict Content-Security-Policy, no inline code, a clean deploy check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from entraide.core.security_headers import content_security_policy, origin_of

ROOT = Path(__file__).resolve().parents[3]


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


@pytest.mark.django_db
def test_every_page_gets_a_policy_without_inline_code(client):
    answer = client.get("/en/")

    policy = _directives(answer.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert "upgrade-insecure-requests" not in policy
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "geolocation=(self)" in answer.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_the_api_and_errors_get_it_too(client):
    assert "Content-Security-Policy" in client.get("/api/goods/categories/").headers
    assert "Content-Security-Policy" in client.get("/en/no-such-page/").headers


@override_settings(
    MAP_TILE_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png",
    STATIC_URL="https://static.example.org/entraide/",
    SECURE_SSL_REDIRECT=True,
)
def test_tiles_and_static_files_elsewhere_are_allowed_and_nothing_else():
    policy = _directives(content_security_policy())

    assert policy["img-src"] == [
        "'self'",
        "https://static.example.org",
        "data:",
        "blob:",
        "https://*.tile.example.org",
    ]
    assert policy["script-src"] == ["'self'", "https://static.example.org"]
    assert policy["connect-src"] == ["'self'"]
    assert "upgrade-insecure-requests" in policy


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org"),
        ("http://127.0.0.1:8080/t/{z}.png", "http://127.0.0.1:8080"),
        ("/static/", None),
        ("", None),
        ("javascript:alert(1)", None),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin


# <script> without src that is not a JSON data block, style="", <style>, and on…= handlers.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"
    r"|\sstyle=\"|<style[\s>]|\son[a-z]+=\"",
    re.I,
)


def test_no_template_holds_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "entraide").glob("*/templates/**/*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []


def test_the_deploy_check_prints_no_warning_with_production_settings(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "entraide.config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-key-" + "y" * 20,
        "ALLOWED_HOSTS": "entraide.example.org",
        "BEHIND_HTTPS_PROXY": "true",
        "ENTRAIDE_VAR_DIR": str(tmp_path),
    }
    # The browser tests set it for Playwright in this process; a deployment never would.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    done = subprocess.run(
        [sys.executable, "-m", "entraide", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
