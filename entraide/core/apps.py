"""Shared building blocks: places, phone numbers, errors, layout."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    default = True
    name = "entraide.core"
    label = "core"
    verbose_name = _("Core")


class TasksDatabaseConfig(TasksAppConfig):
    """The task queue's tables, under a translated name in the back office."""

    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy str, as Django allows
