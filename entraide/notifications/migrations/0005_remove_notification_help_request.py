from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_about_from_help_request"),
    ]

    operations = [
        migrations.RemoveField(model_name="notification", name="help_request"),
    ]
