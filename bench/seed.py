"""Seed a bench database: 50 partner bookshops (one holding a tenth of all cases), their logins, a Level 1 login,
cases in every state with timelines of up to 50 events, and the mails those cases sent. Written with COPY, so
100,000 cases take well under two minutes; a database that already holds the data is left as it is.

    python bench/seed.py --size 100000      # database ebookit_bench
    python bench/seed.py --size 10000       # database ebookit_bench_10k
    python bench/seed.py --size 10000 --reset

Marked cases the measurements look for (in the big shop, `bench-shop-00`):
    order_number BENCH-50  open at the bookshop, 50 events, the customer waiting
    order_number BENCH-2   open at the bookshop, 2 events
The private link token of every case is `bench-token-<id>`.
"""

import argparse
import hashlib
import io
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SHOPS = 50
BIG_SHOP_SHARE = 0.10
MAX_EVENTS = 50
STATE_WEIGHTS = {"bookshop": 14, "level1": 5, "level2": 2, "solved": 64, "aborted": 3, "refunded": 12}
FIRST_NAMES = ["Anna", "Beat", "Claire", "Daniel", "Eva", "Franz", "Gabriela", "Hans", "Irene", "Jürg", "Karin",
               "Lukas", "Monika", "Nicolas", "Olivia", "Peter", "Regula", "Simon", "Tanja", "Urs", "Verena", "Walter",
               "Yvonne", "Zoé", "Marco", "Laura", "Stefan", "Sandra", "Thomas", "Nadia"]
LAST_NAMES = ["Meier", "Müller", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer", "Steiner", "Fischer",
              "Gerber", "Brunner", "Baumann", "Frei", "Zimmermann", "Moser", "Widmer", "Wyss", "Graf", "Roth",
              "Dubois", "Rochat", "Favre", "Bernasconi", "Rossi", "Suter", "Bachmann", "Kunz", "Marti", "Lehmann"]
SUBJECTS = ["PocketBook LUX startet nicht mehr", "Gekauftes eBook erscheint nicht", "Adobe DRM Fehler",
            "Frage zu den Formaten", "eBook lässt sich nicht öffnen", "Zahlung abgebucht, kein Download",
            "Bildschirm bleibt schwarz", "WLAN-Verbindung bricht ab", "Schrift zu klein", "Akku hält nicht",
            "Erreur Adobe DRM", "Le livre ne s'ouvre pas", "Synchronisation funktioniert nicht",
            "Leseprobe statt ganzes Buch", "Passwort vergessen"]
WORDS = str.split("der Bildschirm bleibt schwarz nach dem Laden über Nacht Adobe Digital Editions meldet einen Fehler "
         "beim Öffnen ich habe den Reader neu gestartet und das Kabel gewechselt das eBook erscheint nicht in "
         "der Bibliothek die Datei ist beschädigt auch nach erneutem Herunterladen mein Laptop läuft mit "
         "Windows 10 und die Synchronisation mit der Cloud bricht ab bitte helfen Sie mir weiter danke")
CATEGORIES = ["question", "problem", "problem", "problem", "wish", "other"]
DEVICES = ["pocketbook_lux", "pocketbook_lux", "pocketbook_lux", "other_ereader", "windows_pc", "mac", "tablet",
           "smartphone", ""]
LANGUAGES = ["de"] * 7 + ["fr"] * 2 + ["en"]
PATHS = {
    "bookshop": [[], [], [], ["escalate_to_level1", "return_to_bookshop"]],
    "level1": [["escalate_to_level1"], ["escalate_to_level1", "escalate_to_level2", "return_to_level1"]],
    "level2": [["escalate_to_level1", "escalate_to_level2"]],
    "solved": [["solve"], ["solve"], ["solve"], ["escalate_to_level1", "solve"]],
    "aborted": [["escalate_to_level1", "escalate_to_level2", "abort"]],
    "refunded": [["escalate_to_level1", "refund"], ["escalate_to_level1", "escalate_to_level2", "refund"]],
}
TARGETS = {"escalate_to_level1": ("bookshop", "level1"), "return_to_bookshop": ("level1", "bookshop"),
           "escalate_to_level2": ("level1", "level2"), "return_to_level1": ("level2", "level1"),
           "solve": (None, "solved"), "abort": ("level2", "aborted"), "refund": (None, "refunded")}
EVENT_RANGE = {"bookshop": (1, 6), "level1": (3, 12), "level2": (5, 18), "solved": (2, 10), "aborted": (6, 18),
               "refunded": (5, 16)}


def has_data(size: int) -> bool:
    from tickets.models import Bookshop, Ticket

    big = Bookshop.objects.filter(slug="bench-shop-00").first()
    return big is not None and Ticket.objects.filter(order_number="BENCH-50").exists() and (
        Ticket.objects.filter(bookshop__slug__startswith="bench-shop-").count() >= size)


# --- COPY ----------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    value = str(value)
    if any(c in value for c in "\\\t\n\r"):
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _defaults(model, given: set[str]) -> dict[str, object]:
    """A value for every column the seeder does not set itself (fields added later keep working)."""
    from django.utils import timezone

    now = timezone.now()
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.attname] = now
        elif field.has_default():
            value = field.get_default()
            values[field.attname] = value if field.get_internal_type() == "JSONField" else field.get_prep_value(value)
        elif field.null:
            values[field.attname] = None
        elif field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField"):
            values[field.attname] = ""
        else:
            raise SystemExit(f"bench/seed.py: {model.__name__}.{field.name} has no default; teach the seeder it.")
    return values


def copy_rows(cursor, model, rows: list[dict], chunk: int = 25_000) -> None:
    if not rows:
        return
    given = set(rows[0])
    defaults = _defaults(model, given)
    columns = list(rows[0]) + list(defaults)
    default_text = "\t".join(_text(v) for v in defaults.values())
    column_of = {field.attname: field.column for field in model._meta.concrete_fields}
    names = ", ".join(f'"{column_of[c]}"' for c in columns)
    sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
    for start in range(0, len(rows), chunk):
        buffer = io.StringIO()
        for row in rows[start:start + chunk]:
            buffer.write("\t".join(_text(v) for v in row.values()))
            if default_text:
                buffer.write("\t" + default_text)
            buffer.write("\n")
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)


# --- data ----------------------------------------------------------------------------------------------------


def _people():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tickets.models import Bookshop, BookshopMember
    from tickets.roles import LEVEL1_GROUP, LEVEL2_GROUP

    User = get_user_model()
    shops = Bookshop.objects.bulk_create([
        Bookshop(slug=f"bench-shop-{n:02d}", name=f"Bench Buchhandlung {n:02d}", place="Bern",
                 notification_emails=f"team@bench-shop-{n:02d}.example", language="de")
        for n in range(SHOPS)
    ])
    users = []
    for n in range(SHOPS):
        user = User(username=f"bench-shop-{n:02d}", email=f"login@bench-shop-{n:02d}.example")
        user.set_unusable_password()
        users.append(user)
    level1 = User(username="bench-level1", email="level1@bench.example", is_staff=True)
    level2 = User(username="bench-level2", email="level2@bench.example", is_staff=True)
    for user in (level1, level2):
        user.set_unusable_password()
    users = User.objects.bulk_create([*users, level1, level2])
    BookshopMember.objects.bulk_create(
        [BookshopMember(user=user, bookshop=shop) for user, shop in zip(users, shops, strict=False)])
    level1, level2 = users[-2], users[-1]
    for user, name in ((level1, LEVEL1_GROUP), (level2, LEVEL2_GROUP)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            user.groups.add(group)
    return shops, users[:SHOPS], level1, level2


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def generate(size: int, seed: int = 20261203):
    """Tickets, events and mails as column dicts, the ids assigned here (the sequences are set afterwards)."""
    from django.db.models import Max

    from mail.models import OutboundMessage
    from tickets.models import Ticket, TicketEvent

    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    shops, logins, level1, _level2 = _people()
    big = shops[0]
    big_count = int(size * BIG_SHOP_SHARE)
    shop_of = [big] * big_count + [shops[1 + i % (SHOPS - 1)] for i in range(size - big_count)]
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    ticket_id = (Ticket.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    event_id = (TicketEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    mail_id = (OutboundMessage.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    start = datetime(2024, 1, 2, tzinfo=UTC)

    drafts = []
    for i in range(size):
        state = rng.choices(states, weights)[0]
        if state in ("bookshop", "level1", "level2"):
            created = now - timedelta(seconds=rng.randint(600, 60 * 86400))
        else:
            created = start + timedelta(seconds=rng.randint(0, int((now - start).total_seconds()) - 86400))
        drafts.append((created, state, shop_of[i]))
    # The two marked cases, at the big shop.
    drafts[0] = (now - timedelta(days=20), "bookshop", big)
    drafts[1] = (now - timedelta(days=2), "bookshop", big)
    marks = {0: "BENCH-50", 1: "BENCH-2"}
    order = sorted(range(size), key=lambda k: drafts[k][0])

    tickets, events, mails = [], [], []
    numbers: dict[int, int] = {}
    for k in order:
        created, state, shop = drafts[k]
        mark = marks.get(k, "")
        login = logins[shops.index(shop)]
        year = created.year
        numbers[year] = numbers.get(year, 0) + 1
        reference = f"EB-{year}-{numbers[year]:06d}"
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        message = _sentence(rng, 25, 90)
        path = list(rng.choice(PATHS[state]))
        low, high = EVENT_RANGE[state]
        count = rng.randint(low, high)
        if rng.random() < 0.01:
            count = rng.randint(30, MAX_EVENTS)
        if mark == "BENCH-50":
            count, path = MAX_EVENTS, []
        elif mark == "BENCH-2":
            count, path = 2, []
        count = max(count, len(path) + 1)
        waiting = state == "bookshop" and (rng.random() < 0.75 or bool(mark))
        if state in ("bookshop", "level1", "level2"):
            end = now - timedelta(seconds=rng.randint(60, 3 * 86400))
            end = max(end, created + timedelta(minutes=count))
            end = min(end, now)
        else:
            end = min(created + timedelta(seconds=rng.randint(3600, 30 * 86400)), now)
        span = max((end - created).total_seconds(), count)
        times = sorted(created + timedelta(seconds=rng.uniform(1, span)) for _ in range(count - 1))
        times = [created, *times]

        kinds: list[tuple[str, str]] = [("created", "")]
        middle = count - 1 - len(path)
        chatter = []
        for n in range(middle):
            roll = rng.random()
            chatter.append("internal_note" if roll < 0.15 else ("customer_message" if n % 2 else "message"))
        if waiting and chatter:
            chatter[-1] = "customer_message"
        elif state == "bookshop" and chatter and not waiting:
            chatter[-1] = "message"
        split = len(chatter) * 2 // 3
        closing = path[-1:] if state in ("solved", "aborted", "refunded") else []
        moves = path[:-1] if closing else path
        kinds += [(c, "") for c in chatter[:split]] + [("transition", t) for t in moves]
        kinds += [(c, "") for c in chatter[split:]] + [("transition", t) for t in closing]

        current = "bookshop"
        first_answer = None
        last_customer = created
        solved_from = ""
        for (kind, transition), when in zip(kinds, times, strict=True):
            row = {"id": event_id, "ticket_id": ticket_id, "kind": kind, "actor_id": None, "actor_role": "customer",
                   "transition": transition, "from_state": "", "to_state": "", "audience": "customer",
                   "text": message if kind == "created" else _sentence(rng, 6, 40), "created_at": when}
            if kind == "created":
                row["to_state"] = "bookshop"
            elif kind == "customer_message":
                last_customer = when
            elif kind == "message":
                by_shop = current == "bookshop"
                row.update(actor_id=(login.pk if by_shop else level1.pk), actor_role=current if not by_shop
                           else "bookshop", audience="customer" if by_shop else "bookshop")
                first_answer = first_answer or when
                if by_shop:
                    mails.append(_mail(mail_id, reference, [f"{first.lower()}@example.ch"], "Antwort", when))
                    mail_id += 1
            elif kind == "internal_note":
                row.update(actor_id=login.pk if current == "bookshop" else level1.pk, audience="internal",
                           actor_role="bookshop" if current == "bookshop" else current)
            else:
                target = TARGETS[transition][1]
                if target == "solved":
                    solved_from = current
                row.update(actor_id=login.pk if current == "bookshop" else level1.pk, from_state=current,
                           to_state=target, actor_role="bookshop" if current == "bookshop" else current,
                           audience="customer" if transition in ("solve", "abort", "refund") else "internal")
                current = target
            events.append(row)
            event_id += 1
        closed = state in ("solved", "aborted", "refunded")
        waiting_since = last_customer if (waiting or (state in ("level1", "level2") and rng.random() < 0.5)) else None
        if state == "bookshop":
            due = waiting_since + timedelta(hours=24) if waiting_since else None
        elif state in ("level1", "level2"):
            due = times[-1] + timedelta(hours=48)
        else:
            due = None
        tickets.append({
            "id": ticket_id, "reference": reference, "bookshop_id": shop.pk, "state": state,
            "solved_from": solved_from if state == "solved" else "", "customer_name": f"{first} {last}",
            "customer_email": f"{first.lower()}.{last.lower()}{ticket_id}@example.ch".replace("ü", "ue")
            .replace("é", "e").replace("ö", "oe"),
            "language": rng.choice(LANGUAGES), "subject": rng.choice(SUBJECTS), "message": message,
            "category": rng.choice(CATEGORIES), "device": rng.choice(DEVICES),
            "order_number": mark or (f"ORD-{rng.randint(100000, 999999)}" if rng.random() < 0.4 else ""),
            "tried_ehelp": {} if rng.random() < 0.7 else {"slug": "neustart", "title": "Neustart erzwingen",
                                                          "steps": ["Einschaltknopf 30 Sekunden halten."]},
            "access_token_hash": hashlib.sha256(f"bench-token-{ticket_id}".encode()).hexdigest(),
            "submission_key": None, "assigned_to_id": None, "created_at": created, "updated_at": times[-1],
            "closed_at": times[-1] if closed else None, "waiting_since": None if closed else waiting_since,
            "first_answer_at": first_answer, "answer_due_at": due,
            "customer_email_bounced": rng.random() < 0.005,
        })
        mails.append(_mail(mail_id, reference, [shop.notification_emails], "Neuer Fall", created))
        mails.append(_mail(mail_id + 1, reference, [f"{first.lower()}@example.ch"], "Ihre Anfrage", created))
        mail_id += 2
        ticket_id += 1
    return tickets, events, mails, numbers


def _mail(pk: int, thread: str, to: list[str], subject: str, when: datetime) -> dict:
    return {"id": pk, "created_at": when, "thread": thread, "template": "tickets/mail/bench", "language": "de",
            "from_email": "eBookit Support <support@ebookit.ch>", "to": to, "reply_to": [],
            "subject": f"[{thread}] {subject}",
            "body_text": f"Guten Tag\n\n{subject} zu Ihrem Fall {thread}.\n\nFreundliche Grüsse\neBookit Support\n",
            "body_html": "", "message_id": f"<bench{pk}.{thread}@bench.example>", "in_reply_to": "",
            "attachments": [], "status": "sent", "attempts": 1, "last_error": "", "next_attempt_at": when,
            "sent_at": when, "provider_message_id": "", "delivery_status": "delivered"}


def seed(size: int) -> dict:
    from django.core.management import CommandError, call_command
    from django.db import connection, transaction

    from mail.models import OutboundMessage
    from tickets.models import ReferenceCounter, Ticket, TicketEvent

    try:
        call_command("load_ehelp", verbosity=0)
    except (CommandError, LookupError):
        print("  (eHelp content: load_ehelp not available, skipped)")
    began = time.monotonic()
    with transaction.atomic():
        tickets, events, mails, numbers = generate(size)
        generated = time.monotonic()
        with connection.cursor() as cursor:
            raw = cursor.cursor
            copy_rows(raw, Ticket, tickets)
            copy_rows(raw, TicketEvent, events)
            copy_rows(raw, OutboundMessage, mails)
            for model in (Ticket, TicketEvent, OutboundMessage):
                table = model._meta.db_table
                # The table names are the models' own, not input.
                sql = f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"  # noqa: S608
                cursor.execute(sql)
        for year, last in numbers.items():
            counter, _ = ReferenceCounter.objects.get_or_create(year=year)
            if counter.last_number < last:
                counter.last_number = last
                counter.save(update_fields=["last_number"])
    copied = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"tickets": len(tickets), "events": len(events), "mails": len(mails),
            "generate_s": round(generated - began, 1), "copy_s": round(copied - generated, 1),
            "vacuum_s": round(time.monotonic() - copied, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, choices=sorted(common.SIZES), default=100_000)
    parser.add_argument("--reset", action="store_true", help="drop the database and seed it anew")
    args = parser.parse_args(argv)
    if args.reset:
        common.drop_database(args.size)
    created = common.ensure_database(args.size)
    began = time.monotonic()
    common.migrate(args.size)
    common.setup_django(args.size)
    if not created and has_data(args.size):
        print(f"{common.SIZES[args.size]}: {args.size:,} cases there already, seeding skipped.")
        return 0
    from tickets.models import Bookshop

    if Bookshop.objects.filter(slug__startswith="bench-shop-").exists():
        raise SystemExit(f"{common.SIZES[args.size]} holds a partial bench seed: run with --reset.")
    print(f"{common.SIZES[args.size]}: seeding {args.size:,} cases ...", flush=True)
    stats = seed(args.size)
    print(f"  {stats['tickets']:,} cases, {stats['events']:,} events, {stats['mails']:,} mails in "
          f"{time.monotonic() - began:.0f} s (generate {stats['generate_s']} s, COPY {stats['copy_s']} s, "
          f"VACUUM ANALYZE {stats['vacuum_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
