"""Periodic work for goods, called by the worker's scheduler (registered in GoodsConfig).

Each job handles its rows one by one, each in its own transaction: one row that fails is
logged and left for the next run, and never stops the others.
"""

import logging
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from entraide.core.errors import DomainError
from entraide.core.vocabulary import Channel
from entraide.goods import services
from entraide.goods.models import (
    LOT_OPEN_STATUSES,
    Lot,
    LotSeries,
    Offer,
    OfferStatus,
    Pickup,
    PickupStatus,
)
from entraide.goods.services._common import lot_deadline, notify_people, zone_of
from entraide.organisations.selectors import administrators

logger = logging.getLogger(__name__)

# A pickup's reminder goes out this long before its slot.
REMINDER_AHEAD = timedelta(hours=24)


def _occurrence_window(series: LotSeries, day: date) -> tuple[datetime, datetime]:
    """Return the pickup window of one day of a series, in the donor's time zone."""
    zone = zone_of(series.donor_organisation)
    return (
        datetime.combine(day, series.window_start, tzinfo=zone),
        datetime.combine(day, series.window_end, tzinfo=zone),
    )


def generate_series_lots(*, today: date | None = None) -> int:
    """Create the lots of every active series up to its horizon; return how many were new.

    Idempotent: a day that already has its lot (even one cancelled since) is skipped, and
    the unique (series, day) constraint keeps two workers from creating it twice.
    """
    today = today or timezone.localdate()
    created = 0
    series_rows = LotSeries.objects.filter(is_active=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    for series in series_rows.select_related("category", "donor_organisation__territory"):
        existing = set(series.lots.values_list("occurrence_on", flat=True))
        for day in services.series_occurrences(series, today=today):
            if day in existing:
                continue
            window = _occurrence_window(series, day)
            if window[1] <= timezone.now():
                continue
            try:
                with transaction.atomic():
                    services.lot_declare(
                        actor=None,
                        channel=Channel.SYSTEM,
                        category=series.category,
                        windows=[window],
                        donor_organisation=series.donor_organisation,
                        donor_user=series.donor_user,
                        weight_kg=series.typical_kg,
                        use_by=day + timedelta(days=series.use_by_days)
                        if series.use_by_days is not None
                        else None,
                        cold_chain=series.cold_chain,
                        divisible=series.divisible,
                        description=series.description,
                        address=series.address,
                        postcode=series.postcode,
                        town=series.town,
                        country=series.country,
                        lat=series.lat,
                        lon=series.lon,
                        series=series,
                        occurrence_on=day,
                    )
            except IntegrityError:
                continue  # another worker created this day's lot first
            except Exception:  # one series must not hold back the others
                logger.exception("Creating lot of series %s on %s failed", series.pk, day)
                continue
            created += 1
    return created


def expire_offers() -> int:
    """Let every unanswered offer past its time lapse (its goods are offered again)."""
    expired = 0
    due = Offer.objects.filter(status=OfferStatus.PROPOSED, expires_at__lte=timezone.now())
    for offer in due.select_related("lot__category", "lot__donor_organisation__territory"):
        try:
            with transaction.atomic():
                services.offer_expire(offer=offer)
        except DomainError:
            continue
        except Exception:  # one offer must not keep the others waiting
            logger.exception("Expiring goods offer %s failed", offer.pk)
            continue
        expired += 1
    return expired


def expire_lots() -> int:
    """Take off offer the lots past their pickup deadline or their last pickup window."""
    now = timezone.now()
    expired = 0
    lots = Lot.objects.filter(status__in=LOT_OPEN_STATUSES).select_related(
        "category", "donor_organisation__territory"
    )
    candidates = lots.filter(
        Q(use_by__lte=timezone.localdate() + timedelta(days=1)) | ~Q(windows__ends_at__gt=now)
    ).distinct()
    for lot in candidates:
        deadline = lot_deadline(lot)
        over = not lot.windows.filter(ends_at__gt=now).exists()
        if not over and (deadline is None or deadline > now):
            continue
        try:
            with transaction.atomic():
                services.lot_expire(lot=lot)
        except DomainError:
            continue
        except Exception:  # one lot must not keep the others on offer
            logger.exception("Expiring lot %s failed", lot.pk)
            continue
        expired += 1
    return expired


def remind_pickups() -> int:
    """Remind the association of each pickup planned within a day (once per pickup)."""
    now = timezone.now()
    due = Pickup.objects.filter(
        status=PickupStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD
    ).select_related("organisation")
    sent = 0
    for pickup in due:
        notify_people(
            administrators(pickup.organisation),
            template="goods_pickup_reminder",
            about=pickup,
            key=f"pickup:{pickup.pk}:reminder",
            context={},
        )
        sent += 1
    return sent
