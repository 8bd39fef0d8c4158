"""Print the latest results in bench/results/ as Markdown tables (the figures of docs/benchmarks.md).

    python bench/report.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


def markdown(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header)))
             + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def pages() -> None:
    results = {}
    for size in sorted(common.SIZES):
        path = common.RESULTS / f"pages-{size}.json"
        if path.exists():
            results[size] = json.loads(path.read_text())
    if not results:
        return
    sizes = sorted(results)
    by_name = {size: {row["name"]: row for row in results[size]["rows"]} for size in sizes}
    header = ["page"]
    for size in sizes:
        k = f"{size // 1000}k"
        header += [f"queries {k}", f"SQL ms {k}", f"median ms {k}", f"p95 ms {k}", f"× floor {k}"]
    rows = []
    for name in [row["name"] for row in results[sizes[-1]]["rows"]]:
        row = [name]
        for size in sizes:
            r = by_name[size].get(name)
            if r is None:
                row += ["–"] * 5
                continue
            row += [r["queries"], f"{r['sql_ms']:.0f}", f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}",
                    "floor" if r["ratio"] is None else f"{r['ratio']:.1f}×"]
        rows.append(row)
    for size in sizes:
        r = results[size]
        print(f"- {size // 1000}k: `{r['database']}`, {r['cases']:,} cases ({r['big_shop_cases']:,} at the big shop), "
              f"{r['runs']} runs after {r['warmup']} warm-up, load average {r['loadavg'][0]:.2f} at the start")
    print()
    print(markdown(header, rows))


def mail() -> None:
    path = common.RESULTS / "mail.json"
    if not path.exists():
        return
    rows = [[f"`--concurrency={r['concurrency']}`" + (" + connection reuse" if r.get("db_reuse_max") else ""),
             r["count"], r["seconds"], r["mails_per_s"], r.get("floor_tasks_per_s"), f"{r.get('ratio')}×",
             r.get("task_ms_median"), r["peak_rss_mb"]] for r in json.loads(path.read_text())]
    print()
    print(markdown(["worker", "mails", "seconds", "mails/s", "floor tasks/s", "× floor", "task ms (median)",
                    "peak RSS MB"], rows))


def proposals() -> None:
    for size in sorted(common.SIZES):
        path = common.RESULTS / f"proposals-{size}.json"
        if not path.exists():
            continue
        rows = [[r["name"], p["page"], f"{p['before_sql_ms']:.0f} → {p['after_sql_ms']:.0f}",
                 f"{p['before_median_ms']:.1f} → {p['after_median_ms']:.1f}",
                 f"{p['before_p95_ms']:.1f} → {p['after_p95_ms']:.1f}",
                 f"{p['before_ratio']}× → {p['after_ratio']}×"]
                for r in json.loads(path.read_text()) for p in r["pages"]]
        print(f"\nProposals at {size:,} cases:\n")
        print(markdown(["proposal", "page", "SQL ms", "median ms", "p95 ms", "× floor"], rows))


def load() -> None:
    path = common.RESULTS / "load.json"
    if not path.exists():
        return
    r = json.loads(path.read_text())
    rows = [[name, p["requests"], p["errors"], p["p50_ms"], p["p95_ms"]] for name, p in r["pages"].items()]
    rows.append(["all", r["requests"], r["errors"], r["p50_ms"], r["p95_ms"]])
    print(f"\nLoad: {r['rate']:g} visits/s for {r['duration_s']:g} s "
          f"({r['requests'] / r['elapsed_s']:.1f} requests/s), load average {r.get('loadavg_before', 0):.2f} before\n")
    print(markdown(["page", "requests", "errors", "p50 ms", "p95 ms"], rows))
    print(f"\nsubmits 302: {r['submits_ok']}, cases created: {r['cases_created']}, lost: {r['lost_cases']}; mails "
          f"{r['mails_sent']}/{r['mails']} sent; gunicorn workers peak RSS {r['gunicorn_worker_peak_rss_mb']} MB; "
          f"Celery processes peak RSS {r['celery_processes_peak_rss_mb']} MB")


if __name__ == "__main__":
    pages()
    mail()
    proposals()
    load()
