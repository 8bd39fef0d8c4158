"""Every read of eHelp: the lists on the home page, one article in the reader's language, search, and the figures
staff see. Each function runs a fixed number of queries, whatever the amount of content."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import translation

from .models import FALLBACK_LANGUAGE, Article, ArticleEvent, EventKind, InformationSource, Step

CACHE_SECONDS = 60 * 60
GENERATION_KEY = "ehelp:generation"
SEARCH_MAX_CHARS = 100
SEARCH_MAX_WORDS = 8
SEARCH_LIMIT = 10
SUGGESTION_LIMIT = 3
SUGGESTION_MIN_CHARS = 3
TRIGRAM_THRESHOLD = 0.45
TRIGRAM_MIN_WORD = 4
# Postgres text search configuration per content language.
SEARCH_CONFIGS = {"de": "german", "fr": "french", "en": "english"}
SUPPORTED = {code for code, _name in settings.LANGUAGES}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_WORD = re.compile(r"\w+", re.UNICODE)


def current_language() -> str:
    code = (translation.get_language() or FALLBACK_LANGUAGE).split("-")[0].lower()
    return code if code in SUPPORTED else FALLBACK_LANGUAGE


def _prefer_language(articles, language: str) -> list[Article]:
    """One version per topic: the reader's language where it exists, else German; order kept."""
    chosen: dict[str, Article] = {}
    for article in articles:
        if article.slug not in chosen or article.language == language:
            chosen[article.slug] = article
    return sorted(chosen.values(), key=lambda a: (a.order, a.title))


def _published() -> QuerySet:
    return Article.objects.filter(is_published=True)


# --- pages ---------------------------------------------------------------------------------------------------


def _cache_key(name: str, language: str, extra: str = "") -> str:
    """Keys carry a generation that every content change renews, so one write forgets every cached page."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return f"ehelp:{generation}:{name}:{language}:{extra}"


def forget_cached_content() -> None:
    """Called whenever content changes (see signals)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def first_aid(language: str) -> list[Article]:
    """The first-aid articles for the home page, one per topic (one query, cached)."""
    key = _cache_key("home", language)
    articles = cache.get(key)
    if articles is None:
        rows = _published().filter(language__in={language, FALLBACK_LANGUAGE}).only(
            "slug", "language", "title", "symptom", "order"
        )
        articles = _prefer_language(rows, language)
        cache.set(key, articles, CACHE_SECONDS)
    return articles


def information_sources(language: str) -> list[InformationSource]:
    """Information sources for this language and those for every language (one query, cached)."""
    key = _cache_key("sources", language)
    sources = cache.get(key)
    if sources is None:
        sources = list(
            InformationSource.objects.filter(is_published=True).filter(Q(language="") | Q(language=language))
        )
        cache.set(key, sources, CACHE_SECONDS)
    return sources


def article(slug: str, language: str) -> Article | None:
    """The published article `slug` in `language`, else in German, with its steps (two queries, cached)."""
    key = _cache_key("article", language, slug)
    found = cache.get(key)
    if found is None:
        versions = list(
            _published()
            .filter(slug=slug, language__in={language, FALLBACK_LANGUAGE})
            .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("order", "pk")))
        )
        chosen = _prefer_language(versions, language)
        found = chosen[0] if chosen else False
        cache.set(key, found, CACHE_SECONDS)
    return found or None


def article_ids(slugs: list[str], language: str) -> list[int]:
    """The ids of the versions of these topics a reader in `language` sees (one query)."""
    if not slugs:
        return []
    rows = _published().filter(slug__in=slugs, language__in={language, FALLBACK_LANGUAGE}).only(
        "pk", "slug", "language", "order", "title"
    )
    return [a.pk for a in _prefer_language(rows, language)]


# --- search --------------------------------------------------------------------------------------------------


def clip_query(text: str | None) -> str:
    """A search text that is safe to hand to the database: no control characters, at most 100 characters and
    eight words."""
    text = _CONTROL.sub(" ", str(text or ""))[: SEARCH_MAX_CHARS * 2]
    words = _WORD.findall(text)[:SEARCH_MAX_WORDS]
    return " ".join(words)[:SEARCH_MAX_CHARS].strip()


@dataclass(frozen=True)
class SearchResult:
    query: str
    articles: list[Article]
    fuzzy: bool  # True when only the typo-tolerant search found something


def search(text: str, language: str, limit: int = SEARCH_LIMIT) -> SearchResult:
    """Articles matching `text`, best first, each in the reader's language (German where none).

    Postgres: full-text search with the German configuration and with the article's own language, ranked
    (title and symptom weigh more than the steps); when that finds nothing, trigram similarity forgives typos.
    Other databases: every word must occur somewhere (case-insensitive)."""
    query = clip_query(text)
    if len(query) < 2:
        return SearchResult(query, [], False)
    fuzzy = False
    if connection.vendor == "postgresql":
        slugs = _fulltext_slugs(query, limit)
        if not slugs:
            slugs, fuzzy = _trigram_slugs(query, limit), True
    else:
        slugs = _plain_slugs(query, limit)
    if not slugs:
        return SearchResult(query, [], False)
    versions = _published().filter(slug__in=slugs, language__in={language, FALLBACK_LANGUAGE}).only(
        "slug", "language", "title", "symptom", "order"
    )
    by_slug = {a.slug: a for a in _prefer_language(versions, language)}
    return SearchResult(query, [by_slug[s] for s in slugs if s in by_slug], fuzzy)


def suggestions(subject: str, language: str) -> list[Article]:
    """The few articles the contact form offers for the subject typed so far."""
    if len(clip_query(subject)) < SUGGESTION_MIN_CHARS:
        return []
    return search(subject, language, limit=SUGGESTION_LIMIT).articles


def _own_config():
    return Case(
        *[When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()],
        default=Value("german"),
    )


def _vector(config):
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("symptom", weight="A", config=config)
        + SearchVector("keywords", weight="A", config=config)
        + SearchVector("search_text", weight="B", config=config)
    )


def _ranked_slugs(queryset, limit: int) -> list[str]:
    slugs: list[str] = []
    for slug in queryset.values_list("slug", flat=True)[: limit * 4]:
        if slug not in slugs:
            slugs.append(slug)
    return slugs[:limit]


def _fulltext_slugs(query: str, limit: int) -> list[str]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    german = SearchQuery(query, config="german", search_type="websearch")
    own = SearchQuery(query, config=_own_config(), search_type="websearch")
    # Any of the words may match (websearch_to_tsquery joins them with AND, which is too strict for a sentence
    # like "mein Reader startet nicht mehr"); ranking puts articles that match more words first.
    words = [w for w in query.split() if len(w) > 1] or query.split()
    german_any = _any_word(words, "german")
    own_any = _any_word(words, None)
    queryset = (
        _published()
        .annotate(
            vector_german=_vector("german"),
            vector_own=_vector(_own_config()),
        )
        .filter(Q(vector_german=german_any) | Q(vector_own=own_any))
        .annotate(
            rank=SearchRank(F("vector_german"), german_any) + SearchRank(F("vector_own"), own_any)
            + SearchRank(F("vector_german"), german) + SearchRank(F("vector_own"), own)
        )
        .order_by("-rank", "order", "slug")
    )
    return _ranked_slugs(queryset, limit)


def _any_word(words: list[str], config):
    from django.contrib.postgres.search import SearchQuery

    config = config or _own_config()
    combined = None
    for word in words:
        part = SearchQuery(word, config=config, search_type="plain")
        combined = part if combined is None else combined | part
    return combined


def _trigram_slugs(query: str, limit: int) -> list[str]:
    """Typo-tolerant: trigram word similarity of the longer words; the title counts most, the steps least."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    text = " ".join(w for w in query.split() if len(w) >= TRIGRAM_MIN_WORD)
    if not text:
        return []
    similarity = Greatest(
        TrigramWordSimilarity(text, "title"),
        TrigramWordSimilarity(text, "symptom") * Value(0.95),
        TrigramWordSimilarity(text, "keywords") * Value(0.95),
        TrigramWordSimilarity(text, "search_text") * Value(0.9),
        output_field=FloatField(),
    )
    queryset = (
        _published()
        .annotate(similarity=similarity)
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .order_by("-similarity", "order", "slug")
    )
    return _ranked_slugs(queryset, limit)


def _plain_slugs(query: str, limit: int) -> list[str]:
    words = [w for w in query.split() if len(w) >= 2]

    def matches(word: str) -> Q:
        return (
            Q(title__icontains=word) | Q(symptom__icontains=word) | Q(keywords__icontains=word)
            | Q(search_text__contains=word.casefold())
        )

    every = Q()
    for word in words:
        every &= matches(word)
    queryset = _published().filter(every).order_by("order", "slug")
    return _ranked_slugs(queryset, limit)


# --- figures for staff ------------------------------------------------------------------------------------


def _count(kind: str, since: datetime | None):
    """How many events of `kind` an article has: a correlated subquery on the (article, kind) index, so that the
    admin's row count stays a plain COUNT and sorting by a figure works."""
    events = ArticleEvent.objects.filter(article=OuterRef("pk"), kind=kind)
    if since is not None:
        events = events.filter(created_at__gte=since)
    counted = events.order_by().values("article").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def articles_with_figures(queryset: QuerySet | None = None, since: datetime | None = None) -> QuerySet:
    """Articles annotated with their figures, computed by the database in the same query as the articles."""
    queryset = Article.objects.all() if queryset is None else queryset
    return queryset.annotate(
        views=_count(EventKind.VIEW, since),
        helpful=_count(EventKind.HELPFUL, since),
        not_helpful=_count(EventKind.NOT_HELPFUL, since),
        suggested=_count(EventKind.SUGGESTION_SHOWN, since),
        suggestion_clicks=_count(EventKind.SUGGESTION_CLICK, since),
        contacts_after=_count(EventKind.CONTACT_AFTER, since),
    )


@dataclass(frozen=True)
class Overview:
    sessions: int  # browser sessions that read an article or clicked a suggestion
    sessions_with_contact: int  # of those, sessions that still sent the contact form
    helpful: int
    not_helpful: int

    @property
    def prevented(self) -> int:
        return max(self.sessions - self.sessions_with_contact, 0)

    @property
    def deflection_rate(self) -> float | None:
        return self.prevented / self.sessions if self.sessions else None

    @property
    def helpful_rate(self) -> float | None:
        votes = self.helpful + self.not_helpful
        return self.helpful / votes if votes else None


def overview(since: datetime | None = None) -> Overview:
    """The overall deflection figures in one query."""
    events = ArticleEvent.objects.all()
    if since is not None:
        events = events.filter(created_at__gte=since)
    used = [EventKind.VIEW, EventKind.SUGGESTION_CLICK]
    figures = events.aggregate(
        sessions=Count("visitor", filter=Q(kind__in=used), distinct=True),
        sessions_with_contact=Count("visitor", filter=Q(kind=EventKind.CONTACT_AFTER), distinct=True),
        helpful=Count("pk", filter=Q(kind=EventKind.HELPFUL)),
        not_helpful=Count("pk", filter=Q(kind=EventKind.NOT_HELPFUL)),
    )
    return Overview(**figures)
