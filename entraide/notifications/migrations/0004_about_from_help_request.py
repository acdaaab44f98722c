"""Carry each message's request over to the generic `about` pair (and back, if reversed)."""

from django.db import migrations
from django.db.models import F

HELP_REQUEST = {"app_label": "help_requests", "model": "helprequest"}


def forwards(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    rows = notification.objects.filter(help_request__isnull=False)
    if not rows.exists():
        return
    content_type = apps.get_model("contenttypes", "ContentType")
    help_request_type, _ = content_type.objects.get_or_create(**HELP_REQUEST)
    # One UPDATE whatever the size of the outbox: the id is copied inside the database.
    rows.update(about_type=help_request_type, about_id=F("help_request_id"))


def backwards(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    content_type = apps.get_model("contenttypes", "ContentType")
    help_request = apps.get_model("help_requests", "HelpRequest")
    help_request_type = content_type.objects.filter(**HELP_REQUEST).first()
    if help_request_type is None:
        return
    # Messages about a request deleted since then cannot point at it again.
    notification.objects.filter(
        about_type=help_request_type, about_id__in=help_request.objects.values("pk")
    ).update(help_request_id=F("about_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("help_requests", "0003_personal_data_purged_at_blank"),
        ("notifications", "0003_notification_about"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
