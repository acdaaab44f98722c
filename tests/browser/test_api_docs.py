"""The interactive API docs run under the site's Content-Security-Policy, offline."""

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_script_errors


def test_the_api_docs_render_every_operation_without_a_csp_violation(
    page: Page, visit, transactional_db
) -> None:
    # Swagger UI is a third-party page: its own markup is not held to axe here.
    visit(page, "/api/docs/", check=False)

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("entraide")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    expect(page.get_by_text("/api/goods/rounds/", exact=True).first).to_be_attached()
    assert_no_script_errors(page)
