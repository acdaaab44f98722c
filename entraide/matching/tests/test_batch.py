"""The match-batch command line: CSV in, CSV and one JSON line out, exit 2 on bad files."""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from entraide.matching.batch import BatchFileError, read_helpers, read_requests

HELPERS = "id,lat,lon,capacity,languages,kinds\nh1,50.85,4.35,2,fr|en,\nh2,50.86,4.36,1,,\n"
REQUESTS = "id,lat,lon,language,kind\nr1,50.851,4.351,fr,\nr2,50.86,4.37,,\nr3,50.9,4.36,nl,call\n"


def run(tmp_path: Path, helpers: str, requests: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "h.csv").write_text(helpers, encoding="utf-8")
    (tmp_path / "r.csv").write_text(requests, encoding="utf-8")
    # The command line itself is under test, so it runs as a real process; arguments are ours.
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "entraide",
            "match-batch",
            "--helpers",
            str(tmp_path / "h.csv"),
            "--requests",
            str(tmp_path / "r.csv"),
            "--radius-km",
            "5",
            "--out",
            str(tmp_path / "a.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "entraide.config.test_settings", "PATH": "/usr/bin"},
    )


def test_it_writes_pairs_and_prints_a_json_summary_last(tmp_path: Path) -> None:
    result = run(tmp_path, HELPERS, REQUESTS)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["requests"] == 3
    assert summary["helpers"] == 2
    assert summary["matched"] == 3
    assert summary["match_rate"] == 1.0
    assert set(summary) == {
        "requests",
        "helpers",
        "matched",
        "match_rate",
        "total_km",
        "median_km",
        "seconds",
    }
    with (tmp_path / "a.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["request_id"], r["helper_id"]) for r in rows] == [
        ("r1", "h1"),
        ("r2", "h1"),
        ("r3", "h2"),
    ]
    assert summary["total_km"] == pytest.approx(
        sum(float(r["distance_km"]) for r in rows), abs=1e-2
    )


def test_it_exits_with_2_and_names_the_bad_line(tmp_path: Path) -> None:
    result = run(tmp_path, HELPERS, REQUESTS + "r4,50.85,east,fr,\n")
    assert result.returncode == 2
    # The message is translated into the site's language; the line number and value are not.
    assert re.search(r"\b5\b", result.stderr.replace("r.csv", ""))
    assert "lon" in result.stderr
    assert "east" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("id,lat\n", 1, "bad_header"),
        (HELPERS + "h3,50.0,4.0,0,,\n", 4, "bad_capacity"),
        (HELPERS + "h3,50.0,4.0,²,,\n", 4, "bad_capacity"),
        (HELPERS + "h1,50.0,4.0,1,,\n", 4, "duplicate_id"),
        (HELPERS + "h4,95.0,4.0,1,,\n", 4, "bad_position"),
        (HELPERS + "h5,50.0,4.0,1\n", 4, "bad_column_count"),
        (HELPERS + "h6,nan,4.0,1,,\n", 4, "not_a_number"),
    ],
)
def test_it_reports_helper_file_problems_by_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "h.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BatchFileError) as caught:
        read_helpers(path)
    assert (caught.value.line, caught.value.problem) == (line, problem)


def test_it_reads_pipe_separated_sets_and_empty_as_any(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(HELPERS, encoding="utf-8")
    first, second = read_helpers(path)
    assert first.languages == frozenset({"fr", "en"})
    assert second.languages == frozenset()
    requests = tmp_path / "r.csv"
    requests.write_text(REQUESTS, encoding="utf-8")
    assert read_requests(requests)[2].kind == "call"
    assert read_requests(requests)[1].language is None
