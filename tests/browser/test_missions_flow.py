"""An association signs up, is verified, posts a mission; a volunteer nearby gives three hours."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.missions.forms import ApplyForm, CatalogueForm, MissionForm, SlotForm
from entraide.missions.models import Application, Certificate, Mission, Participation, Theme
from entraide.organisations.forms import OrganisationRegisterForm
from entraide.organisations.models import Membership, Organisation, Territory
from entraide.testing.factories import UserFactory, VolunteerProfileFactory
from entraide.volunteers.forms import SignUpForm
from tests.browser.helpers import assert_accessible, km_away, log_in, log_out, tr

# Where the gazetteer puts "Bruxelles"; the volunteer lives 1 km north of it.
TOWN = (50.85045, 4.34878)
SIGN_UP = SignUpForm.base_fields
REGISTER = OrganisationRegisterForm.base_fields
MISSION = MissionForm.base_fields
SLOT = SlotForm.base_fields
FILTERS = CatalogueForm.base_fields


def test_it_takes_an_association_from_sign_up_to_a_volunteer_certificate(
    page: Page, second_page: Page, visit, time_machine, transactional_db
) -> None:
    territory = Territory.objects.create(name="Bruxelles-Capitale", country="BE")
    moderator = UserFactory.create(email="marc@example.org", is_moderator=True, language="fr")
    territory.moderators.add(moderator)
    volunteer = UserFactory.create(email="vera@example.org", first_name="Vera", language="fr")
    VolunteerProfileFactory.create(
        user=volunteer, languages=["fr"], lat=TOWN[0] + 1 / 111.2, lon=TOWN[1]
    )

    # The association's administrator creates an account.
    visit(page, "/fr/volunteer/signup/")
    page.get_by_label(tr("fr", SIGN_UP["email"].label)).fill("anne@restos.example")
    page.get_by_label(tr("fr", SIGN_UP["password"].label), exact=True).fill("un mot de passe sûr")
    page.get_by_label(tr("fr", SIGN_UP["password_confirm"].label)).fill("un mot de passe sûr")
    page.get_by_label(tr("fr", SIGN_UP["first_name"].label)).fill("Anne")
    page.get_by_label(tr("fr", SIGN_UP["town"].label)).fill("Bruxelles")
    page.get_by_role("checkbox", name=tr("fr", "French"), exact=True).check()
    page.get_by_label(tr("fr", SIGN_UP["consent"].label)).check()
    page.get_by_role("button", name=tr("fr", "Create my account")).click()
    expect(page).to_have_url(re.compile(r"/fr/volunteer/$"))
    assert_accessible(page)

    # She registers the association; it waits for the territory's moderator.
    visit(page, "/fr/organisations/new/")
    page.get_by_label(tr("fr", REGISTER["name"].label)).fill("Les Restos du Cœur")
    page.get_by_label(tr("fr", Organisation.Kind.ASSOCIATION.label)).check()
    page.get_by_label(tr("fr", REGISTER["territory"].label)).select_option(label=territory.name)
    page.get_by_label(tr("fr", REGISTER["town"].label)).fill("Bruxelles")
    page.get_by_role("button", name=tr("fr", "Register the organisation")).click()
    expect(page.get_by_role("status")).to_contain_text("Les Restos du Cœur")
    assert_accessible(page)
    association = Organisation.objects.get()
    assert association.status == Organisation.Status.PENDING
    assert association.memberships.get().role == Membership.Role.ADMINISTRATOR

    # The moderator verifies it from the moderation queue.
    visit(second_page, "/fr/accounts/login/?next=/fr/organisations/moderation/")
    log_in(second_page, email=moderator.email)
    expect(second_page).to_have_url(re.compile(r"/fr/organisations/moderation/$"))
    assert_accessible(second_page)
    verify = tr("fr", "Verify")
    second_page.get_by_role("button", name=f"{verify} {association.name}").click()
    expect(second_page.get_by_role("status")).to_contain_text(
        tr("fr", Organisation.Status.VERIFIED.label)
    )
    assert_accessible(second_page)
    association.refresh_from_db()
    assert association.status == Organisation.Status.VERIFIED

    # The administrator finds the missions from My organisations and writes one.
    visit(page, "/fr/organisations/")
    page.get_by_role("link", name=re.compile(tr("fr", "Missions and applications"))).click()
    assert_accessible(page)
    page.get_by_role("link", name=tr("fr", "New mission")).click()
    assert_accessible(page)
    page.get_by_label(tr("fr", MISSION["title"].label)).fill("Distribuer des colis")
    page.get_by_label(tr("fr", MISSION["description"].label)).fill("Préparer et donner des colis.")
    page.get_by_label(tr("fr", MISSION["theme"].label)).select_option(Theme.FOOD.value)
    page.get_by_label(tr("fr", MISSION["address"].label)).fill("Rue Haute 1")
    page.get_by_label(tr("fr", MISSION["town"].label)).fill("Bruxelles")
    page.get_by_role("button", name=tr("fr", "Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/missions/[0-9a-f-]+/manage/$"))
    assert_accessible(page)
    mission = Mission.objects.get()
    assert mission.status == Mission.Status.DRAFT and mission.lat is not None

    # One slot tomorrow morning, then the verified association's mission goes out at once.
    starts_at = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    add_slot = page.get_by_role("region", name=tr("fr", "Add a slot"))
    add_slot.get_by_label(tr("fr", SLOT["starts_at"].label)).fill(f"{starts_at:%Y-%m-%dT%H:%M}")
    ends_at = starts_at + timedelta(hours=3)
    add_slot.get_by_label(tr("fr", SLOT["ends_at"].label)).fill(f"{ends_at:%Y-%m-%dT%H:%M}")
    add_slot.get_by_label(tr("fr", SLOT["capacity"].label)).fill("2")
    add_slot.get_by_role("button", name=tr("fr", "Add the slot")).click()
    expect(page.get_by_role("status")).to_have_text(tr("fr", "Saved."))
    page.get_by_role("button", name=tr("fr", "Submit for publication")).click()
    expect(page.locator(".lead .badge")).to_have_text(tr("fr", Mission.Status.PUBLISHED.label))
    assert_accessible(page)
    mission.refresh_from_db()
    assert mission.status == Mission.Status.PUBLISHED
    slot = mission.slots.get()
    assert slot.starts_at == starts_at

    # The volunteer looks for missions near Brussels (none near Liège) and applies.
    log_out(second_page)
    visit(second_page, "/fr/accounts/login/")
    log_in(second_page, email=volunteer.email)
    second_page.get_by_role("navigation").get_by_role("link", name=tr("fr", "Missions")).click()
    assert_accessible(second_page)
    second_page.get_by_label(tr("fr", FILTERS["town"].label)).fill("Liège")
    second_page.get_by_label(tr("fr", FILTERS["radius_km"].label)).fill("5")
    second_page.get_by_role("button", name=tr("fr", "Search")).click()
    expect(
        second_page.get_by_text(
            tr(
                "fr",
                "No mission matches these filters for now. Try a wider distance or fewer words.",
            )
        )
    ).to_be_visible()
    # Without a town, the catalogue measures from her own place, 1 km from the mission.
    visit(second_page, "/fr/missions/")
    card = second_page.locator("li.card", has_text="Distribuer des colis")
    expect(card).to_contain_text(km_away("fr", 1.0))
    assert_accessible(second_page)
    card.get_by_role("link", name="Distribuer des colis").click()
    assert_accessible(second_page)
    second_page.get_by_label(tr("fr", ApplyForm.base_fields["message"].label)).fill(
        "J'ai une voiture."
    )
    second_page.get_by_role("button", name=tr("fr", "Apply for this slot")).click()
    expect(second_page.get_by_role("status")).to_have_text(
        tr("fr", "Thank you! The organisation will answer soon.")
    )
    assert_accessible(second_page)
    application = Application.objects.get()
    assert application.volunteer == volunteer
    assert application.message == "J'ai une voiture."

    # The administrator accepts her.
    visit(page, f"/fr/missions/{mission.public_id}/manage/")
    row = page.locator(f"#application-{application.pk}")
    expect(row).to_contain_text("J'ai une voiture.")
    # With several applicants, each button names its volunteer for screen-reader users.
    page.get_by_role("button", name=f"{tr('fr', 'Accept')} · Vera", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(tr("fr", "Saved."))
    expect(page.locator(f"#application-{application.pk}")).to_contain_text(volunteer.email)
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED

    # The day after, the administrator confirms three hours.
    time_machine.move_to(ends_at + timedelta(hours=20), tick=True)
    visit(page, f"/fr/missions/{mission.public_id}/manage/")
    hours = page.get_by_label(
        tr("fr", "Hours given by %(name)s") % {"name": volunteer.get_full_name() or "Vera"}
    )
    expect(hours).to_have_attribute("type", "number")
    # More than the slot lasts is refused on her field, and nothing is saved.
    hours.fill("24")
    page.get_by_role("button", name=tr("fr", "Confirm the hours")).click()
    expect(page.locator(".errorlist")).to_contain_text("3 h au plus")
    assert_accessible(page)
    assert not Participation.objects.exists()
    hours.fill("3")
    page.get_by_role("button", name=tr("fr", "Confirm the hours")).click()
    expect(page.get_by_role("status")).to_have_text(tr("fr", "Saved."))
    assert_accessible(page)
    assert Participation.objects.get(application=application).hours == 3

    # The volunteer downloads her certificate of volunteering.
    visit(second_page, "/fr/missions/mine/")
    second_page.get_by_role("link", name=tr("fr", "My certificates of volunteering")).click()
    assert_accessible(second_page)
    with second_page.expect_download() as download_info:
        second_page.get_by_role(
            "link", name=f"{tr('fr', 'Download the certificate (PDF)')} · Les Restos du Cœur"
        ).click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # Anyone, logged in or not, checks the certificate's code on the public page.
    code = Certificate.objects.get(volunteer=volunteer).display_code
    visit(page, "/fr/missions/verify/")
    page.get_by_label(tr("fr", "Verification code")).fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name=tr("fr", "Check"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(tr("fr", "Unknown code"))
    assert_accessible(page)
    page.get_by_label(tr("fr", "Verification code")).fill(code.lower())
    page.get_by_role("button", name=tr("fr", "Check"), exact=True).click()
    genuine = page.get_by_role("status")
    expect(genuine).to_contain_text(tr("fr", "This certificate is genuine"))
    expect(genuine).to_contain_text("Les Restos du Cœur")
    expect(genuine).to_contain_text("3 h")
    assert_accessible(page)
