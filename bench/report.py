"""Markdown tables from the JSON files bench/run.py writes: one table per run, then, for each
database, every page's cost at each archive size as a multiple of its cost at the smallest.

    python bench/report.py bench/results/*.json
"""

import json
import sys
from collections import defaultdict
from pathlib import Path


def load_average(report):
    machine = report["machine"]
    return machine.get("load_average_at_end") or machine["load_average_before"]


def run_table(report):
    lines = [
        f"### {report['database']}, {report['stories']:,} stories ({report['when']}, "
        f"load average at the end: {', '.join(f'{x:.1f}' for x in load_average(report))})",
        "",
        "| page | queries | DB work | SQL ms | CPU ms | HTML bytes | gzip | req/s c1 | p50 c1 | p99 c1 "
        "| req/s c8 | p50 c8 | p99 c8 | ÷ bare c1 | ÷ static c1 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, page in report["pages"].items():
        c1, c8 = page["load"]["c1"], page["load"]["c8"]
        cpu = page.get("in_process_ms")
        lines.append(
            f"| {name} | {page['queries']} | {page.get('db_work', {}).get('amount', '–')} | "
            f"{page['sql_ms']:.2f} | "
            f"{'–' if cpu is None else f'{cpu:.2f}'} | {page['html_bytes']:,} | "
            f"{page['gzip_bytes']:,} | {c1['rps']:.0f} | {c1['p50_ms']:.2f} | {c1['p99_ms']:.2f} | "
            f"{c8['rps']:.0f} | {c8['p50_ms']:.2f} | {c8['p99_ms']:.2f} | {c1['vs_bare']:.2f} | "
            f"{c1['vs_static']:.2f} |"
        )
    lines += ["", f"Worker RSS after the runs (MiB): {report['worker_rss_mib']}; requests served: "
              f"{report['requests_per_server']}.", ""]  # fmt: skip
    lines += [
        f"- {'met' if met else '**missed**'}: {target}" for target, met in report["targets"].items()
    ]
    return "\n".join(lines) + "\n"


def growth_tables(reports):
    by_database = defaultdict(list)
    for report in reports:
        by_database[report["database"]].append(report)
    out = []
    for database, runs in by_database.items():
        runs.sort(key=lambda r: r["stories"])
        if len(runs) < 2:
            continue
        base = runs[0]
        sizes = " | ".join(f"{r['stories']:,}" for r in runs[1:])
        out += [
            f"### {database}: cost at each size ÷ cost at {base['stories']:,} stories",
            "",
            f"| page | DB work ({sizes}) | SQL ms ({sizes}) | CPU ms ({sizes}) "
            f"| req/s c1 ({sizes}) |",
            "|---|--:|--:|--:|--:|",
        ]
        for name, page in base["pages"].items():
            if name in ("bare", "static"):
                continue
            cells = []
            work = []
            for run in runs[1:]:
                a = page.get("db_work", {}).get("amount")
                b = run["pages"].get(name, {}).get("db_work", {}).get("amount")
                work.append("–" if not a or b is None else f"{b / a:.2f}")
            cells.append(" / ".join(work))
            for key in ("sql_ms", "in_process_ms"):
                ratios = []
                for run in runs[1:]:
                    a, b = page.get(key), run["pages"].get(name, {}).get(key)
                    ratios.append("–" if not a or b is None else f"{b / a:.2f}")
                cells.append(" / ".join(ratios))
            rps = [
                f"{page['load']['c1']['rps'] / run['pages'][name]['load']['c1']['rps']:.2f}"
                for run in runs[1:]
                if name in run["pages"]
            ]
            cells.append(" / ".join(rps))
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def main():
    reports = [json.loads(Path(path).read_text()) for path in sys.argv[1:]]
    reports.sort(key=lambda r: (r["database"], r["stories"]))
    for report in reports:
        print(run_table(report))
    print(growth_tables(reports))


if __name__ == "__main__":
    main()
