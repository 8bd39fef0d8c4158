"""A small world with real objects behind every URL that names a case, attachment, message or token, built
through the services as people would (contact form, escalations, messages with files, remote consent, refund,
payment report). Each case's customer carries a marker that must never show to someone it does not belong to."""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from mail.models import DeliveryEvent, InboundMessage, OutboundMessage
from tests.common.files import PDF, PNG, upload
from tests.conftest import make_bookshop, make_user, support_group
from tickets import remote_sessions, services
from tickets.models import BookshopMember, Refund, RemoteSession, Ticket, TicketAttachment
from tickets.roles import LEVEL1_GROUP, LEVEL2_GROUP

MARK_A = "Kundin Geheim-A"
MARK_B = "Kunde Geheim-B"
MARK_PAYMENT = "Zahlerin Geheim-P"


@dataclass
class World:
    shop_a: object
    shop_b: object
    users: dict
    case_a: Ticket  # shop A, at Level 2, with a remote session whose consent was given
    token_a: str
    case_b: Ticket  # shop B, at the bookshop
    token_b: str
    public_file_a: TicketAttachment  # the customer's own upload on case A
    bookshop_file_a: TicketAttachment  # Level 1's file for the bookshop on case A (not for the customer)
    file_b: TicketAttachment
    session_a: RemoteSession
    used_consent_token: str
    refund: Refund
    objects: dict = field(default_factory=dict)  # (app_label, model_name) -> a real row, for the admin's URLs

    def marker_of(self, ticket) -> str:
        return MARK_A if ticket.pk == self.case_a.pk else MARK_B


def _token_from_mail(path: str, to: str) -> str:
    for message in reversed(mail.outbox):
        if message.to == [to]:
            found = re.search(rf"{path}([\w-]+)/", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no mail to {to} with {path}")


def build(capture) -> World:
    """`capture`: pytest-django's django_capture_on_commit_callbacks, so that the mails (and their links) go out."""
    shop_a = make_bookshop("lesezeichen", "Buchhandlung Lesezeichen", "team@lesezeichen.example")
    shop_b = make_bookshop("la-page", "Librairie La Page", "contact@lapage.example")
    users = {
        "shop_a": make_user("shopuser"),
        "shop_b": make_user("othershop"),
        "level1": make_user("level1", is_staff=True),
        "level2": make_user("level2", is_staff=True),
        "staff_without_role": make_user("praktikant", is_staff=True),
        "superuser": make_user("chefin", is_staff=True, is_superuser=True),
    }
    BookshopMember.objects.create(user=users["shop_a"], bookshop=shop_a)
    BookshopMember.objects.create(user=users["shop_b"], bookshop=shop_b)
    users["level1"].groups.add(support_group(LEVEL1_GROUP))
    users["level2"].groups.add(support_group(LEVEL2_GROUP))

    with capture(execute=True):
        new_a = services.create_ticket(bookshop=shop_a, customer_name=MARK_A, customer_email="a@kunden.example",
                                       subject="Reader startet nicht", message="Schwarzer Bildschirm.",
                                       device="windows_pc", files=[upload("fehler-a.png", PNG)])
        new_b = services.create_ticket(bookshop=shop_b, customer_name=MARK_B, customer_email="b@kunden.example",
                                       subject="DRM-Fehler", message="E_ADEPT", files=[upload("beleg-b.pdf", PDF)])
    case_a, case_b = new_a.ticket, new_b.ticket
    with capture(execute=True):
        services.escalate_to_level1(ticket_id=case_a.pk, actor=users["shop_a"], what_was_tried="Neustart.")
        services.send_message(ticket_id=case_a.pk, actor=users["level1"], to="bookshop", text="Bitte prüfen.",
                              files=[upload("intern.pdf", PDF)])
        services.escalate_to_level2(ticket_id=case_a.pk, actor=users["level1"], summary="Fernwartung nötig.")
        session = remote_sessions.request_consent(ticket_id=case_a.pk, actor=users["level2"], device="windows_pc",
                                                  operating_system="Windows 11")
    consent_token = _token_from_mail("/consent/", case_a.customer_email)
    with capture(execute=True):
        remote_sessions.give_consent(token=consent_token, backup_confirmed=True, ip="192.0.2.1")

    # A refunded case at shop A, for the refund's admin page.
    with capture(execute=True):
        refunded = services.create_ticket(bookshop=shop_a, customer_name=MARK_A, customer_email="a@kunden.example",
                                          subject="Datei defekt", message="Lässt sich nicht öffnen.").ticket
        services.escalate_to_level1(ticket_id=refunded.pk, actor=users["shop_a"], what_was_tried="Neu geladen.")
        services.refund(ticket_id=refunded.pk, actor=users["level1"], ebook_title="Der Gotthard",
                        amount_chf=Decimal("24.90"), reason="not_solvable", customer_consulted=True)

    world = World(
        shop_a=shop_a, shop_b=shop_b, users=users, case_a=case_a, token_a=new_a.access_token, case_b=case_b,
        token_b=new_b.access_token,
        public_file_a=TicketAttachment.objects.get(ticket=case_a, name="fehler-a.png"),
        bookshop_file_a=TicketAttachment.objects.get(ticket=case_a, name="intern.pdf"),
        file_b=TicketAttachment.objects.get(ticket=case_b),
        session_a=RemoteSession.objects.get(pk=session.pk), used_consent_token=consent_token,
        refund=Refund.objects.get(ticket=refunded),
    )
    world.objects = _admin_objects(world, capture)
    return world


def _admin_objects(world: World, capture) -> dict:
    from payments import services as payment_services
    from timelimits.models import Reminder

    with capture(execute=True):
        payment = payment_services.report_payment_problem(
            name=MARK_PAYMENT, email="p@kunden.example", ebook_titles="Homo faber", order_number="EBK-1",
            amount_chf=Decimal("19.90"), payment_method="twint", occurred_on=timezone.localdate(),
            completed="unknown", description="Abgebucht, kein Download.", screenshot=upload("zahlung.png", PNG),
        ).problem
    outbound = OutboundMessage.objects.filter(thread=world.case_a.reference).first()
    inbound = InboundMessage.objects.create(
        esp="postmark", dedupe_key="mid:<geheim@kunden.example>", from_address="a@kunden.example",
        from_name=MARK_A, subject=f"Re: [{world.case_a.reference}]", body_text="Antwort", reply_text="Antwort",
        status=InboundMessage.Status.HELD, thread=world.case_a.reference,
    )
    delivery = DeliveryEvent.objects.create(key="pm:1", esp="postmark", event_type="delivered",
                                            recipient="a@kunden.example", message=outbound)
    reminder = Reminder.objects.create(ticket=world.case_a, due_at=timezone.now() - timedelta(hours=1))
    objects = {
        ("tickets", "ticket"): world.case_a,
        ("tickets", "refund"): world.refund,
        ("tickets", "bookshop"): world.shop_a,
        ("mail", "outboundmessage"): outbound,
        ("mail", "inboundmessage"): inbound,
        ("mail", "deliveryevent"): delivery,
        ("payments", "paymentproblem"): payment,
        ("timelimits", "reminder"): reminder,
        ("timelimits", "overduecase"): world.case_a,
        ("auth", "user"): world.users["level2"],
    }
    try:
        from django.apps import apps

        apps.get_app_config("twofactor")
    except LookupError:
        pass
    else:
        from twofactor.models import TOTPDevice
        from twofactor.totp import random_secret

        objects[("twofactor", "totpdevice")] = TOTPDevice.objects.create(
            user=world.users["level1"], secret=random_secret(), confirmed_at=timezone.now())
    return objects
