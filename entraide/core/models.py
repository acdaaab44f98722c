"""Shared models: the workers' heartbeat, the periodic jobs' schedule, the append-only and
place bases."""

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.places import Place
from entraide.core.vocabulary import Channel
from entraide.matching.geo import cell_of


class WorkerHeartbeat(models.Model):
    """The last time each background worker said it was alive (shown by /healthz)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class ScheduledJob(models.Model):
    """When a periodic job may run next; claiming a run is a conditional UPDATE of this row."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_worker_id = models.CharField(_("last worker"), max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the row; refuse to update it."""
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        """Refuse to delete: history is never rewritten."""
        raise ValueError(f"{type(self).__name__} is append-only")


class EventRecord(AppendOnlyModel):
    """One fact in an object's life: what happened, the status change, who did it and why."""

    # The name of the foreign key to the object whose history this is (see record_event).
    subject_field: ClassVar[str]

    kind = models.CharField(_("event"), max_length=30)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Every flow can be done by phone for a caller: the channel tells how it was done.
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        if self.created_at is None:
            return self.kind
        # In the active (the viewer's territory's) zone, like every other time shown.
        return f"{self.kind} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class PlaceFields(models.Model):
    """Where something is: the address as typed, its position and the position's grid cell.

    A model may tighten a field (a help request always has a town and a position) or drop
    one it never stores (`address = None`, `cell = None`).
    """

    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    town = models.CharField(_("town"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    # Grid cell of (lat, lon), indexed so that a radius query reads only the nearby rows.
    cell = models.BigIntegerField(_("grid cell"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def has_position(self) -> bool:
        """Return True when the row has a position on the map."""
        return self.lat is not None and self.lon is not None

    @classmethod
    def position_values(cls, lat: float | None, lon: float | None) -> dict[str, Any]:
        """Return the column values for a position (for `update()` or a constructor)."""
        values: dict[str, Any] = {"lat": lat, "lon": lon}
        if any(field.name == "cell" for field in cls._meta.concrete_fields):
            values["cell"] = None if lat is None or lon is None else cell_of(lat, lon)
        return values

    def set_position(self, lat: float | None, lon: float | None) -> None:
        """Store a position (a pin, or None to forget it) and its grid cell."""
        for name, value in self.position_values(lat, lon).items():
            setattr(self, name, value)

    def set_place(self, place: Place) -> None:
        """Store the position of a geocoded place and its grid cell."""
        self.set_position(place.lat, place.lon)
