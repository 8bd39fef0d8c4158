"""Files on a case: stored privately before the transaction, described by rows inside it, removed again from
disk when the transaction fails, and served only through views that check who may see the case."""

from contextlib import contextmanager

from django.http import FileResponse, Http404

from common import uploads

from .models import Ticket, TicketAttachment, TicketEvent

FOLDER = "tickets"


@contextmanager
def stored(files):
    """Store the checked uploads; if the block fails, nothing stays on disk."""
    descriptions = [uploads.store_private(upload, FOLDER) for upload in files or []]
    try:
        yield descriptions
    except BaseException:
        for description in descriptions:
            uploads.delete_private(description["path"])
        raise


def attach(ticket: Ticket, event: TicketEvent, descriptions: list[dict]) -> list[TicketAttachment]:
    return TicketAttachment.objects.bulk_create(
        TicketAttachment(ticket=ticket, event=event, path=d["path"], name=d["name"], content_type=d["content_type"],
                         size=d["size"])
        for d in descriptions
    )


def as_mail_attachments(descriptions: list[dict]) -> list[dict]:
    return [{"path": d["path"], "name": d["name"], "content_type": d["content_type"]} for d in descriptions]


def download(ticket: Ticket, attachment_id: int, *, public_only: bool = False) -> FileResponse:
    """The file, if it belongs to this case (and, for the customer, to an entry the customer may see)."""
    attachments = TicketAttachment.objects.filter(ticket=ticket, pk=attachment_id)
    if public_only:
        attachments = attachments.filter(event__audience=TicketEvent.Audience.CUSTOMER)
    attachment = attachments.first()
    if attachment is None:
        raise Http404
    try:
        handle = uploads.open_private(attachment.path)
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
