"""Lifting a log-in lock: the failed attempts of an email address are forgotten."""

from axes.utils import reset


def login_unlock(*, email: str) -> int:
    """Forget the failed log-ins of this address at once; return how many rows went.

    Staff call it from the back office, and choosing a new password calls it: the person
    proved they own the address.
    """
    return reset(username=email.strip().lower())
