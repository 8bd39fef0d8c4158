"""Every write of eHelp: what a browser session did with the articles (views, suggestions, clicks, votes, a contact
form sent afterwards). The session keeps a random visitor id and the articles this visitor touched since the last
contact form; the database keeps the counts, with constraints that make a repeated request count once."""

import re
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import FALLBACK_LANGUAGE, ONCE_PER_VISITOR, VOTES, Article, ArticleEvent, EventKind

SESSION_KEY = "ehelp"
_BOT = re.compile(r"bot|crawl|spider|slurp|preview|monitor|curl|wget|python-requests|headless", re.IGNORECASE)
TOUCHED = [EventKind.VIEW, EventKind.SUGGESTION_SHOWN, EventKind.SUGGESTION_CLICK]


def is_countable(request) -> bool:
    """Robots and link previews read pages without being people; they are not counted."""
    if request.method not in ("GET", "POST"):
        return False
    return not _BOT.search(request.headers.get("User-Agent", ""))


def _state(request) -> dict:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("visitor"), str):
        state = {"visitor": uuid.uuid4().hex}
    return state


def _store(request, state: dict) -> None:
    request.session[SESSION_KEY] = state
    request.session.modified = True


def record(request, kind: str, article_ids: list[int]) -> None:
    """Note that this visitor viewed, was suggested or clicked these articles: once per visitor and article."""
    assert kind in ONCE_PER_VISITOR
    if not article_ids or not is_countable(request):
        return
    state = _state(request)
    known = state.get(kind, [])
    new = [pk for pk in dict.fromkeys(article_ids) if pk not in known]
    if not new:
        return
    ArticleEvent.objects.bulk_create(
        [ArticleEvent(article_id=pk, kind=kind, visitor=state["visitor"]) for pk in new], ignore_conflicts=True
    )
    state[kind] = (known + new)[-100:]
    _store(request, state)


def vote(request, article: Article, helpful: bool) -> None:
    """One vote per visitor and article: voting again replaces the vote, it never adds one."""
    kind = EventKind.HELPFUL if helpful else EventKind.NOT_HELPFUL
    state = _state(request)
    votes = dict(state.get("votes", {}))
    if votes.get(str(article.pk)) == kind:
        return
    if is_countable(request):
        mine = ArticleEvent.objects.filter(article=article, visitor=state["visitor"], kind__in=VOTES)
        if not mine.update(kind=kind, created_at=timezone.now()):
            try:
                with transaction.atomic():
                    ArticleEvent.objects.create(article=article, kind=kind, visitor=state["visitor"])
            except IntegrityError:
                # The same vote arrived twice at once; the other request stored it.
                mine.update(kind=kind)
    votes[str(article.pk)] = kind
    state["votes"] = dict(list(votes.items())[-100:])
    _store(request, state)


def current_vote(request, article: Article) -> str:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return ""
    return state.get("votes", {}).get(str(article.pk), "")


def contact_sent(request, article_slug: str, language: str) -> int:
    """A contact form was sent: every article this visitor read, was suggested or clicked since the last contact
    form, and the one they said did not help, gets one "contact after". Returns how many were counted."""
    state = request.session.get(SESSION_KEY)
    touched: list[int] = []
    if isinstance(state, dict):
        for kind in TOUCHED:
            touched += [pk for pk in state.get(kind, []) if isinstance(pk, int)]
    if not (touched or article_slug) or not is_countable(request):
        return 0
    condition = Q(pk__in=touched)
    if article_slug:
        condition |= Q(slug=article_slug, is_published=True, language__in={language, FALLBACK_LANGUAGE})
    rows = list(Article.objects.filter(condition).only("pk", "slug", "language", "order", "title"))
    named = [a for a in rows if a.slug == article_slug and a.pk not in touched]
    preferred = [a.pk for a in named if a.language == language] or [a.pk for a in named]
    ids = list(dict.fromkeys([a.pk for a in rows if a.pk in touched] + preferred[:1]))
    state = _state(request)
    ArticleEvent.objects.bulk_create(
        [ArticleEvent(article_id=pk, kind=EventKind.CONTACT_AFTER, visitor=state["visitor"]) for pk in ids]
    )
    for kind in TOUCHED:
        state.pop(kind, None)
    _store(request, state)
    return len(ids)
