"""Who may set up funds, record their contributions and read their staff pages."""

from entraide.accounts.models import Viewer
from entraide.money.models import Fund


def _is_active(user: Viewer | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_set_up_funds(user: Viewer | None) -> bool:
    """Return True for staff: they create funds and set their rules."""
    return _is_active(user) and bool(user.is_staff)  # type: ignore[union-attr]


def can_manage(user: Viewer | None, fund: Fund) -> bool:
    """Return True for staff and the fund's own staff: they record contributions."""
    if not _is_active(user):
        return False
    if user.is_staff:  # type: ignore[union-attr]
        return True
    return fund.managers.filter(pk=user.pk).exists()  # type: ignore[union-attr]
