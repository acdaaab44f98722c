"""PlaceFields: one set of address and position columns for every model that is somewhere."""

import pytest

from entraide.core.models import PlaceFields
from entraide.core.places import Place
from entraide.help_requests.models import HelpRequest
from entraide.matching.geo import cell_of
from entraide.missions.models import Mission
from entraide.organisations.models import Organisation
from entraide.volunteers.models import VolunteerProfile

NAMUR = Place(lat=50.4669, lon=4.86746, label="Namur", country="BE", precision="town")


def field_names(model: type[PlaceFields]) -> set[str]:
    return {field.name for field in model._meta.concrete_fields}


@pytest.mark.parametrize("model", [HelpRequest, VolunteerProfile, Mission, Organisation])
def test_it_gives_every_place_model_the_same_columns(model):
    assert issubclass(model, PlaceFields)
    assert {"postcode", "town", "country", "lat", "lon"} <= field_names(model)


def test_it_lets_a_model_tighten_or_drop_a_column():
    assert "address" not in field_names(VolunteerProfile)
    assert "cell" not in field_names(Organisation)
    assert not HelpRequest._meta.get_field("lat").null
    assert not HelpRequest._meta.get_field("town").blank
    assert Mission._meta.get_field("lat").null


def test_it_sets_the_position_and_its_cell_from_a_place():
    mission = Mission()

    mission.set_place(NAMUR)

    assert (mission.lat, mission.lon) == (NAMUR.lat, NAMUR.lon)
    assert mission.cell == cell_of(NAMUR.lat, NAMUR.lon)
    assert mission.has_position


def test_it_forgets_the_cell_with_the_position():
    mission = Mission()
    mission.set_place(NAMUR)

    mission.set_position(None, None)

    assert (mission.lat, mission.lon, mission.cell) == (None, None, None)
    assert not mission.has_position


def test_it_leaves_out_the_cell_of_a_model_that_has_none():
    organisation = Organisation()

    organisation.set_place(NAMUR)

    assert Organisation.position_values(1.0, 2.0) == {"lat": 1.0, "lon": 2.0}
    assert organisation.lat == NAMUR.lat
    assert HelpRequest.position_values(1.0, 2.0) == {"lat": 1.0, "lon": 2.0, "cell": cell_of(1, 2)}
