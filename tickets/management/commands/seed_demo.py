"""Fill an empty database with realistic demo content. Running it twice changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mail import outbox
from mail.models import OutboundMessage
from tickets import services
from tickets.models import Bookshop, BookshopMember, Ticket, TicketEvent
from tickets.roles import LEVEL1_GROUP, LEVEL2_GROUP

BOOKSHOPS = [
    ("lesezeichen-bern", "Buchhandlung Lesezeichen", "Bern", "de", ["team@lesezeichen-bern.example"]),
    ("la-page-lausanne", "Librairie La Page", "Lausanne", "fr", ["contact@lapage-lausanne.example"]),
    ("buecherinsel-luzern", "Bücherinsel", "Luzern", "de",
     ["hallo@buecherinsel.example", "chefin@buecherinsel.example"]),
]

CASES = [
    # (shop index, name, email, language, subject, message, device, path through the states)
    (0, "Anna Meier", "anna.meier@example.ch", "de", "PocketBook LUX startet nicht mehr",
     "Seit gestern bleibt der Bildschirm schwarz, auch nach dem Laden über Nacht.", "pocketbook_lux", []),
    (0, "Beat Keller", "beat.keller@example.ch", "de", "Gekauftes eBook erscheint nicht",
     "Ich habe «Der Gotthard» gekauft, aber es ist nicht auf meinem Reader.", "pocketbook_lux", ["l1"]),
    (1, "Claire Dubois", "claire.dubois@example.ch", "fr", "Erreur Adobe DRM",
     "Mon livre affiche «E_ADEPT_REQUEST_EXPIRED» à l'ouverture.", "windows_pc", ["l1", "l2"]),
    (1, "Daniel Rochat", "daniel.rochat@example.ch", "fr", "Question sur les formats",
     "Puis-je lire des ePub sur ma tablette ?", "tablet", ["solve"]),
    (0, "Eva Brunner", "eva.brunner@example.ch", "de", "Adobe-Fehler auf altem Laptop",
     "Adobe Digital Editions stürzt bei jedem Start ab.", "windows_pc", ["l1", "l2", "abort"]),
    (2, "Franz Huber", "franz.huber@example.ch", "de", "eBook lässt sich nicht öffnen",
     "Die Datei ist beschädigt, auch nach erneutem Herunterladen.", "pocketbook_lux", ["l1", "refund"]),
]


class Command(BaseCommand):
    help = "Create demo bookshops, logins (bookshop1, bookshop2, level1, level2, admin), eHelp content and cases."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo", help="password of every demo login (default: demo)")

    def handle(self, *args, password, **options):
        try:
            call_command("load_ehelp", verbosity=0)
        except CommandError:
            self.stdout.write("eHelp content: command load_ehelp not available, skipped.")
        if Bookshop.objects.filter(slug=BOOKSHOPS[0][0]).exists():
            self.stdout.write(self.style.WARNING("Demo data exists already: nothing changed."))
            self._print_logins(password)
            return
        with transaction.atomic(), outbox.held():
            shops = self._bookshops()
            users = self._users(shops, password)
            self._cases(shops, users)
            # The demo cases' mails are history, not news: mark them sent instead of mailing anyone.
            OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).update(
                status=OutboundMessage.Status.SENT, sent_at=timezone.now(), last_error="demo data, not sent")
        self.stdout.write(self.style.SUCCESS("Demo data created."))
        self._print_logins(password)

    def _bookshops(self):
        shops = []
        for slug, name, place, language, addresses in BOOKSHOPS:
            shops.append(Bookshop.objects.create(slug=slug, name=name, place=place, language=language,
                                                 notification_emails="\n".join(addresses)))
        return shops

    def _users(self, shops, password):
        User = get_user_model()

        def user(username, **fields):
            account, _created = User.objects.get_or_create(username=username, defaults=fields)
            account.set_password(password)
            account.save()
            return account

        users = {
            "bookshop1": user("bookshop1", email="bookshop1@example.ch", first_name="Lea"),
            "bookshop2": user("bookshop2", email="bookshop2@example.ch", first_name="Luc"),
            "bookshop3": user("bookshop3", email="bookshop3@example.ch", first_name="Nina"),
            "level1": user("level1", email="level1@ebookit.ch", first_name="Lena", is_staff=True),
            "level2": user("level2", email="level2@ebookit.ch", first_name="Marco", is_staff=True),
            "admin": user("admin", email="admin@ebookit.ch", is_staff=True, is_superuser=True),
        }
        for index, name in enumerate(["bookshop1", "bookshop2", "bookshop3"]):
            BookshopMember.objects.get_or_create(user=users[name], defaults={"bookshop": shops[index]})
        users["level1"].groups.add(Group.objects.get(name=LEVEL1_GROUP))
        users["level2"].groups.add(Group.objects.get(name=LEVEL2_GROUP))
        return users

    def _cases(self, shops, users):
        for index, (shop_index, name, email, language, subject, message, device, path) in enumerate(CASES):
            age = len(CASES) - index  # the first case is the oldest
            shop = shops[shop_index]
            ticket = services.create_ticket(bookshop=shop, customer_name=name, customer_email=email, subject=subject,
                                            message=message, language=language, category="problem",
                                            device=device).ticket
            bookshop_user = users[f"bookshop{shop_index + 1}"]
            if path:
                services.send_message(ticket_id=ticket.pk, actor=bookshop_user, to="customer",
                                      text="Danke für Ihre Nachricht, wir schauen uns das an.")
            for step in path:
                if step == "l1":
                    services.escalate_to_level1(ticket_id=ticket.pk, actor=bookshop_user,
                                                what_was_tried="Neustart und Synchronisation versucht, ohne Erfolg.")
                elif step == "l2":
                    services.escalate_to_level2(ticket_id=ticket.pk, actor=users["level1"],
                                                summary="Fehler lässt sich nicht mit Standardschritten beheben.")
                elif step == "solve":
                    services.solve(ticket_id=ticket.pk, actor=bookshop_user,
                                   what_solved_it="ePub-Dateien lassen sich mit jeder ePub-App lesen.")
                elif step == "abort":
                    services.abort(ticket_id=ticket.pk, actor=users["level2"], finding="outdated_os",
                                   text="Der Rechner läuft noch mit Windows XP und ist nicht mehr unterstützt.")
                elif step == "refund":
                    services.refund(ticket_id=ticket.pk, actor=users["level1"], ebook_title="Der Gotthard",
                                    amount_chf=Decimal("24.90"), reason="not_solvable", customer_consulted=True,
                                    payment_reference="TX-2026-4471")
            self._backdate(ticket, timedelta(days=2 * age, hours=3 * age))

    @staticmethod
    def _backdate(ticket, delta):
        """Spread the demo cases over the last days, as if the desk had been working for a while."""
        shifted = {field: F(field) - delta for field in
                   ("created_at", "waiting_since", "answer_due_at", "first_answer_at", "closed_at")}
        Ticket.objects.filter(pk=ticket.pk).update(**shifted)
        TicketEvent.objects.filter(ticket=ticket).update(created_at=F("created_at") - delta)
        OutboundMessage.objects.filter(thread=ticket.reference).update(created_at=F("created_at") - delta)

    def _print_logins(self, password):
        self.stdout.write(
            f"\nDemo logins (password: {password})\n"
            "  bookshop1  Buchhandlung Lesezeichen, Bern   http://127.0.0.1:8000/queue/\n"
            "  bookshop2  Librairie La Page, Lausanne      http://127.0.0.1:8000/queue/\n"
            "  level1     Support Level 1                  http://127.0.0.1:8000/admin/\n"
            "  level2     Support Level 2                  http://127.0.0.1:8000/admin/\n"
            "  admin      administrator                    http://127.0.0.1:8000/admin/\n"
        )
