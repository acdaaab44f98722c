"""An employee volunteers on work time; the company tops the hours up for the association."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.companies import services as company_services
from entraide.companies.forms import JoinForm, WorkTimeForm
from entraide.companies.jobs import accrue_topups
from entraide.companies.models import CompanyProfile, Employee, LedgerEntry, WorkTimeRequest
from entraide.companies.tests.factories import CompanyFactory, TopUpRuleFactory
from entraide.missions.forms import ApplyForm
from entraide.missions.models import Application, Participation
from entraide.missions.tests.factories import (
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.organisations.models import Membership
from entraide.testing.factories import UserFactory
from tests.browser.helpers import assert_accessible, log_in, log_out, tr

WORK_TIME = WorkTimeForm.base_fields


def test_it_takes_work_time_from_the_company_code_to_the_top_up_in_the_ledger(
    page: Page, second_page: Page, visit, time_machine, transactional_db
) -> None:
    company = CompanyFactory.create(name="Acme", slug="acme")
    CompanyProfile.objects.create(
        organisation=company,
        invitation_code="acme-2020-code",
        yearly_allowance_hours=Decimal("14.00"),
    )
    TopUpRuleFactory.create(company=company, amount_cents=1000, valid_from=date(2020, 1, 1))
    hr = UserFactory.create(email="hugo@acme.example", first_name="Hugo", language="fr")
    MembershipFactory.create(organisation=company, user=hr, role=Membership.Role.ADMINISTRATOR)
    manager = UserFactory.create(email="ivy@acme.example", first_name="Ivy", language="fr")
    Employee.objects.create(company=company, user=manager)
    worker = UserFactory.create(email="judy@example.org", first_name="Judy", language="fr")
    internal = MissionFactory.create(organisation=company, title="Renfort au tri", is_internal=True)
    MissionSlotFactory.create(mission=internal)

    restos = OrganisationFactory.create(name="Les Restos du Cœur", slug="restos")
    coordinator = UserFactory.create(email="nadia@restos.example", first_name="Nadia")
    MembershipFactory.create(organisation=restos, user=coordinator)
    mission = MissionFactory.create(organisation=restos, title="Bilan comptable solidaire")
    starts_at = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    slot = MissionSlotFactory.create(
        mission=mission, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3)
    )

    # The employee joins her company with the code HR gave out.
    visit(page, "/fr/accounts/login/?next=/fr/companies/join/")
    log_in(page, email=worker.email)
    assert_accessible(page)
    page.get_by_label(tr("fr", JoinForm.base_fields["code"].label)).fill("acme-2020-code")
    page.get_by_role("button", name=tr("fr", "Join"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/companies/acme/me/$"))
    assert_accessible(page)
    employee = Employee.objects.get(company=company, user=worker)
    # HR names her manager (in the back office, through the same service).
    company_services.employee_set_manager(employee=employee, manager=manager, actor=hr)

    # The catalogue shows her the association's mission and her company's internal one.
    page.get_by_role("navigation").get_by_role("link", name=tr("fr", "Missions")).click()
    expect(page.get_by_role("link", name="Renfort au tri")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Bilan comptable solidaire").click()
    page.get_by_label(tr("fr", ApplyForm.base_fields["message"].label)).fill(
        "Je suis comptable, sur mon temps de travail."
    )
    page.get_by_role("button", name=tr("fr", "Apply for this slot")).click()
    expect(page.get_by_role("status")).to_have_text(
        tr("fr", "Thank you! The organisation will answer soon.")
    )
    assert_accessible(page)
    application = Application.objects.get(volunteer=worker)

    # She asks for three hours of work time for it.
    visit(page, "/fr/companies/acme/me/")
    page.get_by_label(tr("fr", WORK_TIME["application"].label)).select_option(str(application.pk))
    page.get_by_label(tr("fr", WORK_TIME["hours"].label)).fill("3")
    page.get_by_role("button", name=tr("fr", "Ask for work time")).click()
    expect(page.get_by_role("status")).to_have_text(
        tr("fr", "Your request is sent to your manager.")
    )
    assert_accessible(page)
    expect(page.locator("#balance")).to_contain_text("14")

    # Her manager approves it on the approval page.
    visit(second_page, "/fr/accounts/login/?next=/fr/companies/work-time/")
    log_in(second_page, email=manager.email)
    expect(second_page).to_have_url(re.compile(r"/fr/companies/work-time/$"))
    assert_accessible(second_page)
    card = second_page.locator("li.card", has_text="Bilan comptable solidaire")
    card.get_by_label(tr("fr", "Approve")).check()
    card.get_by_role("button", name=re.compile(tr("fr", "Record the decision"))).click()
    expect(second_page.get_by_role("status")).to_have_text(tr("fr", "Your decision is recorded."))
    expect(second_page.get_by_text(tr("fr", "Nothing waits for your decision."))).to_be_visible()
    assert_accessible(second_page)
    assert WorkTimeRequest.objects.get().status == WorkTimeRequest.Status.APPROVED
    visit(page, "/fr/companies/acme/me/")
    expect(page.locator("#balance")).to_contain_text("11")

    # The association accepts her and, after the slot, confirms her three hours.
    log_out(page)
    visit(page, f"/fr/accounts/login/?next=/fr/missions/{mission.public_id}/manage/")
    log_in(page, email=coordinator.email)
    page.get_by_role("button", name=f"{tr('fr', 'Accept')} · Judy", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(tr("fr", "Saved."))
    time_machine.move_to(slot.ends_at + timedelta(hours=2), tick=True)
    visit(page, f"/fr/missions/{mission.public_id}/manage/")
    page.get_by_label(tr("fr", "Hours given by %(name)s") % {"name": "Judy"}).fill("3")
    page.get_by_role("button", name=tr("fr", "Confirm the hours")).click()
    expect(page.get_by_role("status")).to_have_text(tr("fr", "Saved."))
    assert Participation.objects.get(application=application).hours == 3

    # The nightly job accrues the company's top-up: 3 h at 10 € an hour.
    assert accrue_topups() == 1
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount_cents, entry.association) == ("accrued", 3000, restos)

    # HR finds it due in the company's dashboard and downloads the ledger.
    log_out(second_page)
    visit(second_page, "/fr/accounts/login/?next=/fr/organisations/")
    log_in(second_page, email=hr.email)
    second_page.get_by_role("link", name=re.compile(tr("fr", "Volunteering and top-ups"))).click()
    expect(second_page).to_have_url(re.compile(r"/fr/companies/acme/dashboard/$"))
    assert_accessible(second_page)
    by_association = second_page.get_by_role("table", name=tr("fr", "By association"))
    due = by_association.get_by_role("row", name=re.compile(restos.name))
    # Euros the French way, with a no-break space before the sign.
    expect(due.get_by_role("cell")).to_have_text(
        ["30,00\xa0€", "0,00\xa0€", "0,00\xa0€", "30,00\xa0€"]
    )
    with second_page.expect_download() as download_info:
        second_page.get_by_role("link", name=tr("fr", "Download the ledger (CSV)")).click()
    download = download_info.value
    assert download.suggested_filename == "acme-ledger.csv"
    with open(download.path(), encoding="utf-8-sig") as ledger:
        lines = ledger.read().splitlines()
    assert len(lines) == 2
    assert "Les Restos du Cœur" in lines[1] and "30.00" in lines[1] and "3000" in lines[1]
