"""The crisis simulator is seeded, deterministic, and writes JSON, a chart and a report."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from entraide.matching.report import write_outputs
from entraide.matching.simulator import PRESETS, SimulationResult, gini, simulate

SMALL = replace(PRESETS["tiny"], volunteers=250, requests=25)


@pytest.fixture(scope="module")
def result() -> SimulationResult:
    return simulate(SMALL)


def test_it_gives_the_same_figures_for_the_same_seed(result: SimulationResult) -> None:
    assert simulate(SMALL).as_dict() == result.as_dict()
    other = simulate(replace(SMALL, seed=2), ("email_everyone",)).as_dict()
    assert other["policies"][0] != result.as_dict()["policies"][0]


def test_it_reports_every_policy_with_consistent_figures(result: SimulationResult) -> None:
    assert [r.policy for r in result.results] == [
        "email_everyone",
        "nearest_waves",
        "optimal_batch",
    ]
    for r in result.results:
        assert r.requests == 25
        assert 0 <= r.matched <= r.requests
        assert r.match_rate == pytest.approx(r.matched / r.requests, abs=1e-4)
        assert 0.0 <= r.gini_notifications <= 1.0
        if r.matched:
            assert r.hours_to_first_acceptance_median is not None
            assert r.hours_to_first_acceptance_p90 is not None
            assert r.hours_to_first_acceptance_median <= r.hours_to_first_acceptance_p90


def test_it_writes_json_chart_and_report(tmp_path: Path, result: SimulationResult) -> None:
    paths = write_outputs(result, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [p["policy"] for p in data["policies"]] == [r.policy for r in result.results]
    assert paths["chart"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = paths["report"].read_text(encoding="utf-8")
    assert "## Assumptions" in report
    assert "Nearest-first waves" in report


def test_it_rejects_unknown_policies() -> None:
    with pytest.raises(ValueError):
        simulate(SMALL, ("carrier_pigeon",))


def test_it_measures_inequality_with_gini() -> None:
    assert gini([1, 1, 1, 1]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert gini([]) == 0.0
