"""Maps without a tile server draw the offline basemap; with one, they use its tiles."""

from playwright.sync_api import Page, Route, expect

from entraide.missions.tests.factories import (
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.testing.factories import UserFactory, VolunteerProfileFactory
from entraide.volunteers.models import VolunteerProfile
from tests.browser.helpers import assert_accessible, log_in, tr

LAND = (246, 243, 236)  # map.js's land colour


def _offline(page: Page, live_server) -> list[str]:
    """Abort every request that leaves the test server; return the list of URLs asked for."""
    asked: list[str] = []

    def route(route: Route) -> None:
        asked.append(route.request.url)
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", route)
    return asked


def _open_profile(page: Page, visit) -> VolunteerProfile:
    volunteer = UserFactory.create(email="amelie@example.org")
    profile = VolunteerProfileFactory(user=volunteer, languages=["fr"])
    visit(page, "/fr/accounts/login/?next=/fr/volunteer/profile/")
    log_in(page, email=volunteer.email)
    return profile


def _pixel_at_centre(page: Page) -> list[int]:
    """Return the RGB colour the basemap's canvas paints at the map's centre."""
    return page.evaluate(
        """() => {
          const canvas = document.querySelector('.leaflet-basemap-pane canvas');
          const box = canvas.getBoundingClientRect();
          const map = document.querySelector('.map').getBoundingClientRect();
          const scale = canvas.width / box.width;
          const x = Math.round((map.left + map.width / 2 - box.left) * scale);
          const y = Math.round((map.top + map.height / 2 - box.top) * scale);
          return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3));
        }"""
    )


def test_it_draws_the_basemap_offline_and_the_pin_still_moves(
    page: Page, visit, live_server, settings, transactional_db
) -> None:
    settings.MAP_TILE_URL = ""
    _offline(page, live_server)
    profile = _open_profile(page, visit)

    element = page.locator(".map[data-volunteer-map]")
    expect(element).to_have_attribute("data-basemap", "drawn")
    # Brussels is on land, and named: a person can tell where the pin stands.
    assert _pixel_at_centre(page) == list(LAND)
    expect(page.locator(".basemap-town span", has_text="Brussels")).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Natural Earth")
    assert_accessible(page)

    # The pin moves with the arrow keys, for those who cannot drag it.
    pin = page.locator(f'.leaflet-marker-icon[title="{tr("fr", "My home")}"]')
    lon_input = page.locator("#id_lon")
    before = float(lon_input.input_value() or profile.lon)
    pin.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    moved = float(lon_input.input_value())
    assert moved > before

    page.get_by_role("button", name=tr("fr", "Save my profile")).click()
    expect(page).to_have_url(f"{live_server.url}/fr/volunteer/")
    profile.refresh_from_db()
    assert profile.lon == round(moved, 6) or abs(profile.lon - moved) < 1e-5


def test_it_keeps_a_working_map_when_the_basemap_cannot_load(
    page: Page, visit, live_server, settings, transactional_db
) -> None:
    settings.MAP_TILE_URL = ""
    _offline(page, live_server)
    page.context.route("**/basemap.json", lambda route: route.abort())
    _open_profile(page, visit)

    expect(page.locator(".map[data-volunteer-map]")).to_have_attribute("data-basemap", "failed")
    expect(page.locator(f'.leaflet-marker-icon[title="{tr("fr", "My home")}"]')).to_be_visible()
    assert_accessible(page)


def test_it_uses_the_tile_server_and_not_the_basemap_when_one_is_set(
    page: Page, visit, live_server, settings, transactional_db
) -> None:
    settings.MAP_TILE_URL = f"{live_server.url}/tiles/{{z}}/{{x}}/{{y}}.png"
    asked = _offline(page, live_server)
    # The tiles are answered in the browser: the test server has none to give.
    page.context.route("**/tiles/**", lambda route: route.fulfill(status=204))
    _open_profile(page, visit)

    expect(page.locator(".leaflet-tile-pane img.leaflet-tile").first).to_be_attached()
    tile = page.locator(".leaflet-tile-pane img.leaflet-tile").first
    assert "/tiles/" in (tile.get_attribute("src") or "")
    assert not [url for url in asked if "basemap" in url]
    expect(page.locator(".map[data-volunteer-map]")).not_to_have_attribute("data-basemap", "drawn")


def test_it_draws_the_basemap_under_the_missions_catalogue_markers(
    page: Page, visit, live_server, settings, transactional_db
) -> None:
    settings.MAP_TILE_URL = ""
    _offline(page, live_server)
    restos = OrganisationFactory.create(name="Les Restos du Cœur", slug="restos")
    pantry = MissionFactory.create(organisation=restos, title="Pantry", lat=50.8467, lon=4.3525)
    MissionSlotFactory.create(mission=pantry)

    visit(page, "/fr/missions/", check=False)

    expect(page.locator(".missions-map .map")).to_have_attribute("data-basemap", "drawn")
    expect(page.locator(".missions-map .leaflet-interactive")).to_have_count(1)  # the marker
    expect(page.locator(".basemap-town span", has_text="Brussels")).to_be_visible()
    assert_accessible(page)
