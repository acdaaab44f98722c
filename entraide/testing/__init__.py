"""Test support for every app: factories (the personas live in the root conftest.py)."""
