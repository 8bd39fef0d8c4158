"""Remote maintenance (Fernwartung) by Support Level 2, as the seed describes it: only on a PC/notebook with
Windows or on a Mac, only after the customer confirmed a backup exists and agreed to the analysis (recorded
with time and IP), and ended with a finding. An aborted session aborts the case and tells the customer what was
found and that support resumes only after a professional repair."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mail import outbox

from . import notifications, roles, services
from .models import AbortFinding, Device, RemoteSession, State, Ticket, TicketEvent

REFUSED_DEVICE_REASON = _(
    "Eine Fernwartung ist nur auf einem PC oder Notebook mit Windows oder auf einem Mac möglich, "
    "nicht auf Tablets, Smartphones oder eReadern."
)


def consent_url(token: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("tickets:remote-consent", args=[token])


def _level2_case(ticket_id: int, actor) -> Ticket:
    ticket = Ticket.objects.select_for_update().select_related("bookshop").get(pk=ticket_id)
    if not roles.is_level2(actor):
        raise PermissionDenied(_("Fernwartungen führt nur Support Level 2 durch."))
    if ticket.state != State.LEVEL2:
        raise services.CaseMovedOn()
    return ticket


def request_consent(*, ticket_id: int, actor, device: str, operating_system: str) -> RemoteSession:
    """Record the device and mail the customer a single-use link to the consent page."""
    if device not in RemoteSession.DeviceKind.values:
        raise ValidationError({"device": REFUSED_DEVICE_REASON})
    operating_system = (operating_system or "").strip()
    if not operating_system:
        raise ValidationError({"operating_system": _("Bitte das Betriebssystem angeben, z. B. Windows 11.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ticket = _level2_case(ticket_id, actor)
        if ticket.remote_sessions.filter(finished_at__isnull=True).exists():
            raise ValidationError(_("Für diesen Fall läuft schon eine Fernwartung. Bitte zuerst abschliessen."))
        session = RemoteSession.objects.create(
            ticket=ticket, device=device, operating_system=operating_system, requested_by=actor,
            consent_token_hash=Ticket.hash_token(token),
            consent_expires_at=timezone.now() + timedelta(hours=settings.REMOTE_CONSENT_HOURS),
        )
        label = f"{session.get_device_display()}, {operating_system}"
        services.record_event(ticket, actor, TicketEvent.Kind.MESSAGE, audience=TicketEvent.Audience.CUSTOMER,
                              text=str(_("Einverständnis für eine Fernwartung angefragt (%(device)s).")
                                       % {"device": label}))
        outbox.enqueue(
            to=ticket.customer_email,
            template="tickets/mail/remote_consent",
            context={"ticket": ticket, "session": session, "link": consent_url(token),
                     "hours": settings.REMOTE_CONSENT_HOURS},
            thread=ticket.reference,
            language=ticket.language,
        )
    return session


def session_for_consent(token: str) -> RemoteSession | None:
    """The session behind a consent link, if the link is still valid (unused and not expired)."""
    if not token or len(token) > 200:
        return None
    session = (RemoteSession.objects.select_related("ticket", "ticket__bookshop")
               .filter(consent_token_hash=Ticket.hash_token(token)).first())
    if session is None or session.consent_given_at or session.consent_expires_at < timezone.now():
        return None
    return session


def give_consent(*, token: str, backup_confirmed: bool, ip: str | None) -> RemoteSession | None:
    """The customer confirms the backup and agrees. The link works once; time and IP are recorded."""
    if not backup_confirmed:
        raise ValidationError({"backup_confirmed": _("Ohne Datensicherung können wir keine Fernwartung starten.")})
    with transaction.atomic():
        session = session_for_consent(token)
        if session is None:
            return None
        session = RemoteSession.objects.select_for_update().get(pk=session.pk)
        if session.consent_given_at:
            return None
        session.backup_confirmed = True
        session.consent_given_at = timezone.now()
        session.consent_ip = ip or None
        session.consent_token_hash = None  # single use
        session.save()
        ticket = session.ticket
        services.record_event(
            ticket, None, TicketEvent.Kind.CUSTOMER_MESSAGE, audience=TicketEvent.Audience.CUSTOMER,
            text=str(_("Datensicherung bestätigt und Einverständnis zur Fernwartung erteilt (%(when)s, IP %(ip)s).")
                     % {"when": timezone.localtime(session.consent_given_at).strftime("%d.%m.%Y %H:%M"),
                        "ip": ip or "?"}),
        )
        notifications.message_to_support(ticket, str(_("Der Kunde hat der Fernwartung zugestimmt.")),
                                         ticket.customer_name)
    return session


def _lock_session(session_id: int, actor) -> RemoteSession:
    session = RemoteSession.objects.select_for_update().select_related("ticket").get(pk=session_id)
    _level2_case(session.ticket_id, actor)
    return session


def start(*, session_id: int, actor) -> RemoteSession:
    with transaction.atomic():
        session = _lock_session(session_id, actor)
        if not session.has_consent:
            raise ValidationError(_("Ohne Einverständnis des Kunden startet keine Fernwartung."))
        if session.started_at or session.finished_at:
            raise ValidationError(_("Diese Fernwartung wurde bereits gestartet."))
        session.started_at = timezone.now()
        session.save(update_fields=["started_at"])
        services.record_event(session.ticket, actor, TicketEvent.Kind.INTERNAL_NOTE,
                              text=str(_("Fernwartung gestartet: %(session)s") % {"session": session}))
    return session


def finish(*, session_id: int, actor, outcome: str, finding: str = "", text: str = "") -> RemoteSession:
    """Record the outcome. "aborted" needs a finding and runs the abort transition (the customer is told)."""
    if outcome not in RemoteSession.Outcome.values:
        raise ValidationError({"outcome": _("Bitte das Ergebnis wählen.")})
    text = (text or "").strip()
    if outcome == RemoteSession.Outcome.ABORTED and (finding not in AbortFinding.values or not text):
        raise ValidationError(_("Ein Abbruch braucht den Befund und eine Beschreibung für den Kunden."))
    with transaction.atomic():
        session = _lock_session(session_id, actor)
        if not session.started_at or session.finished_at:
            raise ValidationError(_("Nur eine laufende Fernwartung kann abgeschlossen werden."))
        session.finished_at = timezone.now()
        session.outcome = outcome
        session.finding = finding if outcome == RemoteSession.Outcome.ABORTED else ""
        session.finding_text = text
        session.save()
        if outcome == RemoteSession.Outcome.ABORTED:
            services.abort(ticket_id=session.ticket_id, actor=actor, finding=finding, text=text)
        else:
            services.record_event(session.ticket, actor, TicketEvent.Kind.INTERNAL_NOTE,
                                  text=str(_("Fernwartung abgeschlossen. %(text)s") % {"text": text}).strip())
    return session


def device_is_remote_capable(device: str) -> bool:
    return device in (Device.WINDOWS_PC, Device.MAC)
