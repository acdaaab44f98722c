"""Staff set up two-factor log-in, log in again with the app's code, then with a recovery code."""

import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from entraide.testing.factories import UserFactory
from tests.browser.helpers import PASSWORD, assert_accessible, tr


def _code(device: TOTPDevice, *, step: int = 0) -> str:
    """Return the six digits the person's app shows (`step` periods later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step * device.step
    return f"{totp.token():06d}"


def _log_in(page: Page, email: str) -> None:
    page.get_by_label(tr("en", "Email address")).fill(email)
    page.get_by_label(tr("en", "Password")).fill(PASSWORD)
    page.get_by_role("button", name=tr("en", "Log in")).click()


def test_staff_set_up_the_app_then_confirm_each_log_in(
    page: Page, visit, settings, transactional_db
) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    staff = UserFactory.create(
        email="dave@example.org", first_name="Dave", language="en", is_staff=True, is_superuser=True
    )

    visit(page, "/en/accounts/login/?next=/en/backoffice/", check=False)
    _log_in(page, "dave@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("en", "Set up two-factor log-in"))
    expect(page.locator("img.qr-code")).to_be_visible()
    expect(page.locator("#secret-key")).to_have_text(re.compile(r"^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$"))
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=staff)
    page.get_by_label(tr("en", "Code")).fill("000000" if _code(device) != "000000" else "111111")
    page.get_by_role("button", name=tr("en", "Turn on two-factor log-in")).click()
    expect(page.locator(".error-summary")).to_be_focused()
    page.get_by_label(tr("en", "Code")).fill(_code(device))
    page.get_by_role("button", name=tr("en", "Turn on two-factor log-in")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(tr("en", "Recovery codes"))
    codes = page.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    recovery = codes.first.text_content() or ""
    assert_accessible(page)
    page.get_by_role("link", name=tr("en", "I have kept them: continue")).click()
    expect(page).to_have_url(re.compile(r"/en/backoffice/$"))

    # A new log-in: the password, then the app's next code.
    page.context.clear_cookies()
    visit(page, "/en/accounts/login/?next=/en/backoffice/", check=False)
    _log_in(page, "dave@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("en", "Confirm it is you"))
    assert_accessible(page)
    page.get_by_label(tr("en", "Code")).fill(_code(device, step=1))
    page.get_by_role("button", name=tr("en", "Confirm")).click()
    expect(page).to_have_url(re.compile(r"/en/backoffice/$"))

    # Phone lost: a recovery code works, once.
    page.context.clear_cookies()
    visit(page, "/en/accounts/login/?next=/en/backoffice/", check=False)
    _log_in(page, "dave@example.org")
    page.get_by_label(tr("en", "Code")).fill(recovery)
    page.get_by_role("button", name=tr("en", "Confirm")).click()
    expect(page).to_have_url(re.compile(r"/en/backoffice/$"))
    expect(page.locator(".messagelist, .messages")).to_contain_text(
        tr("en", "You used a recovery code: it will not work again. Make new ones if few are left.")
    )
