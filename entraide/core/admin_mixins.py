"""Back-office pieces every domain shares."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Rows the back office may read but never add, change or delete (services write them)."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: these rows are written by the services only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: changes go through the services, with their checks and events."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: history is never deleted."""
        return False
