"""Each territory's time zone and phone line: checked when set, used on pages and in emails."""

import html
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from entraide.missions.tests.factories import TerritoryFactory
from entraide.notifications import delivery
from entraide.notifications.models import Notification
from entraide.organisations.models import Territory
from entraide.organisations.selectors import territory_of
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_territory_takes_the_deployments_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"

    assert Territory(name="Île-de-France", country="FR").time_zone == "Europe/Paris"


def test_it_refuses_a_time_zone_that_does_not_exist():
    territory = Territory(name="Paris", country="FR", time_zone="Paris")

    with pytest.raises(ValidationError) as refused:
        territory.full_clean()

    assert refused.value.message_dict["time_zone"] == [
        "“Paris” is not a time zone; use a name like Europe/Brussels."
    ]


def test_it_stores_the_phone_line_in_e164_and_refuses_what_is_no_number():
    territory = Territory(name="Bruxelles", country="BE", phone_line="02 555 00 00")
    territory.full_clean()
    assert territory.phone_line == "+3225550000"
    assert territory.phone_line_display == "+32 2 555 00 00"

    territory.phone_line = "12"
    with pytest.raises(ValidationError) as refused:
        territory.full_clean()
    assert "phone_line" in refused.value.message_dict


def test_a_moderators_territory_comes_before_their_organisations(restos, alice):
    assert territory_of(alice) == restos.territory  # she administers a Brussels association
    paris = TerritoryFactory.create(name="Paris", country="FR", time_zone="Europe/Paris")
    paris.moderators.add(alice)

    assert territory_of(alice) == paris
    assert territory_of(UserFactory.create()) is None


def test_the_home_page_shows_the_viewers_phone_line_with_its_hours(client, restos, mona):
    restos.territory.phone_line = "+3225550000"
    restos.territory.phone_hours = "lundi-vendredi, 8 h - 20 h"
    restos.territory.save()
    restos.territory.moderators.add(mona)
    client.force_login(mona)

    page = client.get("/fr/").content.decode()

    assert '<a href="tel:+3225550000">+32 2 555 00 00</a> · lundi-vendredi, 8 h - 20 h' in page


def test_visitors_see_the_sites_phone_line_or_none(client, settings):
    settings.PHONE_LINE = "+33 1 23 45 67 89"
    settings.PHONE_LINE_HOURS = "7j/7"
    page = client.get("/fr/").content.decode()
    form = client.get(reverse("help_requests:create")).content.decode()
    for shown in (page, form):
        assert '<a href="tel:+33123456789">+33 1 23 45 67 89</a> · 7j/7' in shown

    settings.PHONE_LINE = ""
    assert "tel:" not in client.get("/fr/").content.decode()


@pytest.fixture
def paris_staff(dave):
    """Return dave, the back office's staff member, moderating a territory in Paris time."""
    paris = TerritoryFactory.create(name="Paris", country="FR", time_zone="Europe/Paris")
    paris.moderators.add(dave)
    return dave


def test_the_back_office_lists_show_the_same_local_time(client, paris_staff, settings, tmp_path):
    settings.EMAIL_BACKEND = "entraide.notifications.backends.OutboxBackend"
    settings.EMAIL_OUTBOX_DIR = tmp_path / "outbox"
    # 08:00 UTC on a December morning is 09:00 in Paris.
    with time_machine.travel(datetime(2026, 12, 7, 8, 0, tzinfo=UTC), tick=False):
        notification = Notification.objects.create(
            to_email="eve@example.org",
            language="fr",
            template="employee_invitation",
            dedupe_key="test:tz",
            context={"company_name": "Acme", "inviter_name": "Hugo", "url": "x", "valid_days": 1},
        )
        assert delivery.deliver(notification.pk) == Notification.Status.SENT
    client.force_login(paris_staff)
    with translation.override("fr"):
        outbox_url = reverse("admin:notifications_outbox")
        list_url = reverse("admin:notifications_notification_changelist")

    outbox = client.get(outbox_url).content.decode()
    listed = html.unescape(client.get(list_url).content.decode())

    assert "07/12/2026 09:00" in outbox
    assert "7 décembre 2026 09:00" in listed
    assert "08:00" not in outbox and "08:00" not in listed


def test_an_email_shows_times_in_its_recipients_territory():
    london = TerritoryFactory.create(name="London", country="GB", time_zone="Europe/London")
    moderator = UserFactory.create(email="lee@example.org")
    london.moderators.add(moderator)
    notification = Notification.objects.create(
        recipient=moderator,
        to_email=moderator.email,
        language="en",
        template="employee_invitation",
        dedupe_key="test:tz-email",
        context={"company_name": "Acme", "inviter_name": "Hugo", "url": "x", "valid_days": 1},
    )

    context = delivery.build_context(notification)

    assert str(context["time_zone"]) == "Europe/London"
    assert context["phone_line"] is None  # neither London nor the site set one
