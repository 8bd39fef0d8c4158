"""Who someone is for a case: a bookshop's staff, Support Level 1, Support Level 2. Pure functions of the
user (and, for bookshops, the shop), used by the transitions' permissions, the views and the admin."""

from django.utils.translation import gettext_lazy as _

LEVEL1_GROUP = "Support Level 1"
LEVEL2_GROUP = "Support Level 2"
LEVEL1_PERM = "tickets.act_as_level1"
LEVEL2_PERM = "tickets.act_as_level2"

ROLE_LABELS = {
    "customer": _("Kunde"),
    "bookshop": _("Partnerbuchhandlung"),
    "level1": _("Support Level 1"),
    "level2": _("Support Level 2"),
    "system": _("System"),
}


def is_level1(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(LEVEL1_PERM))


def is_level2(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(LEVEL2_PERM))


def bookshop_id_of(user) -> int | None:
    """The shop a login belongs to, if it belongs to an active one."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    membership = getattr(user, "bookshop_membership", None)
    if membership is None or not membership.bookshop.is_active:
        return None
    return membership.bookshop_id


def is_member_of(user, bookshop_id: int) -> bool:
    return bookshop_id is not None and bookshop_id_of(user) == bookshop_id


def role_for(user, state: str) -> str:
    """The role someone acts in on a case in `state`, for the timeline."""
    if user is None or not user.is_authenticated:
        return "customer"
    if bookshop_id_of(user) is not None:
        return "bookshop"
    if state == "level2" and is_level2(user):
        return "level2"
    if is_level1(user):
        return "level1"
    if is_level2(user):
        return "level2"
    return "system"
