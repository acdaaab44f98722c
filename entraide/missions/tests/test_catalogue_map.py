"""The catalogue's map: rounded positions of on-site missions; the page works without it."""

from django.urls import reverse

from entraide.matching.geo import round_position
from entraide.missions.tests.factories import MissionFactory, MissionSlotFactory


def test_it_puts_rounded_positions_of_on_site_missions_on_the_map(client, restos):
    on_site = MissionFactory.create(organisation=restos, title="Pantry", lat=50.84671, lon=4.35251)
    MissionSlotFactory.create(mission=on_site)
    remote = MissionFactory.create(
        organisation=restos, title="Calls", is_remote=True, town="", lat=None, lon=None
    )
    MissionSlotFactory.create(mission=remote)

    response = client.get(reverse("missions:catalogue"))

    (point,) = response.context["map_points"]
    assert (point["lat"], point["lon"]) == round_position(50.84671, 4.35251, 500)
    assert (point["lat"], point["lon"]) != (50.84671, 4.35251)
    assert point["url"] == reverse("missions:detail", args=[on_site.public_id])
    page = response.content.decode()
    assert 'id="missions-map-data"' in page
    # The map starts hidden: without JavaScript the list alone shows the same missions.
    assert 'class="missions-map" hidden' in page
    assert "Calls" in page and "Pantry" in page


def test_it_leaves_the_map_out_when_no_mission_is_on_site(client, restos):
    MissionSlotFactory.create(
        mission=MissionFactory.create(
            organisation=restos, is_remote=True, town="", lat=None, lon=None
        )
    )

    response = client.get(reverse("missions:catalogue"))

    assert response.context["map_points"] == []
    assert "leaflet.js" not in response.content.decode()
