"""Measure proposed fixes before and after, on a bench database only, and undo them afterwards.

    python bench/proposals.py [--size 100000] [--runs 30] [--only NAME ...]

Each proposal is an index created by hand in the bench database (dropped again at the end) and/or a selector
rewrite patched into this process only (no file of the product changes). For each, the pages it should help are
measured before and after with the same Bench as bench/pages.py; the contact submit is measured too where an
index adds write cost. Writes bench/results/proposals-<size>.json. The product's migrations and selectors stay
as they are: the proposals are for their owners to take.
"""

import argparse
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, pages  # noqa: E402


def _counts_by_state(bookshop_id: int) -> dict[str, int]:
    """The proposed queue_counts: COUNT(state) can be answered from the index (bookshop, state, ...) alone."""
    from django.db.models import Count

    from tickets.models import Ticket
    from tickets.selectors import QUEUE_VIEWS

    return Ticket.objects.filter(bookshop_id=bookshop_id).aggregate(
        **{name: Count("state", filter=condition) for name, condition in QUEUE_VIEWS.items()}
    )


@contextmanager
def patched_counts():
    from tickets import selectors

    original = selectors.queue_counts
    selectors.queue_counts = _counts_by_state
    try:
        yield
    finally:
        selectors.queue_counts = original


@contextmanager
def cached_dashboard():
    """The proposed dashboard: its figures kept for five minutes (here: the first result, for the measured runs)."""
    from tickets import dashboard

    original = dashboard.figures
    kept = {}

    def figures(*args, **kwargs):
        if "figures" not in kept:
            kept["figures"] = original(*args, **kwargs)
        return kept["figures"]

    dashboard.figures = figures
    try:
        yield
    finally:
        dashboard.figures = original


KEYS = ("queries", "sql_ms", "median_ms", "p95_ms", "ratio")
CLOSED = "('solved', 'aborted', 'refunded')"
PROPOSALS = [
    {
        "name": "queue-counts-index-only",
        "change": "tickets/selectors.py queue_counts: Count(\"state\", filter=condition) instead of "
                  "Count(\"pk\", filter=condition)",
        "patch": patched_counts,
        "ddl": [],
        "pages": ["queue page", "queue, closed, page 50", "queue search: name"],
    },
    {
        "name": "queue-closed-index",
        "change": "Ticket.Meta.indexes += Index(fields=[\"bookshop\", \"waiting_since\", \"created_at\", \"id\"], "
                  "condition=Q(state__in=CLOSED_STATES), name=\"ticket_queue_closed\")",
        "ddl": [f"CREATE INDEX bench_p_queue_closed ON tickets_ticket (bookshop_id, waiting_since, created_at, id) "
                f"WHERE state IN {CLOSED}"],
        "pages": ["queue, closed, page 50"],
    },
    {
        "name": "queue-search-trigram",
        "change": "a migration with TrigramExtension() and two indexes: GinIndex(OpClass(Upper(\"customer_name\"), "
                  "name=\"gin_trgm_ops\"), ... customer_email, subject, message, name=\"ticket_search_trgm\") and "
                  "Index(Upper(\"reference\"), name=\"ticket_reference_upper\")",
        "ddl": ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX bench_p_search_trgm ON tickets_ticket USING gin (UPPER(customer_name) gin_trgm_ops, "
                "UPPER(customer_email) gin_trgm_ops, UPPER(subject) gin_trgm_ops, UPPER(message) gin_trgm_ops)",
                "CREATE INDEX bench_p_reference_upper ON tickets_ticket (UPPER(reference))"],
        "pages": ["queue search: name", "queue search: no hit, closed", "contact submit (POST)"],
    },
    {
        "name": "ticket-created-index",
        "change": "Ticket.Meta.indexes += Index(fields=[\"created_at\", \"id\"], name=\"ticket_created\") "
                  "(the admin orders by -created_at, -pk)",
        "ddl": ["CREATE INDEX bench_p_ticket_created ON tickets_ticket (created_at, id)"],
        "pages": ["admin case list (Level 1)", "admin case list, overdue"],
    },
    {
        "name": "dashboard-cache",
        "change": "tickets/staff_admin.py: dashboard.figures() through the cache, e.g. "
                  "cache.get_or_set(\"staff-dashboard\", dashboard.figures, 300) (the figures cover months; five "
                  "minutes old is fine)",
        "patch": cached_dashboard,
        "ddl": [],
        "pages": ["dashboard staff_admin:dashboard"],
    },
]


def _index_names(ddl: list[str]) -> list[str]:
    return [statement.split()[2] for statement in ddl if statement.startswith("CREATE INDEX")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, choices=sorted(common.SIZES), default=100_000)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 30)))
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="names of the proposals to measure")
    args = parser.parse_args(argv)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    common.setup_django(args.size)

    from django.db import connection

    pages.cleanup_submissions()
    ctx = pages.Context()
    specs = {name: (client, url, options) for name, client, url, options in pages.pages(ctx)}
    results = []
    for proposal in PROPOSALS:
        if args.only and proposal["name"] not in args.only:
            continue
        missing = [name for name in proposal["pages"] if name not in specs]
        if missing:
            print(f"\n{proposal['name']}: skipped, no page {', '.join(missing)}")
            continue
        print(f"\n{proposal['name']}: {proposal['change']}", flush=True)
        bench = pages.Bench(args.runs, args.warmup)
        for floor in ("login", "anonymous", "staff"):
            client, url, options = specs[floor]
            bench.measure(floor, client, url, **options)
        print("  before:")
        before = {name: bench.measure(name, *specs[name][:2], **specs[name][2]) for name in proposal["pages"]}
        names = _index_names(proposal["ddl"])
        patch = proposal.get("patch")
        try:
            with connection.cursor() as cursor:
                for statement in proposal["ddl"]:
                    cursor.execute(statement)
                if names:
                    cursor.execute("ANALYZE tickets_ticket")
                    cursor.execute("SELECT pg_size_pretty(SUM(pg_relation_size(c.oid))) FROM pg_class c "
                                   "WHERE c.relname = ANY(%s)", [names])
                    size = cursor.fetchone()[0]
                    print(f"  index size: {size}")
                else:
                    size = None
            print("  after:")
            if patch:
                with patch():
                    after = {name: bench.measure(name, *specs[name][:2], **specs[name][2])
                             for name in proposal["pages"]}
            else:
                after = {name: bench.measure(name, *specs[name][:2], **specs[name][2]) for name in proposal["pages"]}
        finally:
            with connection.cursor() as cursor:
                for name in names:
                    cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        results.append({"name": proposal["name"], "change": proposal["change"], "index_size": size, "pages": [
            {"page": name, **{f"before_{k}": before[name][k] for k in KEYS},
             **{f"after_{k}": after[name][k] for k in KEYS}}
            for name in proposal["pages"]]})

    pages.cleanup_submissions()
    rows = [[r["name"], p["page"], f"{p['before_sql_ms']:.1f} -> {p['after_sql_ms']:.1f}",
             f"{p['before_median_ms']:.1f} -> {p['after_median_ms']:.1f}",
             f"{p['before_p95_ms']:.1f} -> {p['after_p95_ms']:.1f}", f"{p['before_ratio']} -> {p['after_ratio']}"]
            for r in results for p in r["pages"]]
    print("\n" + common.table(rows, ["proposal", "page", "SQL ms", "median ms", "p95 ms", "x floor"]))
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / f"proposals-{args.size}.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
