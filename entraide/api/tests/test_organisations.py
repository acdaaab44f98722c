"""Organisations over the API: public list and page, registration, moderation by territory.

mona    moderator of the Brussels territory
walter  moderator of the Walloon territory only
frank   administrator of "Les Restos" (verified, Brussels)
alice, bob (volunteers) come from the project's conftest.
"""

import pytest

from entraide.api.tests.conftest import basic_client
from entraide.organisations.models import Membership, Organisation, OrganisationEvent, Territory
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import UserFactory

Status = Organisation.Status


@pytest.fixture
def brussels(db) -> Territory:
    """Return the Brussels territory."""
    return Territory.objects.create(name="Bruxelles-Capitale", country="BE")


@pytest.fixture
def wallonia(db) -> Territory:
    """Return the Walloon territory."""
    return Territory.objects.create(name="Wallonie", country="BE")


@pytest.fixture
def mona(brussels):
    """Return the moderator of the Brussels territory."""
    user = UserFactory(email="mona@example.org", first_name="Mona", language="en")
    brussels.moderators.add(user)
    return user


@pytest.fixture
def walter(wallonia):
    """Return the moderator of the Walloon territory only."""
    user = UserFactory(email="walter@example.org", first_name="Walter", language="en")
    wallonia.moderators.add(user)
    return user


@pytest.fixture
def restos(brussels) -> Organisation:
    """Return a verified Brussels association."""
    return OrganisationFactory.create(
        name="Les Restos", slug="les-restos", territory=brussels, status=Status.VERIFIED
    )


@pytest.fixture
def frank(restos):
    """Return the administrator of Les Restos."""
    user = UserFactory(email="frank@example.org", first_name="Frank", language="en")
    MembershipFactory(organisation=restos, user=user, role=Membership.Role.ADMINISTRATOR)
    return user


@pytest.fixture
def pending(brussels, alice) -> Organisation:
    """Return a Brussels association waiting for verification, administered by alice."""
    organisation = OrganisationFactory.create(
        name="Le Potager", slug="le-potager", territory=brussels, status=Status.PENDING
    )
    MembershipFactory(organisation=organisation, user=alice, role=Membership.Role.ADMINISTRATOR)
    return organisation


def url(organisation: Organisation, action: str = "") -> str:
    """Return the endpoint of an organisation, or of an action on it."""
    return f"/api/organisations/{organisation.slug}/" + (f"{action}/" if action else "")


@pytest.mark.django_db
def test_it_lists_only_verified_organisations_to_anybody(anon, restos, pending):
    OrganisationFactory.create(
        name="Suspendue", territory=restos.territory, status=Status.SUSPENDED
    )

    response = anon.get("/api/organisations/")

    assert response.status_code == 200
    assert [o["slug"] for o in response.json()["results"]] == ["les-restos"]
    assert "status_reason" not in response.json()["results"][0]


@pytest.mark.django_db
def test_it_hides_a_pending_organisation_from_the_public_but_not_from_its_members(
    anon, as_bob, as_alice, pending
):
    assert anon.get(url(pending)).status_code == 404
    assert as_bob.get(url(pending)).status_code == 404

    response = as_alice.get(url(pending))

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert "status_reason" in response.json()


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_organisation(anon):
    assert anon.get("/api/organisations/nobody/").status_code == 404


@pytest.mark.django_db
def test_it_registers_an_organisation_with_the_caller_as_administrator(
    as_bob, bob, brussels, mona, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_bob.post(
            "/api/organisations/",
            {
                "name": "Les Amis de Jette",
                "kind": "association",
                "territory": brussels.pk,
                "town": "Jette",
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    organisation = Organisation.objects.get(slug=body["slug"])
    assert organisation.memberships.get().user == bob
    assert organisation.lat is not None
    assert OrganisationEvent.objects.filter(organisation=organisation, kind="created").exists()
    assert [m.to for m in mailoutbox] == [[mona.email]]


@pytest.mark.django_db
def test_it_needs_an_account_to_register(anon, brussels):
    response = anon.post(
        "/api/organisations/",
        {"name": "X", "kind": "association", "territory": brussels.pk, "town": "Jette"},
        format="json",
    )

    assert response.status_code == 401
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_it_refuses_bad_registrations_with_field_errors_and_saves_nothing(as_bob, brussels):
    response = as_bob.post(
        "/api/organisations/",
        {"name": "", "kind": "club", "territory": 9999, "town": "Jette", "website": "nope"},
        format="json",
    )

    assert response.status_code == 400
    assert {"name", "kind", "territory", "website"} <= set(response.json())
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_it_reports_an_unknown_town_on_the_town_field(as_bob, brussels):
    response = as_bob.post(
        "/api/organisations/",
        {"name": "X", "kind": "association", "territory": brussels.pk, "town": "Zzyzxville"},
        format="json",
    )

    assert response.status_code == 400
    assert "town" in response.json()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_it_lets_the_territory_moderator_verify(
    mona, alice, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = basic_client(mona.email).post(url(pending, "verify"))

    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    pending.refresh_from_db()
    assert pending.status == Status.VERIFIED
    assert pending.events.get(kind="verified").actor == mona
    assert [m.to for m in mailoutbox] == [[alice.email]]


@pytest.mark.django_db
def test_it_hides_a_pending_organisation_from_another_territorys_moderator(walter, pending):
    response = basic_client(walter.email).post(url(pending, "verify"))

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


@pytest.mark.django_db
def test_it_forbids_another_territorys_moderator_to_suspend(walter, restos):
    response = basic_client(walter.email).post(
        url(restos, "suspend"), {"reason": "Spam"}, format="json"
    )

    assert response.status_code == 403
    restos.refresh_from_db()
    assert restos.status == Status.VERIFIED


@pytest.mark.django_db
def test_it_forbids_an_administrator_to_verify_their_own_organisation(as_alice, pending):
    response = as_alice.post(url(pending, "verify"))

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


@pytest.mark.django_db
def test_it_requires_a_reason_to_reject(mona, pending):
    response = basic_client(mona.email).post(url(pending, "reject"), {"reason": " "}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not pending.events.filter(kind="rejected").exists()


@pytest.mark.django_db
def test_it_answers_409_when_the_organisation_was_already_decided(mona, restos):
    response = basic_client(mona.email).post(url(restos, "verify"))

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.django_db
def test_it_suspends_and_reinstates_with_reasons_seen_by_members(mona, frank, restos, anon):
    moderator = basic_client(mona.email)

    suspended = moderator.post(url(restos, "suspend"), {"reason": "Complaints"}, format="json")

    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert anon.get(url(restos)).status_code == 404
    assert basic_client(frank.email).get(url(restos)).json()["status_reason"] == "Complaints"

    reinstated = moderator.post(url(restos, "reinstate"), {"reason": "Sorted out"}, format="json")

    assert reinstated.status_code == 200
    assert reinstated.json()["status"] == "verified"
    assert anon.get(url(restos)).status_code == 200


@pytest.mark.django_db
def test_it_lists_territories_for_registration(anon, brussels, wallonia):
    response = anon.get("/api/territories/")

    assert response.status_code == 200
    assert [t["name"] for t in response.json()["results"]] == ["Bruxelles-Capitale", "Wallonie"]


@pytest.mark.django_db
def test_it_filters_the_list_by_kind_and_territory(anon, restos, wallonia):
    OrganisationFactory.create(slug="namur", territory=wallonia, status=Status.VERIFIED)
    OrganisationFactory.create(
        slug="hospital", territory=restos.territory, kind="health_facility", status=Status.VERIFIED
    )

    by_territory = anon.get("/api/organisations/", {"territory": wallonia.pk})
    by_kind = anon.get("/api/organisations/", {"kind": "health_facility"})

    assert [o["slug"] for o in by_territory.json()["results"]] == ["namur"]
    assert [o["slug"] for o in by_kind.json()["results"]] == ["hospital"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("territory=abc", "territory"),
        ("territory=²", "territory"),
        ("territory=99999999999999999999999", "territory"),
        ("territory=-1", "territory"),
        ("kind=spaceship", "kind"),
    ],
)
def test_it_refuses_filters_it_cannot_read(anon, restos, query, field):
    response = anon.get(f"/api/organisations/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]
