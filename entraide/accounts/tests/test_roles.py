import pytest
from django.urls import reverse

from entraide.accounts.models import User, UserRoleChange
from entraide.accounts.services import user_set_roles
from entraide.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_it_gives_a_role_and_records_who_did_it(alice, dave):
    user_set_roles(user=alice, is_operator=True, is_moderator=False, is_staff=False, actor=dave)
    alice.refresh_from_db()
    assert alice.is_operator
    change = UserRoleChange.objects.get()
    assert change.actor == dave
    assert change.before == {"is_operator": False, "is_moderator": False, "is_staff": False}
    assert change.after == {"is_operator": True, "is_moderator": False, "is_staff": False}


def test_it_records_nothing_when_the_roles_do_not_change(charlie, dave):
    user_set_roles(user=charlie, is_operator=True, is_moderator=False, is_staff=False, actor=dave)
    assert not UserRoleChange.objects.exists()


def test_it_refuses_roles_changed_by_someone_without_back_office_rights(alice, charlie):
    with pytest.raises(DomainError) as exc:
        user_set_roles(
            user=alice, is_operator=True, is_moderator=True, is_staff=True, actor=charlie
        )
    assert exc.value.code == "forbidden"
    alice.refresh_from_db()
    assert not alice.is_operator and not alice.is_staff


def test_it_stops_staff_from_locking_themselves_out(dave):
    with pytest.raises(DomainError):
        user_set_roles(user=dave, is_operator=False, is_moderator=False, is_staff=False, actor=dave)
    dave.refresh_from_db()
    assert dave.is_staff


def _change_form(user: User, **changes) -> dict:
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "role_changes-TOTAL_FORMS": "0",
        "role_changes-INITIAL_FORMS": "0",
        "role_changes-MIN_NUM_FORMS": "0",
        "role_changes-MAX_NUM_FORMS": "1000",
    }
    for name in ("is_operator", "is_moderator", "is_staff", "is_superuser"):
        if getattr(user, name):
            data[name] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_changes_roles_in_the_back_office_through_the_service(client, alice, dave):
    client.force_login(dave)
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    response = client.post(url, _change_form(alice, is_moderator="on", first_name="Alicia"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    alice.refresh_from_db()
    assert alice.is_moderator
    assert alice.first_name == "Alicia"
    assert UserRoleChange.objects.get().actor == dave


def test_it_refuses_in_the_back_office_to_remove_ones_own_staff_access(client, dave):
    client.force_login(dave)
    url = reverse("admin:accounts_user_change", args=[dave.pk])
    response = client.post(url, _change_form(dave, is_staff=None))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_staff"]
    dave.refresh_from_db()
    assert dave.is_staff


def test_it_invites_a_user_added_in_the_back_office(
    client, dave, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(dave)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_add"),
            {"email": "New@Example.org", "first_name": "Nina", "language": "en", "phone": ""},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert not user.has_usable_password()
    assert mailoutbox[0].to == ["new@example.org"]
    assert "/en/accounts/welcome/" in mailoutbox[0].body
