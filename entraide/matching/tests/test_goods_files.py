"""The match-goods command line: CSV in, CSV and one JSON line out, exit 2 on bad files."""

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from entraide.matching.batch import BatchFileError
from entraide.matching.goods_files import read_lots, read_needs, run_goods

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"
LOTS = (
    "id,category,kg,lat,lon,use_by\nl1,bread,40,48.853,2.369,2026-03-02\nl2,books,5,48.85,2.35,\n"
)
NEEDS = (
    "id,category,kg,lat,lon,radius_km,pickup_on\n"
    "n1,bread,30,48.859,2.38,5,2026-03-02\n"
    "n2,bread,30,48.84,2.39,3,2026-03-03\n"
)


def run(tmp_path: Path, lots: str, needs: str, *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "lots.csv").write_text(lots, encoding="utf-8")
    (tmp_path / "needs.csv").write_text(needs, encoding="utf-8")
    # The command line itself is under test, so it runs as a real process; arguments are ours.
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "entraide",
            "match-goods",
            "--lots",
            str(tmp_path / "lots.csv"),
            "--needs",
            str(tmp_path / "needs.csv"),
            "--out",
            str(tmp_path / "out.csv"),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "entraide.config.test_settings", "PATH": "/usr/bin"},
    )


def test_it_allocates_the_documented_sample_and_prints_json_last(tmp_path: Path) -> None:
    lots = (SAMPLES / "goods-lots.csv").read_text(encoding="utf-8")
    needs = (SAMPLES / "goods-needs.csv").read_text(encoding="utf-8")
    result = run(tmp_path, lots, needs, "--cold-categories", "chilled,frozen", "--check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert set(summary) == {"kg", "kg_km", "seconds"}
    with (tmp_path / "out.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["lot_id", "need_id", "kg"]
    assert summary["kg"] == sum(int(r["kg"]) for r in rows) == 605
    given = {(r["lot_id"], r["need_id"]): int(r["kg"]) for r in rows}
    # The market's 120 kg is split; the shelter collects after the bread's use-by date.
    assert given[("market-aligre", "restos-11e-fresh")] == 80
    assert given[("market-aligre", "epicerie-20e")] == 40
    assert not any(need == "shelter-12e" for _, need in given)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("lots", "needs", "names"),
    [
        (LOTS.replace(",use_by", ""), NEEDS, ("lots.csv", "id,category,kg,lat,lon,use_by")),
        (LOTS + "l3,bread,-4,48.85,2.35,\n", NEEDS, ("lots.csv", "4", "-4")),
        (LOTS, NEEDS + "n3,bread,10,48.85,2.35,5,2026-02-30\n", ("needs.csv", "4", "2026-02-30")),
    ],
    ids=["missing column", "negative kg", "unknown date"],
)
def test_it_exits_with_2_and_one_clear_line(tmp_path: Path, lots, needs, names) -> None:
    result = run(tmp_path, lots, needs)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert "Traceback" not in message
    assert len(message.splitlines()) == 1
    for name in names:
        assert name in message
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("id,category,kg\n", 1, "bad_header"),
        (LOTS + "l3,bread,0,48.85,2.35,\n", 4, "bad_kg"),
        (LOTS + "l3,bread,2.5,48.85,2.35,\n", 4, "bad_kg"),
        (LOTS + "l3,bread,²,48.85,2.35,\n", 4, "bad_kg"),
        (LOTS + "l3,bread,3,48.85,2.35,tomorrow\n", 4, "bad_date"),
        (LOTS + "l1,bread,3,48.85,2.35,\n", 4, "duplicate_id"),
        (LOTS + ",bread,3,48.85,2.35,\n", 4, "missing_id"),
        (LOTS + "l3,bread,3,91,2.35,\n", 4, "bad_position"),
        (LOTS + "l3,bread,3,north,2.35,\n", 4, "not_a_number"),
        (LOTS + "l3,bread,3,48.85\n", 4, "bad_column_count"),
    ],
)
def test_it_reports_lot_file_problems_by_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "lots.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BatchFileError) as caught:
        read_lots(path)
    assert (caught.value.line, caught.value.problem) == (line, problem)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (NEEDS + "n3,bread,10,48.85,2.35,5,\n", 4, "missing_date"),
        (NEEDS + "n3,bread,10,48.85,2.35,-1,2026-03-02\n", 4, "bad_radius"),
        (NEEDS + "n3,bread,10,48.85,2.35,inf,2026-03-02\n", 4, "not_a_number"),
        (NEEDS + "n3,bread,-10,48.85,2.35,5,2026-03-02\n", 4, "bad_kg"),
    ],
)
def test_it_reports_need_file_problems_by_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "needs.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BatchFileError) as caught:
        read_needs(path)
    assert (caught.value.line, caught.value.problem) == (line, problem)


def test_it_reads_any_category_and_an_empty_use_by(tmp_path: Path) -> None:
    path = tmp_path / "lots.csv"
    path.write_text(LOTS + "l3,Jouets d’été,3,48.85,2.35,\n", encoding="utf-8")
    lots = read_lots(path)
    assert [(x.category, x.use_by) for x in lots] == [
        ("bread", date(2026, 3, 2)),
        ("books", None),
        ("Jouets d’été", None),
    ]


def test_it_applies_the_cold_rule_share_and_check(tmp_path: Path) -> None:
    (tmp_path / "l.csv").write_text(LOTS.replace("bread", "chilled"), encoding="utf-8")
    (tmp_path / "n.csv").write_text(NEEDS.replace("bread", "chilled"), encoding="utf-8")
    paths = (tmp_path / "l.csv", tmp_path / "n.csv", tmp_path / "o.csv")
    assert run_goods(*paths).kg == 30
    # The needs in the file have cold storage (the CSV says nothing else): chilled still goes.
    assert run_goods(*paths, cold_categories=frozenset({"chilled"})).kg == 30
    summary = run_goods(*paths, max_share=0.5, check=True)
    assert (summary.kg, summary.problems) == (20, ())
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").splitlines() == [
        "lot_id,need_id,kg",
        "l1,n1,20",
    ]
