import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from entraide.accounts.models import User
from entraide.cli import main
from entraide.notifications.models import Notification
from entraide.testing.factories import UserFactory
from entraide.volunteers.models import VolunteerProfile
from entraide.volunteers.services import volunteers_import_csv
from entraide.volunteers.volunteer_csv import MAX_FILE_BYTES, MAX_ROWS

pytestmark = pytest.mark.django_db

HEADER = (
    "email,first_name,last_name,phone,language,town,postcode,country,"
    "radius_km,languages,kinds,consent"
)
GOOD = [
    "marie@example.org,Marie,Dubois,0470 12 34 56,fr,Bruxelles,1000,BE,5,fr|en,"
    "groceries|pharmacy,oui",
    "jan@example.org,Jan,Peeters,,nl,Antwerpen,,BE,,,,ja",
    "sam@example.org,Sam,Taylor,,en,Liège,4000,,10,en,phone_call,Yes",
]
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "volunteers.csv"


@pytest.fixture(autouse=True)
def english():
    """Check messages in English (the command runs in the default language, French)."""
    with translation.override("en"):
        yield


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _import(data: bytes, **kwargs):
    return volunteers_import_csv(file=io.BytesIO(data), **kwargs)


def test_it_imports_every_row_and_invites_each_volunteer(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _import(_csv(*GOOD))
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 3
    marie = User.objects.get(email="marie@example.org")
    assert marie.phone == "+32470123456"
    assert not marie.has_usable_password()
    assert marie.email_verified_at is None
    profile = marie.volunteer_profile
    assert (profile.radius_km, profile.languages, profile.kinds) == (
        5,
        ["fr", "en"],
        ["groceries", "pharmacy"],
    )
    assert profile.consented_at is not None and profile.cell is not None
    jan = VolunteerProfile.objects.get(user__email="jan@example.org")
    # Blank cells take sensible defaults: 3 km, the person's own language, any kind.
    assert (jan.radius_km, jan.languages, jan.kinds) == (3, ["nl"], [])
    assert jan.user.language == "nl"
    assert sorted(m.to[0] for m in mailoutbox) == [
        "jan@example.org",
        "marie@example.org",
        "sam@example.org",
    ]
    assert (
        "/nl/accounts/welcome/" in next(m for m in mailoutbox if m.to == ["jan@example.org"]).body
    )


def test_it_imports_the_sample_file():
    report = _import(SAMPLE.read_bytes())
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 4


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "not-an-email,Ann,,,fr,Bruxelles,,BE,3,fr,,yes",
            "line 3: email: Enter a valid email address.",
        ),
        (",Ann,,,fr,Bruxelles,,BE,3,fr,,yes", "line 3: email:"),
        ("ann@example.org,,,,fr,Bruxelles,,BE,3,fr,,yes", "line 3: first_name:"),
        (
            "ann@example.org,Ann,,12,fr,Bruxelles,,BE,3,fr,,yes",
            "line 3: phone: Enter a valid phone number.",
        ),
        ("ann@example.org,Ann,,,de,Bruxelles,,BE,3,fr,,yes", "line 3: language:"),
        ("ann@example.org,Ann,,,fr,Atlantis-sur-Mer,,BE,3,fr,,yes", "line 3: town:"),
        ("ann@example.org,Ann,,,fr,Bruxelles,,BE,0,fr,,yes", "line 3: radius_km:"),
        ("ann@example.org,Ann,,,fr,Bruxelles,,BE,101,fr,,yes", "line 3: radius_km:"),
        ("ann@example.org,Ann,,,fr,Bruxelles,,BE,five,fr,,yes", "line 3: radius_km:"),
        (
            "ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr|klingon,,yes",
            "line 3: languages: Unknown language: klingon",
        ),
        (
            "ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,gardening,yes",
            "line 3: kinds: Unknown kind of help: gardening",
        ),
        ("ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,,no", "line 3: consent:"),
        ("ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,,", "line 3: consent:"),
        ("ann@example.org,Ann,,,fr,Bruxelles,,BELGIUM,3,fr,,yes", "line 3: country:"),
        (
            "marie@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,,yes",
            "line 3: email: This address is already on line 2.",
        ),
        (
            "ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,,yes,extra",
            "line 3: This line has 13 values",
        ),
    ],
)
def test_it_reports_a_bad_row_by_line_and_imports_nothing(row, expected):
    report = _import(_csv(GOOD[0], row, GOOD[1]))
    assert not report.ok
    assert any(str(error).startswith(expected) for error in report.errors), [
        str(e) for e in report.errors
    ]
    assert report.created == 0
    assert not User.objects.exists()
    assert not Notification.objects.exists()


def test_it_reports_an_address_that_already_has_an_account_whatever_its_case(alice):
    report = _import(_csv(GOOD[0], "ALICE@example.org,Alice,,,fr,Bruxelles,,BE,3,fr,,yes"))
    assert [str(e) for e in report.errors] == [
        "line 3: email: A user with this address already exists."
    ]
    assert User.objects.count() == 1


def test_it_reports_every_error_of_every_row_in_line_order():
    report = _import(
        _csv(
            "bad,Ann,,,xx,Bruxelles,,BE,3,fr,,yes",
            GOOD[0],
            "ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,,nope",
        )
    )
    assert [(e.line, e.field) for e in report.errors] == [
        (2, "email"),
        (2, "language"),
        (4, "consent"),
    ]


def test_it_counts_lines_inside_quoted_cells_and_skips_blank_lines():
    data = _csv(
        '"marie@example.org","Marie ""Mimi""",Dubois,,fr,Bruxelles,,BE,3,fr,,yes',
        "",
        'x@example.org,"Jo\nAnne",,,fr,Bruxelles,,BE,3,fr,,no',
    )
    report = _import(data)
    assert [str(e) for e in report.errors] == [
        "line 4: consent: The volunteer must have agreed to be contacted (yes, oui, ja, true or 1)."
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER.replace("consent", "agreed"), "Unknown column(s): agreed"),
        ("email,first_name,town", "Missing column(s): consent"),
        (HEADER + ",email", "Repeated column(s): email"),
    ],
)
def test_it_reports_a_bad_header_on_line_1(header, message):
    report = _import(_csv(GOOD[0], header=header))
    assert report.errors[0].line == 1
    assert message in str(report.errors[0])
    assert not User.objects.exists()


def test_it_reads_a_spreadsheet_export_with_bom_semicolons_and_capitalised_headers():
    header = HEADER.upper().replace(",", ";")
    rows = [row.replace(",", ";") for row in GOOD]
    data = b"\xef\xbb\xbf" + _csv(*rows, header=header).replace(b"\n", b"\r\n")
    report = _import(data)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 3


def test_it_reads_only_the_required_columns():
    report = _import(_csv("lea@example.org,Léa,Namur,oui", header="Email,First_Name,Town,Consent"))
    assert report.ok, [str(e) for e in report.errors]
    user = User.objects.get(email="lea@example.org")
    assert user.language == "fr"
    assert user.volunteer_profile.languages == ["fr"]


def test_it_reports_a_file_that_is_not_utf8():
    report = _import(
        _csv(GOOD[0], "eve@example.org,Ève,,,fr,Liège,,BE,3,fr,,oui").decode().encode("latin-1")
    )
    assert [e.line for e in report.errors] == [3]
    assert "UTF-8" in report.errors[0].message


def test_it_reports_an_empty_file():
    assert "empty" in str(_import(b"").errors[0])


def test_it_checks_without_importing_on_a_dry_run():
    report = _import(_csv(*GOOD), dry_run=True)
    assert report.ok and len(report.rows) == 3 and report.created == 0
    assert not User.objects.exists()


def test_it_runs_as_a_command(tmp_path, capsys):
    path = tmp_path / "volunteers.csv"
    path.write_bytes(_csv(*GOOD))
    call_command("import_volunteers", str(path))
    assert "3 volunteer(s) imported" in capsys.readouterr().out
    assert User.objects.count() == 3


# The command line closes its database connections on exit, so no wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_it_exits_with_status_2_and_errors_by_line_on_a_bad_file(tmp_path, capsys):
    path = tmp_path / "volunteers.csv"
    path.write_bytes(_csv(GOOD[0], "ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,,no"))
    with pytest.raises(SystemExit) as exc:
        main(["entraide", "import-volunteers", str(path)])
    assert exc.value.code == 2
    assert "line 3: consent:" in capsys.readouterr().err
    assert not User.objects.exists()


def test_it_exits_with_status_2_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("import_volunteers", str(tmp_path / "missing.csv"))
    assert exc.value.returncode == 2


def test_it_leaves_the_database_alone_on_a_dry_run_command(tmp_path, capsys):
    path = tmp_path / "volunteers.csv"
    path.write_bytes(_csv(*GOOD))
    call_command("import_volunteers", str(path), "--dry-run")
    assert "3 volunteer(s) can be imported" in capsys.readouterr().out
    assert not User.objects.exists()


def test_it_links_the_import_page_from_the_user_list(client, dave):
    client.force_login(dave)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert reverse("admin:volunteers_volunteerprofile_import").encode() in response.content


def test_it_previews_then_imports_an_uploaded_file_in_the_back_office(
    client, dave, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(dave)
    url = reverse("admin:volunteers_volunteerprofile_import")
    assert client.get(url).status_code == 200
    upload = io.BytesIO(b"\xef\xbb\xbf" + _csv(*GOOD))
    upload.name = "volunteers.csv"
    response = client.post(url, {"file": upload, "check": "1"})
    assert response.status_code == 200
    assert b"jan@example.org" in response.content
    assert User.objects.count() == 1  # only dave: checking imports nothing
    # The checked file waits on the server: the confirmation sends back only its digest, so
    # its size is not limited by Django's cap on form fields (2.5 MB).
    digest = response.context["digest"]
    assert b'name="content"' not in response.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"digest": digest, "import": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_changelist")
    assert User.objects.count() == 4
    assert len(mailoutbox) == 3


def test_it_shows_the_errors_of_an_uploaded_file_in_the_back_office(client, dave):
    client.force_login(dave)
    upload = io.BytesIO(_csv(GOOD[0], "ann@example.org,Ann,,,fr,Bruxelles,,BE,3,fr,,no"))
    upload.name = "volunteers.csv"
    response = client.post(reverse("admin:volunteers_volunteerprofile_import"), {"file": upload})
    assert response.status_code == 400
    assert "line 3: consent:" in response.content.decode()
    assert b'name="import"' not in response.content
    assert User.objects.count() == 1


def test_it_keeps_people_without_back_office_access_out_of_the_import(client, alice):
    client.force_login(alice)
    upload = io.BytesIO(_csv(*GOOD))
    upload.name = "volunteers.csv"
    response = client.post(
        reverse("admin:volunteers_volunteerprofile_import"), {"file": upload, "import": "1"}
    )
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert User.objects.count() == 1


def test_it_forbids_the_import_to_staff_who_may_not_add_users(client):
    clerk = UserFactory.create(is_staff=True)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:volunteers_volunteerprofile_import"), {"digest": "x", "import": "1"}
    )
    assert response.status_code == 403


def test_it_asks_for_the_file_again_when_the_checked_copy_is_gone(client, dave):
    client.force_login(dave)
    url = reverse("admin:volunteers_volunteerprofile_import")
    upload = io.BytesIO(_csv(*GOOD))
    upload.name = "volunteers.csv"
    digest = client.post(url, {"file": upload, "check": "1"}).context["digest"]

    stale = client.post(url, {"digest": "0" * 64, "import": "1"})
    assert "Upload the file again" in stale.content.decode()
    assert User.objects.count() == 1

    client.post(url, {"digest": digest, "import": "1"})
    assert User.objects.count() == 4
    # Imported once: the same confirmation again imports nothing more.
    again = client.post(url, {"digest": digest, "import": "1"})
    assert "Upload the file again" in again.content.decode()
    assert User.objects.count() == 4


def test_it_refuses_a_file_over_the_size_limit():
    padding = "# " + "x" * MAX_FILE_BYTES

    report = _import(_csv(*GOOD, padding))

    assert [str(e) for e in report.errors] == ["line 1: The file is too large (2 MB at most)."]
    assert not User.objects.exists()


def test_it_refuses_more_rows_than_the_limit():
    rows = [f"v{n}@example.org,V{n},,,fr,Bruxelles,,BE,,,,oui" for n in range(MAX_ROWS + 1)]

    report = _import(_csv(*rows), dry_run=True)

    assert f"Import at most {MAX_ROWS} lines at once." in [e.message for e in report.errors]
    assert not report.ok
