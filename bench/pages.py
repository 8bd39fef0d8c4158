"""Measure the pages on one bench database with Django's test Client against the real Postgres.

    python bench/pages.py --size 100000 [--runs 30] [--warmup 5]

For each page: the SQL query count and the time Postgres took (CaptureQueriesContext, the median of 5 extra
requests; Django logs it in whole milliseconds), the median and 95th percentile of
`runs` requests after `warmup` unmeasured ones, and the ratio of the median to the floor (bench/urls.py: one
indexed query through the same middleware, session and login; a page's runs alternate with its floor's). Pages
that need a login use the floor with that login; public pages the anonymous floor. Then EXPLAIN (ANALYZE,
BUFFERS) of the queue's queries.
Writes bench/results/pages-<size>.json. DEBUG is off (bench/settings.py); tasks run eagerly, mail goes to
Django's locmem backend, so a contact submit includes rendering and "sending" its two mails.
"""

import argparse
import contextlib
import json
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SQL_RUNS = 5
SEARCH_NAME = "Meier"
SEARCH_MISS = "Garantiefall"


class Bench:
    """Times pages. A page's runs alternate with runs of its floor, so the ratio compares the two under the same
    conditions even when other processes load the machine now and then."""

    def __init__(self, runs: int, warmup: int):
        self.runs, self.warmup = runs, warmup
        self.rows: list[dict] = []
        self.floor_calls: dict[str, object] = {}

    def measure(self, name: str, client, url: str, *, method: str = "get", data=None, expect: int = 200,
                floor: str | None = "login", check=None) -> dict:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def call():
            payload = data() if callable(data) else data
            response = getattr(client, method)(url, payload) if payload is not None else getattr(client, method)(url)
            if response.status_code != expect:
                raise SystemExit(f"{name}: {method.upper()} {url} answered {response.status_code}, not {expect}")
            if check is not None:
                check(response)
            return response

        floor_call = self.floor_calls.get(floor) if floor else None
        for _ in range(self.warmup):
            call()
            if floor_call:
                floor_call()
        times, floor_times = [], []
        for _ in range(self.runs):
            if floor_call:
                began = time.perf_counter()
                floor_call()
                floor_times.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            call()
            times.append((time.perf_counter() - began) * 1000)
        sql_totals = []
        for _ in range(SQL_RUNS):  # the SQL's own time: the median of a few requests with the queries logged
            with CaptureQueriesContext(connection) as captured:
                call()
            sql_totals.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        sql_ms = common.median(sql_totals)
        row = {"name": name, "url": url, "method": method.upper(), "queries": len(captured.captured_queries),
               "sql_ms": round(sql_ms, 2),
               "median_ms": round(common.median(times), 2), "p95_ms": round(common.percentile(times, 95), 2),
               "floor": floor, "sql": [q["sql"] for q in captured.captured_queries],
               "floor_median_ms": round(common.median(floor_times), 2) if floor_times else None}
        if floor is None:
            self.floor_calls[name] = call
        row["ratio"] = round(row["median_ms"] / row["floor_median_ms"], 1) if floor_times else None
        self.rows.append(row)
        ratio = f"{row['ratio']:>5}x" if row["ratio"] is not None else "  -   "
        print(f"  {name:<34} {row['queries']:>3} q {row['sql_ms']:>6.1f} ms SQL  median {row['median_ms']:>7.2f} ms  "
              f"p95 {row['p95_ms']:>7.2f} ms  {ratio}", flush=True)
        return row


def find_dashboards() -> list[tuple[str, str]]:
    """Named url patterns with 'dashboard' in their name that take no argument: (name, path)."""
    from django.urls import NoReverseMatch, get_resolver, reverse
    from django.urls.resolvers import URLResolver

    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif pattern.name and "dashboard" in pattern.name:
                with contextlib.suppress(NoReverseMatch):
                    found.append((namespace + pattern.name, reverse(namespace + pattern.name)))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def queue_explains(sqls: list[str]) -> dict[str, str]:
    """The queue page's queries on the case table: the page of cases, the paginator's count, the view counts."""
    named = {}
    for sql in sqls:
        if '"tickets_ticket"' not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        if "FILTER (WHERE" in sql:
            named["counts (queue_counts)"] = sql
        elif "COUNT(*)" in sql:
            named["paginator count"] = sql
        elif "LIMIT" in sql:
            named["main (selectors.queue, page 1)"] = sql
    return {name: f"{sql}\n\n{explain(sql)}" for name, sql in named.items()}


class Context:
    """The clients, logins and marked cases the pages are measured with."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from tickets.models import Bookshop, Ticket

        User = get_user_model()
        self.big = Bookshop.objects.get(slug="bench-shop-00")
        self.small = Bookshop.objects.get(slug=f"bench-shop-{49:02d}")
        self.case50 = Ticket.objects.get(order_number="BENCH-50")
        self.case2 = Ticket.objects.get(order_number="BENCH-2")
        self.shop, self.anonymous, self.staff = Client(), Client(), Client()
        self.anonymous_floor = Client()  # never gets a session, whatever the anonymous pages do
        self.shop.force_login(User.objects.get(username="bench-shop-00"))
        self.staff.force_login(User.objects.get(username="bench-level1"))

    def contact_data(self):
        key = uuid.uuid4()
        return {"bookshop": self.small.pk, "customer_name": "Bench Kundin",
                "customer_email": f"{key.hex[:12]}@bench.example", "category": "problem",
                "device": "pocketbook_lux", "order_number": "", "subject": "Reader startet nicht",
                "message": "Der Bildschirm bleibt schwarz, auch nach dem Laden über Nacht.", "privacy": "on",
                "submission_key": str(key), "tried_article": "", "website": ""}


def cleanup_submissions() -> int:
    """Delete the cases the bench's contact submits and load runs made (and their mails), so the seeded
    sizes stay what they are."""
    from django.db.models import Q

    from mail.models import OutboundMessage
    from tickets.models import Ticket

    made = Ticket.objects.filter(Q(customer_email__endswith="@bench.example")
                                 | Q(customer_email__regex=r"@load-[0-9a-fw]+\.example$"))
    references = list(made.values_list("reference", flat=True))
    OutboundMessage.objects.filter(thread__in=references).delete()
    made.delete()
    return len(references)


def _sent(response):
    if not response["Location"].endswith("/contact/sent/"):
        raise SystemExit(f"contact submit went to {response['Location']}")


def pages(ctx: Context) -> list[tuple[str, object, str, dict]]:
    """(name, client, url, options of Bench.measure) for every measured page, floors first."""
    c50, c2 = ctx.case50, ctx.case2
    anon = {"floor": "anonymous"}
    found = [
        ("login", ctx.shop, f"/bench/floor/?ref={c50.reference}", {"floor": None}),
        ("anonymous", ctx.anonymous_floor, f"/bench/floor/?ref={c50.reference}", {"floor": None}),
        ("staff", ctx.staff, f"/bench/floor/?ref={c50.reference}", {"floor": None}),
        ("queue page", ctx.shop, "/queue/", {}),
        ("queue, newest first", ctx.shop, "/queue/?sort=newest", {}),
        ("queue, overdue first", ctx.shop, "/queue/?sort=overdue", {}),
        ("queue, closed, page 50", ctx.shop, "/queue/?view=closed&page=50", {}),
        ("queue search: name", ctx.shop, f"/queue/?q={SEARCH_NAME}", {}),
        ("queue search: reference", ctx.shop, f"/queue/?q={c50.reference}", {}),
        ("queue search: no hit, closed", ctx.shop, f"/queue/?view=closed&q={SEARCH_MISS}", {}),
        ("case page, 50 events", ctx.shop, f"/queue/{c50.reference}/", {}),
        ("case page, 2 events", ctx.shop, f"/queue/{c2.reference}/", {}),
        ("private case page, 50 ev.", ctx.anonymous, f"/case/bench-token-{c50.pk}/", anon),
        ("eHelp home", ctx.anonymous, "/", anon),
        ("contact form (GET)", ctx.anonymous, "/contact/", anon),
        ("contact submit (POST)", ctx.anonymous, "/contact/",
         {**anon, "method": "post", "data": ctx.contact_data, "expect": 302, "check": _sent}),
    ]
    found += [(f"dashboard {name}", ctx.staff, path, {"floor": "staff"}) for name, path in find_dashboards()]
    found += [
        ("admin index (Level 1)", ctx.staff, "/admin/", {"floor": "staff"}),
        ("admin case list (Level 1)", ctx.staff, "/admin/tickets/ticket/", {"floor": "staff"}),
        ("admin case list, overdue", ctx.staff, "/admin/tickets/ticket/?overdue=yes", {"floor": "staff"}),
    ]
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, choices=sorted(common.SIZES), default=100_000)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 30)))
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    common.migrate(args.size)  # the schema follows the code (the seed may be older than the last migration)
    common.setup_django(args.size)

    from django.db import connection

    from tickets.models import Ticket

    cleanup_submissions()
    ctx = Context()
    total = Ticket.objects.count()
    big_count = Ticket.objects.filter(bookshop=ctx.big).count()
    loadavg = os.getloadavg()
    print(f"{connection.settings_dict['NAME']}: {total:,} cases, {big_count:,} at {ctx.big.slug}; "
          f"{args.runs} runs after {args.warmup} warm-up; load average {os.getloadavg()[0]:.2f}", flush=True)
    bench = Bench(args.runs, args.warmup)
    specs = pages(ctx)
    if not any(name.startswith("dashboard ") for name, *_ in specs):
        print("  (no url named *dashboard*: the staff dashboard is not measured)")
    for name, client, url, options in specs:
        before = Ticket.objects.count()
        bench.measure(name, client, url, **options)
        if options.get("method") == "post":
            made = Ticket.objects.count() - before
            submits = args.runs + args.warmup + SQL_RUNS
            if made != submits:
                raise SystemExit(f"{name}: {made} cases made for {submits} submits")

    cleanup_submissions()
    queue = next(r for r in bench.rows if r["name"] == "queue page")
    explains = queue_explains(queue["sql"])
    search = next(r for r in bench.rows if r["name"] == "queue search: name")
    for sql in search["sql"]:
        if '"tickets_ticket"' in sql and "LIMIT" in sql:
            explains["search by name (main)"] = f"{sql}\n\n{explain(sql)}"
    for name, text in explains.items():
        print(f"\n--- EXPLAIN (ANALYZE, BUFFERS): {name} ---\n{text}")

    result = {"size": args.size, "database": connection.settings_dict["NAME"], "cases": total,
              "big_shop_cases": big_count, "runs": args.runs, "warmup": args.warmup,
              "loadavg": loadavg, "dashboards": find_dashboards(), "rows": bench.rows, "explain": explains,
              "case50": ctx.case50.reference}
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / f"pages-{args.size}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
