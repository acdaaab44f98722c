"""A moderator reads a pending association's mission, sends it back, then publishes it."""

import re

from playwright.sync_api import Page, expect

from entraide.missions import services
from entraide.missions.models import Mission
from entraide.missions.tests.factories import (
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.organisations.models import Organisation
from entraide.testing.factories import UserFactory
from tests.browser.helpers import assert_accessible, log_in, tr


def test_a_moderator_sends_back_then_publishes_a_mission(
    page: Page, visit, transactional_db
) -> None:
    territory = TerritoryFactory.create()
    moderator = UserFactory.create(email="marc@example.org", is_moderator=True, language="fr")
    territory.moderators.add(moderator)
    association = OrganisationFactory.create(
        territory=territory, status=Organisation.Status.PENDING, name="Le Potager"
    )
    manager = UserFactory.create(email="elias@example.org")
    MembershipFactory.create(organisation=association, user=manager)
    mission = MissionFactory.create(
        organisation=association, status=Mission.Status.DRAFT, title="Arroser le potager"
    )
    MissionSlotFactory.create(mission=mission)
    services.mission_submit(mission=mission, actor=manager)

    visit(page, "/fr/accounts/login/?next=/fr/organisations/moderation/")
    log_in(page, email=moderator.email)
    expect(page).to_have_url(re.compile(r"/fr/organisations/moderation/$"))
    card = page.locator("li.card", has_text="Arroser le potager")
    expect(card).to_contain_text("Le Potager")
    assert_accessible(page)

    # The title opens a read-only review of the whole mission, then back to the queue.
    card.get_by_role("link", name="Arroser le potager").click()
    expect(page).to_have_url(re.compile(rf"/fr/missions/{mission.public_id}/review/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Arroser le potager")
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=tr("fr", "Back to the moderation queue")).click()
    card = page.locator("li.card", has_text="Arroser le potager")

    # Sending back needs a reason; without one, nothing changes and the page says why.
    send_back = tr("fr", "Send back")
    card.get_by_role("button", name=f"{send_back} Arroser le potager").click()
    expect(page.get_by_role("status")).to_contain_text(
        tr("fr", "Explain what to change: the organisation will read this reason.")
    )
    mission.refresh_from_db()
    assert mission.status == Mission.Status.SUBMITTED

    card = page.locator("li.card", has_text="Arroser le potager")
    card.get_by_label(tr("fr", "What to change (sent to the organisation)")).fill(
        "Précisez l'adresse du potager."
    )
    card.get_by_role("button", name=f"{send_back} Arroser le potager").click()
    expect(page.get_by_text(tr("fr", "No mission is waiting."))).to_be_visible()
    assert_accessible(page)
    mission.refresh_from_db()
    assert mission.status == Mission.Status.DRAFT

    # The association changes it and submits again; the moderator publishes it.
    services.mission_update(mission=mission, actor=manager, address="Rue Royale 10")
    services.mission_submit(mission=mission, actor=manager)
    page.reload()
    publish = tr("fr", "Publish")
    page.get_by_role("button", name=f"{publish} Arroser le potager").click()
    expect(page.get_by_role("status")).to_contain_text("Arroser le potager")
    mission.refresh_from_db()
    assert mission.status == Mission.Status.PUBLISHED
