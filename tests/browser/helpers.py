"""Helpers shared by the browser tests: accessibility check, translated labels, log-in, links."""

import re
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import formats, translation
from playwright.sync_api import Page, expect

SERIOUS = {"serious", "critical"}
PASSWORD = "password"  # what entraide.testing.factories.UserFactory sets

_axe = Axe()
_script_errors: "WeakKeyDictionary[Page, list[str]]" = WeakKeyDictionary()


def watch_script_errors(page: Page) -> None:
    """Record the page's uncaught JavaScript errors and what the CSP refused, to report."""
    errors: list[str] = []
    _script_errors[page] = errors
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )


def assert_no_script_errors(page: Page) -> None:
    """Fail on an uncaught script error or a Content-Security-Policy violation so far."""
    errors = _script_errors.get(page, [])
    assert not errors, "script errors or CSP violations:\n" + "\n".join(errors)


def assert_accessible(page: Page) -> None:
    """Fail on a script error, a CSP violation, or a serious or critical axe-core violation."""
    assert_no_script_errors(page)
    results = _axe.run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(node["target"][0]) for node in v["nodes"][:3] if node.get("target"))
        for v in serious
    )
    assert not serious, f"accessibility violations on {page.url}:\n{details}"


def tr(language: str, message: object) -> str:
    """Return a message (a msgid or a lazy label) as a person reading `language` sees it.

    The tests find buttons and fields by their visible, translated text, so they keep
    working once the catalogues are filled in.
    """
    with translation.override(language):
        return str(translation.gettext(message) if isinstance(message, str) else message)


def path_of(url: str) -> str:
    """Return the path (and query) of an absolute link, to open it on the live server."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(text: str, pattern: str) -> str:
    """Return the path of the first link in an email body whose path matches `pattern`."""
    for url in re.findall(r"https?://\S+", text):
        if re.search(pattern, urlsplit(url).path):
            return path_of(url)
    raise AssertionError(f"no link matching {pattern!r} in:\n{text}")


def emails_to(address: str) -> list[mail.EmailMessage]:
    """Return the emails sent to one address so far in this test."""
    return [message for message in mail.outbox if address in message.to]


def log_in(page: Page, *, email: str, language: str = "fr") -> None:
    """Fill in the login page the browser is on, submit it, and check it worked."""
    page.get_by_label(tr(language, "Email address")).fill(email)
    page.get_by_label(tr(language, "Password")).fill(PASSWORD)
    page.get_by_role("button", name=tr(language, "Log in")).click()
    log_out_button = page.get_by_role("button", name=tr(language, "Log out"), include_hidden=True)
    expect(log_out_button).to_be_attached()
    open_account_menu(page)
    expect(log_out_button).to_be_visible()
    # Leave the page as the person sees it: the drop-down closed, so it covers nothing.
    close_account_menu(page)


def open_menu(page: Page) -> None:
    """Open the header's menu when a narrow screen folds it behind its "Menu" button."""
    # Until the stylesheet has loaded, the toggle shows at every width: decide after it.
    page.wait_for_load_state("load")
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and page.locator(".nav-menu[open]").count() == 0:
        toggle.click()


def open_account_menu(page: Page) -> None:
    """Open the person's drop-down (log out, roles, password, keys) wherever it is folded."""
    open_menu(page)
    toggle = page.locator(".account-toggle")
    if toggle.is_visible() and page.locator(".account-menu[open]").count() == 0:
        toggle.click()


def close_account_menu(page: Page) -> None:
    """Fold the person's drop-down again (on wide screens, where it opens over the page)."""
    toggle = page.locator(".account-toggle")
    if toggle.is_visible() and page.locator(".account-menu[open]").count() == 1:
        toggle.click()


def log_out(page: Page, *, language: str = "fr") -> None:
    """Log out with the button in the person's menu, and check it worked."""
    open_account_menu(page)
    page.get_by_role("button", name=tr(language, "Log out")).click()
    log_in_link = page.get_by_role(
        "link", name=tr(language, "Log in"), exact=True, include_hidden=True
    )
    expect(log_in_link).to_be_attached()
    open_menu(page)
    expect(log_in_link).to_be_visible()


def km_away(language: str, km: float) -> str:
    """Return the catalogue's "… km away" as the page shows it, the number localised."""
    with translation.override(language):
        return translation.gettext("%(km)s km away") % {"km": formats.localize(km)}
