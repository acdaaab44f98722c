"""A volunteer creates an API key in the browser, a program uses it, the volunteer revokes it."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

from entraide.testing.factories import UserFactory, VolunteerProfileFactory
from tests.browser.helpers import assert_accessible, log_in, open_account_menu, tr
from tests.browser.test_small_screens import assert_no_horizontal_scrolling


def call_api(base_url: str, key: str) -> tuple[int, dict[str, object]]:
    """Call the API as a program would, with the key; return the status and the JSON body."""
    request = urllib.request.Request(  # noqa: S310 - the live test server
        f"{base_url}/api/volunteer/profile/",
        headers={"Authorization": f"Bearer {key}", "Accept-Language": "fr"},
    )
    try:
        # The live test server, on localhost.
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_volunteer_creates_uses_and_revokes_a_key(
    phone_page: Page, visit, live_server, transactional_db
) -> None:
    page = phone_page
    volunteer = UserFactory.create(email="nadia@example.org", first_name="Nadia")
    VolunteerProfileFactory(user=volunteer, languages=["fr"], town="Ixelles")
    visit(page, "/fr/accounts/login/?next=/fr/volunteer/")
    log_in(page, email=volunteer.email)

    open_account_menu(page)
    page.get_by_role("link", name=tr("fr", "My API keys")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("fr", "My API keys"))
    page.get_by_label(tr("fr", "Name")).fill("Mon tableur")
    page.get_by_role("button", name=tr("fr", "Create the key")).click()

    shown = page.get_by_label(tr("fr", "Key"), exact=True)
    expect(shown).to_be_visible()
    key = shown.input_value()
    assert key.startswith("ent_")
    assert_accessible(page)
    assert_no_horizontal_scrolling(page)

    status, body = call_api(live_server.url, key)
    assert status == 200
    assert body["town"] == "Ixelles"

    # The key is never shown again, and reloading created no other key.
    page.reload()
    expect(
        page.get_by_role("button", name=re.compile(tr("fr", "Revoke “%(name)s”")[:5]))
    ).to_have_count(1)
    expect(page.get_by_label(tr("fr", "Key"), exact=True)).to_have_count(0)
    assert key not in page.content()

    page.get_by_role("button", name=tr("fr", "Revoke “%(name)s”") % {"name": "Mon tableur"}).click()
    expect(page.get_by_role("cell", name=tr("fr", "revoked"), exact=True)).to_be_visible()
    status, body = call_api(live_server.url, key)
    assert status == 401
    assert body["detail"] == tr("fr", "This API key has been revoked.")
