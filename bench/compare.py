"""Two builds side by side, from the JSON files bench/run.py writes for each on the same database.

    python bench/compare.py BEFORE.json AFTER.json [BEFORE2.json AFTER2.json ...]

The files come in the order the runs were taken: before, after, before, after, and so on (the
builds interleaved, so a busy spell on the machine falls on both). For each page it prints the
load-independent figures (queries, DB work, HTML and gzip bytes; also the address and status,
which say the same page was measured) with every value that differs from the first BEFORE run
flagged, then req/s at each connection count and the in-process CPU ms: the median of each
build, its spread (lowest and highest run) and the ratio after ÷ before. The exit status is 1
when any load-independent figure differs, 2 when the files are not runs on the same database.
"""

import json
import statistics
import sys
from pathlib import Path

# What a page's work is, whatever the machine is doing: these must match between two builds that
# are meant to behave the same.
FIXED = ("path", "status", "queries", "db_work", "html_bytes", "gzip_bytes", "cache_hit")


def fixed_figures(page):
    figures = {key: page[key] for key in FIXED if key in page}
    if "db_work" in figures:
        figures["db_work"] = f"{figures['db_work']['amount']} {figures['db_work']['unit']}"
    return figures


def differences(before_runs, after_runs):
    """(page, figure, reference, other value, run) for each figure that differs from the first
    BEFORE run's, in any run of either build; a page missing from a run counts as a difference."""
    reference = before_runs[0]["pages"]
    runs = [("before", n, run) for n, run in enumerate(before_runs, 1)]
    runs += [("after", n, run) for n, run in enumerate(after_runs, 1)]
    found = []
    for name in dict.fromkeys(name for _, _, run in runs for name in run["pages"]):
        expected = fixed_figures(reference[name]) if name in reference else None
        for side, n, run in runs:
            page = run["pages"].get(name)
            seen = fixed_figures(page) if page else None
            if expected is None or seen is None:
                if expected != seen:
                    shown = ("measured" if page else "missing" for page in (expected, seen))
                    found.append((name, "page", *shown, f"{side} {n}"))
                continue
            for key in dict.fromkeys([*expected, *seen]):
                if expected.get(key) != seen.get(key):
                    found.append((name, key, expected.get(key), seen.get(key), f"{side} {n}"))
    return found


def rps(runs, page, connections):
    return [run["pages"][page]["load"][connections]["rps"] for run in runs if page in run["pages"]]


def cpu_ms(runs, page):
    found = (run["pages"].get(page, {}).get("in_process_ms") for run in runs)
    return [ms for ms in found if ms is not None]


def summary(before, after):
    """The median of each build's runs, each build's lowest and highest, and after ÷ before."""
    if not before or not after:
        return None
    middle_before, middle_after = statistics.median(before), statistics.median(after)
    return {
        "before": middle_before,
        "after": middle_after,
        "before_range": (min(before), max(before)),
        "after_range": (min(after), max(after)),
        "ratio": round(middle_after / middle_before, 3) if middle_before else None,
    }


def rps_summary(before_runs, after_runs, page, connections):
    return summary(rps(before_runs, page, connections), rps(after_runs, page, connections))


def same_database(runs):
    return len({(run["database"], run["stories"]) for run in runs}) == 1


def work_unit(run):
    return next(page["db_work"]["unit"] for page in run["pages"].values() if "db_work" in page)


def fixed_table(before_runs, after_runs, found):
    flagged = {(name, key) for name, key, *_ in found}
    lines = [
        "| page | queries | DB work | HTML bytes | gzip bytes | same |",
        "|---|--:|--:|--:|--:|:-:|",
    ]
    before, after = before_runs[0]["pages"], after_runs[0]["pages"]
    for name in dict.fromkeys([*before, *after]):
        cells = []
        for key in ("queries", "db_work", "html_bytes", "gzip_bytes"):
            a, b = (
                str(run[name][key]["amount"] if key == "db_work" else run[name][key])
                if key in run.get(name, {})
                else "–"
                for run in (before, after)
            )
            cells.append(a if a == b else f"**{a} → {b}**")
        same = not any((name, key) in flagged for key in ("page", *FIXED))
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {'yes' if same else '**no**'} |")
    return lines


def summary_cells(figures, runs, digits=0):
    if figures is None:
        return ["–", "–", "–"]
    cells = []
    for side in ("before", "after"):
        low, high = figures[f"{side}_range"]
        spread = f" ({low:.{digits}f}–{high:.{digits}f})" if runs > 1 else ""
        cells.append(f"{figures[side]:.{digits}f}{spread}")
    return [*cells, f"{figures['ratio']:.2f}" if figures["ratio"] else "–"]


def load_table(before_runs, after_runs):
    counts = list(before_runs[0]["pages"]["bare"]["load"])
    head = " | ".join(f"req/s {c} before | after | ÷" for c in counts)
    lines = [
        f"| page | {head} | CPU ms before | after | ÷ |",
        "|---|" + "--:|--:|--:|" * (len(counts) + 1),
    ]
    for name in before_runs[0]["pages"]:
        cells = []
        for c in counts:
            cells += summary_cells(rps_summary(before_runs, after_runs, name, c), len(before_runs))
        cpu = summary(cpu_ms(before_runs, name), cpu_ms(after_runs, name))
        cells += summary_cells(cpu, len(before_runs), digits=2)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main(paths):
    if len(paths) < 2 or len(paths) % 2:
        sys.exit(__doc__)
    runs = [json.loads(Path(path).read_text()) for path in paths]
    if not same_database(runs):
        print("The runs are not on one database:", {(r["database"], r["stories"]) for r in runs})
        return 2
    before_runs, after_runs = runs[0::2], runs[1::2]
    found = differences(before_runs, after_runs)
    first = before_runs[0]
    print(f"### {first['database']}, {first['stories']:,} stories: "
          f"{len(before_runs)} run(s) of each build, {first['duration_s']} s per page\n")  # fmt: skip
    print(f"Load-independent figures, first run of each build (DB work: {work_unit(first)}):\n")
    print("\n".join(fixed_table(before_runs, after_runs, found)))
    print(
        "\nLoad-dependent figures, the median of each build's runs (lowest–highest); ÷ is after "
        "over before. CPU ms is the whole request in-process (Django's test client):\n"
    )
    print("\n".join(load_table(before_runs, after_runs)))
    loads = [", ".join(f"{x:.1f}" for x in r["machine"]["load_average_at_end"]) for r in runs]
    print(f"\nLoad average at the end of each run, in order: {' / '.join(loads)}")
    if found:
        print("\nDifferences in load-independent figures:")
        for name, key, expected, seen, where in found:
            print(f"- {name} {key}: {expected} in before 1, {seen} in {where}")
        return 1
    print("\nEvery load-independent figure is the same in every run.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
