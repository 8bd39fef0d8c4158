"""`make bench`: seed both bench databases (once), measure the pages at 10,000 and at 100,000 cases, measure the
mail throughput of one Celery worker, and print one table. See bench/README.md.

    python bench/run.py [--sizes 10000 100000] [--runs 30] [--mails 1000] [--no-mail] [--proposals]

Environment: BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_BROKER_URL (default
redis://127.0.0.1:6379/14), BENCH_RUNS, BENCH_MAILS, BENCH_PROPOSALS=1 (same as --proposals).

Exit status 1 when a deterministic target is missed: the queue page makes more than 12 queries, or a page's
query count changes with the number of cases or with the timeline's length. Latency targets are reported
(PASS/MISS) but do not fail the run: they depend on what else the machine is doing.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

QUEUE_MAX_QUERIES = 12
QUEUE_MEDIAN_TARGET_MS = 50.0


def run(script: str, *args: str) -> None:
    subprocess.run([common.PYTHON, str(common.ROOT / "bench" / script), *args], cwd=common.ROOT, check=True)


def summary(sizes: list[int]) -> int:
    results = {size: json.loads((common.RESULTS / f"pages-{size}.json").read_text()) for size in sizes}
    by_name = {size: {row["name"]: row for row in result["rows"]} for size, result in results.items()}
    names = [row["name"] for row in results[sizes[-1]]["rows"]]
    header = ["page"]
    for size in sizes:
        label = f"{size // 1000}k"
        header += [f"q {label}", f"SQL ms {label}", f"median {label}", f"p95 {label}", f"x floor {label}"]
    rows = []
    for name in names:
        row = [name]
        for size in sizes:
            r = by_name[size].get(name)
            if r is None:
                row += ["-"] * 5
                continue
            ratio = "floor" if r["ratio"] is None else f"{r['ratio']}x"
            row += [r["queries"], f"{r['sql_ms']:.0f}", f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}", ratio]
        rows.append(row)
    print("\n== Pages (Django test Client, real Postgres, DEBUG off; latency in ms)")
    for size in sizes:
        result = results[size]
        print(f"  {size // 1000}k: {result['database']}, {result['cases']:,} cases, "
              f"{result['big_shop_cases']:,} at the big shop; {result['runs']} runs after {result['warmup']} "
              f"warm-up; load average {result['loadavg'][0]:.2f} at the start")
    print(common.table(rows, header))

    failures = []
    checks = []
    largest = by_name[sizes[-1]]
    queue = largest["queue page"]
    checks.append((queue["queries"] <= QUEUE_MAX_QUERIES,
                   f"queue page: {queue['queries']} queries (at most {QUEUE_MAX_QUERIES})", True))
    for name in names:
        counts = {size: by_name[size][name]["queries"] for size in sizes if name in by_name[size]}
        if len(set(counts.values())) > 1 and not name.startswith("contact submit"):
            checks.append((False, f"{name}: query count changes with the number of cases {counts}", True))
    flat_sizes = all(len({by_name[s][n]["queries"] for s in sizes if n in by_name[s]}) == 1
                     for n in names if not n.startswith("contact submit"))
    checks.append((flat_sizes, f"query counts equal at {' and '.join(f'{s:,}' for s in sizes)} cases", True))
    for size in sizes:
        long, short = by_name[size]["case page, 50 events"], by_name[size]["case page, 2 events"]
        checks.append((long["queries"] == short["queries"],
                       f"case page at {size:,}: {long['queries']} queries with 50 events, {short['queries']} with 2",
                       True))
    checks.append((queue["median_ms"] < QUEUE_MEDIAN_TARGET_MS,
                   f"queue page median {queue['median_ms']:.1f} ms for the shop with "
                   f"{results[sizes[-1]]['big_shop_cases']:,} cases (target < {QUEUE_MEDIAN_TARGET_MS:.0f} ms)", False))
    print("\n== Targets (issue 5)")
    for ok, text, deterministic in checks:
        print(f"  {'PASS' if ok else ('FAIL' if deterministic else 'MISS')}  {text}")
        if not ok and deterministic:
            failures.append(text)
    return 1 if failures else 0


def mail_summary() -> None:
    path = common.RESULTS / "mail.json"
    if not path.exists():
        return
    rows = [[f"--concurrency={r['concurrency']}" + (f" DB_REUSE_MAX={r['db_reuse_max']}" if r.get("db_reuse_max")
                                                     else ""),
             r["count"], r["sent"], r["seconds"], r["mails_per_s"], r.get("floor_tasks_per_s"), f"{r.get('ratio')}x",
             r.get("task_ms_median"), r["peak_rss_mb"]]
            for r in json.loads(path.read_text())]
    print("\n== Mail throughput of one Celery worker (Redis broker, file mail backend)")
    print(common.table(rows, ["worker", "mails", "sent", "seconds", "mails/s", "floor tasks/s", "x floor",
                              "task ms (median)", "peak RSS MB"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", choices=sorted(common.SIZES), default=sorted(common.SIZES))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 30)))
    parser.add_argument("--mails", type=int, default=int(os.environ.get("BENCH_MAILS", 1000)))
    parser.add_argument("--no-mail", action="store_true", help="skip the mail throughput")
    parser.add_argument("--proposals", action="store_true", default=os.environ.get("BENCH_PROPOSALS") == "1",
                        help="also measure the proposed indexes and selector changes (bench/proposals.py)")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    for size in sizes:
        run("seed.py", "--size", str(size))
    for size in sizes:
        print(f"\n== Pages at {size:,} cases", flush=True)
        run("pages.py", "--size", str(size), "--runs", str(args.runs))
    if not args.no_mail:
        print("\n== Mail throughput", flush=True)
        extra = ["--db-reuse-max", "1000000"] if args.proposals else []
        run("mail_throughput.py", "--size", str(sizes[-1]), "--count", str(args.mails), *extra)
    if args.proposals:
        print("\n== Proposals (indexes created by hand in the bench database, dropped afterwards)", flush=True)
        run("proposals.py", "--size", str(sizes[-1]), "--runs", str(args.runs))
    status = summary(sizes)
    if not args.no_mail:
        mail_summary()
    return status


if __name__ == "__main__":
    sys.exit(main())
