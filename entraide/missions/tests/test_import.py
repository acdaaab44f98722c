"""Importing missions from a spreadsheet: all or nothing, errors by line, command and page."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from entraide.missions.importing import missions_import_csv
from entraide.missions.models import Mission, MissionSlot

HEADER = (
    "title,description,theme,remote,address,postcode,town,skills,languages,min_age,"
    "background_check,contact_name,contact_email,contact_phone,slot_start,slot_end,capacity"
)
PANTRY = (
    "Food bank,Sort and hand out parcels,food,no,Rue Haute 1,1000,Bruxelles,"
    "Logistics|driving,fr|nl,16,no,Nadia,nadia@example.org,,"
)
CALLS = "Friendly calls,Call isolated people,seniors,yes,,,,listening,fr,,no,,,,"
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "missions.csv"


def csv_file(*lines: str, separator: str = ",", bom: bool = False) -> io.BytesIO:
    text = "\n".join(line.replace(",", separator) for line in (HEADER, *lines)) + "\n"
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.encode("utf-8"))


def test_it_imports_one_mission_per_title_description_and_place_with_one_slot_per_row(
    restos, frank
):
    report = missions_import_csv(
        organisation=restos,
        actor=frank,
        file=csv_file(
            PANTRY + "2030-03-02 09:00,2030-03-02 12:00,6",
            PANTRY + "2030-03-09 09:00,2030-03-09 12:00,",
            CALLS + "2030-03-03 14:00,2030-03-03 16:00,10",
        ),
    )

    assert report.ok, report.errors
    pantry = Mission.objects.get(title="Food bank")
    assert pantry.status == Mission.Status.DRAFT
    assert pantry.skills == ["Logistics", "driving"]
    assert pantry.languages == ["fr", "nl"]
    assert pantry.min_age == 16
    assert pantry.lat is not None
    slots = list(pantry.slots.order_by("starts_at"))
    assert [slot.capacity for slot in slots] == [6, 1]
    # Slots are typed in the territory's local time: 09:00 in Brussels is 08:00 UTC in March.
    assert slots[0].starts_at.hour == 8
    calls = Mission.objects.get(title="Friendly calls")
    assert calls.is_remote and calls.slots.count() == 1
    assert report.summary() == "2 mission(s) with 3 slot(s) imported as drafts."


def test_it_reads_semicolons_and_a_byte_order_mark(restos, frank):
    report = missions_import_csv(
        organisation=restos,
        actor=frank,
        file=csv_file(CALLS + "2030-03-03 14:00,2030-03-03 16:00,10", separator=";", bom=True),
    )

    assert report.ok, report.errors
    assert Mission.objects.get().title == "Friendly calls"


def test_it_reports_every_bad_cell_by_line_and_column_and_imports_nothing(restos, frank):
    report = missions_import_csv(
        organisation=restos,
        actor=frank,
        file=csv_file(
            PANTRY + "2030-03-02 09:00,2030-03-02 12:00,6",
            CALLS.replace("seniors", "gardening") + "tomorrow,2030-03-03 16:00,0",
            CALLS.replace("yes", "maybe") + "2030-03-03 14:00,2030-03-03 16:00,2",
        ),
    )

    assert not report.ok
    assert [str(error) for error in report.errors] == [
        "line 3: theme: Unknown theme “gardening”. The themes are: "
        "seniors, homeless, health_workers, food, children, employment, other.",
        "line 3: slot_start: Write a date and time like 2025-05-14 09:30.",
        "line 3: capacity: Write a number between 1 and 500.",
        "line 4: remote: Write yes or no.",
    ]
    assert not Mission.objects.exists()


def test_it_rolls_back_every_mission_when_a_service_refuses_a_later_line(restos, frank):
    report = missions_import_csv(
        organisation=restos,
        actor=frank,
        file=csv_file(
            PANTRY + "2030-03-02 09:00,2030-03-02 12:00,6",
            CALLS + "2030-03-03 14:00,2030-03-03 13:00,2",
            PANTRY.replace("Bruxelles", "Atlantis") + "2030-03-02 09:00,2030-03-02 12:00,6",
        ),
    )

    assert [(error.line, error.field) for error in report.errors] == [
        (3, "slot_end"),
        (4, "town"),
    ]
    assert not Mission.objects.exists()
    assert not MissionSlot.objects.exists()


def test_it_checks_without_writing_on_a_dry_run(restos, frank):
    report = missions_import_csv(
        organisation=restos,
        actor=frank,
        file=csv_file(CALLS + "2030-03-03 14:00,2030-03-03 16:00,10"),
        dry_run=True,
    )

    assert report.ok
    assert [(m.title, m.slots) for m in report.missions] == [("Friendly calls", 1)]
    assert not Mission.objects.exists()


def test_it_refuses_a_file_that_is_not_utf8_or_lacks_columns(restos, frank):
    latin = io.BytesIO((HEADER + "\n" + CALLS + "2030-03-03 14:00,2030-03-03 16:00,1\n").encode())
    latin = io.BytesIO(latin.getvalue().replace(b"Call", "Appel é".encode("latin-1")))
    report = missions_import_csv(organisation=restos, actor=frank, file=latin)
    assert [error.line for error in report.errors] == [2]

    report = missions_import_csv(
        organisation=restos, actor=frank, file=io.BytesIO(b"title,description\nA,B\n")
    )
    assert str(report.errors[0]) == "line 1: Missing column(s): theme, slot_start, slot_end."


def test_it_imports_the_sample_file(restos, frank):
    with SAMPLE.open("rb") as handle:
        report = missions_import_csv(organisation=restos, actor=frank, file=handle, dry_run=True)

    assert report.ok, report.errors
    assert report.slot_count == 3


def test_it_imports_from_the_command_and_exits_with_2_on_errors(restos, frank, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file(CALLS + "2030-03-03 14:00,2030-03-03 16:00,10").getvalue())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(CALLS + "2030-03-03 14:00,,10").getvalue())

    call_command("import_missions", str(good), organisation="restos", dry_run=True)
    assert not Mission.objects.exists()
    call_command("import_missions", str(good), organisation="restos")
    assert Mission.objects.get().created_by == frank

    with pytest.raises(CommandError) as error:
        call_command("import_missions", str(bad), organisation="restos")
    assert error.value.returncode == 2
    assert "line 2: slot_end: This column is required." in capsys.readouterr().err
    assert Mission.objects.count() == 1


def test_it_checks_the_uploaded_file_then_imports_it(client, restos, frank):
    client.force_login(frank)
    url = reverse("missions:import", args=[restos.slug])
    upload = csv_file(CALLS + "2030-03-03 14:00,2030-03-03 16:00,10")
    upload.name = "missions.csv"

    preview = client.post(url, {"action": "check", "file": upload})

    assert preview.status_code == 200
    assert "Friendly calls" in preview.content.decode()
    assert not Mission.objects.exists()
    done = client.post(url, {"action": "import"})
    assert done.status_code == 302
    assert Mission.objects.get().title == "Friendly calls"


def test_it_shows_line_errors_and_a_missing_file_without_failing(client, restos, frank):
    client.force_login(frank)
    url = reverse("missions:import", args=[restos.slug])
    upload = csv_file(CALLS + "2030-03-03 14:00,2030-03-03 16:00,many")
    upload.name = "missions.csv"

    bad = client.post(url, {"action": "check", "file": upload})
    assert bad.status_code == 400
    assert "line 2: capacity: Write a whole number." in bad.content.decode()
    assert client.post(url, {"action": "import"}).status_code == 302
    assert client.post(url, {"action": "check"}).status_code == 400
    assert not Mission.objects.exists()


def test_it_hides_the_import_page_from_people_outside_the_organisation(client, restos, alice):
    client.force_login(alice)
    assert client.get(reverse("missions:import", args=[restos.slug])).status_code == 404
