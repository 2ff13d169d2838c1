"""Write the results of `make bench` into docs/benchmarks.md, between two marker lines, so
the hand-written parts of the page (method, findings, before and after) stay as they are."""

from pathlib import Path
from typing import Any

BEGIN = "<!-- bench results: written by `make bench`; edit outside these two lines -->"
END = "<!-- end of bench results -->"

PAGE_NAMES = {
    "trivial": "Trivial view (`/healthz`)",
    "return_form": "Return form page",
    "autosave": "Autosave (htmx POST)",
    "case_view": "Consolidated case view",
    "dashboard": "Programme dashboard",
    "across": "Across programmes",
    "learning_summary_pdf": "Learning summary PDF (partners)",
    "answers_xlsx": "Answers .xlsx (one programme)",
    "inspection_pack": "Inspection pack (6 cases)",
    "answers_xlsx_every_programme": "Answers .xlsx (every programme)",
}
LOAD_NAMES = {
    "trivial": "Trivial view, signed in (the floor)",
    "trivial_again": "Trivial view, signed in, again at the end",
    "trivial_anonymous": "Trivial view, no session",
}
DATABASE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

TARGETS = {
    "think_p95_ms": 50.0,
    "ratio": 0.4,
    "dashboard_ms": 300.0,
    "across_ms": 1000.0,
    "pack_ms": 10_000.0,
    "synth_seconds": 120.0,
}


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 10_000:
        return f"{value / 1000:,.1f} s"
    if value >= 100:
        return f"{value:,.0f} ms"
    return f"{value:,.1f} ms"


def _ratio(value: float) -> str:
    return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"


def _size(size: str) -> str:
    return f"{int(size):,}"


def trivial_rate(load: dict[str, Any]) -> float:
    pages = load["pages"]
    rates = [
        pages[name]["saturation"]["rate"] for name in ("trivial", "trivial_again") if name in pages
    ]
    return sum(rates) / len(rates) if rates else 0.0


def machine_table(runs: list[dict[str, Any]]) -> list[str]:
    rows = [
        ("Cores (`nproc`)", "cores"),
        ("Processor", "cpu"),
        ("Memory", "memory"),
        ("System", "system"),
        ("Python", "python"),
        ("Django", "django"),
        ("gunicorn", "gunicorn"),
        ("Database", "database"),
        ("Load average at start (1, 5, 15 min)", "load_average_at_start"),
        ("Load average at end", "load_average_at_end"),
    ]
    head = "| | " + " | ".join(DATABASE_NAMES[run["database"]] + " run" for run in runs) + " |"
    lines = [head, "|---" * (len(runs) + 1) + "|"]
    for label, key in rows:
        values = []
        for run in runs:
            value = run["machine"].get(key, "—")
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            values.append(str(value))
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    times = [f"{run.get('started', '?')} → {run.get('finished', 'unfinished')}" for run in runs]
    lines.append("| When (UTC) | " + " | ".join(times) + " |")
    return lines


def load_runs(run: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The load tests of a run, by size, smallest first."""
    return sorted((run.get("load") or {}).items(), key=lambda item: int(item[0]))


def load_table(run: dict[str, Any], size: str, load: dict[str, Any]) -> list[str]:
    name = DATABASE_NAMES[run["database"]]
    floor = trivial_rate(load)
    lines = [
        f"**{name}, {int(size):,} cases** (the dashboard's programme has "
        f"{load['programme_cases']:,}); gunicorn with {load['workers']} sync workers; "
        f"{load['concurrency']} closed-loop users for {load['seconds']:g} s each after a warm-up; "
        f"{load['thinking_users']} thinking users (1–3 s between requests) for "
        f"{load['think_seconds']:g} s each.",
        "",
        "| page | saturated req/s | saturated p95 | ratio to trivial | thinking p50 "
        "| thinking p95 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page, entry in load["pages"].items():
        saturated = entry["saturation"]
        thinking = entry.get("thinking", {})
        label = LOAD_NAMES.get(page) or PAGE_NAMES.get(page, page)
        ratio = saturated["rate"] / floor if floor else 0.0
        errors = saturated["errors"] + thinking.get("errors", 0)
        lines.append(
            f"| {label} | {saturated['rate']:,.1f} | {_ms(saturated['p95_ms'])} | "
            f"{_ratio(ratio)} | {_ms(thinking.get('p50_ms'))} | {_ms(thinking.get('p95_ms'))} | "
            f"{errors} |"
        )
    lines += [
        "",
        f"The ratio is each page's saturated rate over the signed-in trivial view's "
        f"({floor:,.1f} req/s, the mean of its two runs).",
        "",
    ]
    return lines


def pages_table(run: dict[str, Any]) -> list[str]:
    sizes = list(run["sizes"])
    if not sizes:
        return []
    name = DATABASE_NAMES[run["database"]]
    lines = [
        f"**{name}**: time (SQL queries). Pages: median of 5 after one warm-up; documents: "
        "best of 2 (for the inspection pack and the exports, the time includes preparing the "
        "file, which the immediate task backend does inside the request).",
        "",
        "| page | " + " | ".join(f"{_size(s)} cases" for s in sizes) + " | queries flat |",
        "|---" + "|---:" * len(sizes) + "|---|",
    ]
    for page, label in PAGE_NAMES.items():
        cells, counts = [], []
        for size in sizes:
            measured = run["sizes"][size].get("pages", {}).get(page)
            if measured is None:
                cells.append("—")
                continue
            counts.append(measured["queries"])
            cells.append(f"{_ms(measured['ms'])} ({measured['queries']})")
        if not counts:
            continue
        flat = "yes" if len(set(counts)) == 1 else "no: " + " → ".join(map(str, counts))
        if len(counts) == 1:
            flat = "one size"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {flat} |")
    programme_sizes = [
        str(run["sizes"][s].get("subjects", {}).get("programme_cases", "—")) for s in sizes
    ]
    lines += [
        "| *cases in the dashboard's programme* | " + " | ".join(programme_sizes) + " | |",
        "",
    ]
    return lines


def synth_table(runs: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| database | cases | build time | returns | answers | findings | actions |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for size, entry in run["sizes"].items():
            counts = entry.get("counts", {})
            done = "" if entry.get("synth_finished") else " (unfinished)"
            lines.append(
                f"| {DATABASE_NAMES[run['database']]} | {_size(size)} | "
                f"{entry.get('synth_seconds', 0):.1f} s{done} | "
                f"{counts.get('audits.Return', 0):,} | {counts.get('audits.Answer', 0):,} | "
                f"{counts.get('meetings.Finding', 0):,} | {counts.get('meetings.Action', 0):,} |"
            )
    lines.append("")
    return lines


def _verdict(value: float | None, limit: float, *, at_most: bool = True, show: str = "") -> str:
    if value is None:
        return "not measured"
    met = value < limit if at_most else value >= limit
    return f"{'met' if met else '**missed**'} ({show or _ms(value)})"


def _page(run: dict[str, Any], size: str, page: str) -> float | None:
    measured = run["sizes"].get(size, {}).get("pages", {}).get(page)
    return measured["ms"] if measured else None


def targets_table(runs: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target | " + " | ".join(DATABASE_NAMES[run["database"]] for run in runs) + " |",
        "|---" * (len(runs) + 1) + "|",
    ]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    sizes = sorted({size for run in runs for size, _ in load_runs(run)}, key=int)
    for size in sizes:
        at = f" ({_size(size)} cases)"
        for page, label in (("return_form", "Return form"), ("autosave", "Autosave")):
            cells = []
            for run in runs:
                load = (run.get("load") or {}).get(size, {})
                thinking = load.get("pages", {}).get(page, {}).get("thinking")
                value = thinking["p95_ms"] if thinking else None
                cells.append(_verdict(value, TARGETS["think_p95_ms"]))
            row(f"{label}: p95 under 50 ms with 20 thinking users{at}", cells)
        cells = []
        for run in runs:
            load = (run.get("load") or {}).get(size)
            if not load:
                cells.append("not measured")
                continue
            floor = trivial_rate(load)
            ratios = {
                page: entry["saturation"]["rate"] / floor
                for page, entry in load["pages"].items()
                if not page.startswith("trivial") and floor
            }
            worst = min(ratios, key=lambda page: ratios[page])
            below = [PAGE_NAMES[p].lower() for p in ratios if ratios[p] < TARGETS["ratio"]]
            shown = f"lowest: {PAGE_NAMES[worst].lower()}, {_ratio(ratios[worst])}"
            if below:
                shown += f"; below 40%: {', '.join(below)}"
            cells.append(_verdict(ratios[worst], TARGETS["ratio"], at_most=False, show=shown))
        row(f"Every page at least 40% of the trivial view's throughput{at}", cells)
    row(
        "Programme dashboard under 300 ms at 1,000 cases",
        [_verdict(_page(run, "1000", "dashboard"), TARGETS["dashboard_ms"]) for run in runs],
    )
    row(
        "Across programmes under 1 s at 10,000 cases",
        [_verdict(_page(run, "10000", "across"), TARGETS["across_ms"]) for run in runs],
    )
    cells = []
    for run in runs:
        uneven = []
        for page in PAGE_NAMES:
            counts = {
                entry["pages"][page]["queries"]
                for entry in run["sizes"].values()
                if page in entry.get("pages", {})
            }
            if len(counts) > 1:
                uneven.append(PAGE_NAMES[page].lower())
        cells.append("met" if not uneven else "**missed** (" + "; ".join(uneven) + ")")
    row("Same SQL query count at every size", cells)
    cells = []
    for run in runs:
        measured = [size for size in run["sizes"] if _page(run, size, "inspection_pack")]
        largest = max(measured, key=int) if measured else ""
        value = _page(run, largest, "inspection_pack") if largest else None
        shown = f"{_ms(value)} at {_size(largest)} cases" if value is not None else ""
        cells.append(_verdict(value, TARGETS["pack_ms"], show=shown))
    row("Inspection pack for 6 cases under 10 s", cells)
    cells = []
    for run in runs:
        entry = run["sizes"].get("10000")
        seconds = entry.get("synth_seconds") if entry and entry.get("synth_finished") else None
        cells.append(
            _verdict(seconds, TARGETS["synth_seconds"], show=f"{seconds:.0f} s" if seconds else "")
        )
    row("`caseaudit synth --cases 10000` under two minutes", cells)
    lines.append("")
    return lines


def results_markdown(runs: list[dict[str, Any]]) -> str:
    order = {"sqlite": 0, "postgres": 1}
    runs = sorted(runs, key=lambda run: order.get(run["database"], 2))
    lines = ["### Targets", "", *targets_table(runs), "### The machine", ""]
    lines += [*machine_table(runs), "", "### Under load", ""]
    for run in runs:
        tested = load_runs(run)
        if not tested:
            lines += [f"**{DATABASE_NAMES[run['database']]}**: the load test did not run.", ""]
        for size, load in tested:
            lines += load_table(run, size, load)
    lines += ["### Pages and documents by size", ""]
    for run in runs:
        lines += pages_table(run)
    lines += ["### Synthetic data", "", *synth_table(runs)]
    notes = [f"* {DATABASE_NAMES[run['database']]}: {n}" for run in runs for n in run["notes"]]
    if notes:
        lines += ["### Notes from the run", "", *notes, ""]
    return "\n".join(lines).rstrip() + "\n"


DEFAULT_PAGE = f"""# Benchmarks

Measured by `make bench`.

{BEGIN}
{END}
"""


def write_report(runs: list[dict[str, Any]], path: Path) -> None:
    text = path.read_text() if path.exists() else DEFAULT_PAGE
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    path.write_text(f"{before}{BEGIN}\n\n{results_markdown(runs)}\n{END}{after}")
