"""The move from a request foreign key to the generic `about` pair keeps every row's subject."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [
    ("notifications", "0002_sending_claim"),
    ("help_requests", "0003_personal_data_purged_at_blank"),
]
AFTER = [("notifications", "0005_remove_notification_help_request")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_it_carries_each_rows_request_over_and_back():
    try:
        old = _migrate(BEFORE)
        help_request = old.get_model("help_requests", "HelpRequest").objects.create(
            kind="groceries",
            requester_name="Eve",
            town="Ixelles",
            lat=50.83,
            lon=4.37,
            cell=0,
            consent_at=timezone.now(),
            expires_at=timezone.now(),
            requester_email="eve@example.org",
        )
        notification = old.get_model("notifications", "Notification")
        about = notification.objects.create(
            to_email="eve@example.org",
            language="fr",
            template="help_request_received",
            dedupe_key="about",
            help_request=help_request,
        )
        notification.objects.create(
            to_email="eve@example.org",
            language="fr",
            template="account_invitation",
            dedupe_key="none",
        )

        new = _migrate(AFTER)
        rows = new.get_model("notifications", "Notification").objects
        moved = rows.get(pk=about.pk)
        assert (moved.about_type.app_label, moved.about_type.model) == (
            "help_requests",
            "helprequest",
        )
        assert moved.about_id == help_request.pk
        assert rows.get(dedupe_key="none").about_type is None

        back = _migrate(BEFORE)
        restored = back.get_model("notifications", "Notification").objects.get(pk=about.pk)
        assert restored.help_request_id == help_request.pk
    finally:
        _migrate(_latest())
