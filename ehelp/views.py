"""eHelp pages for customers: first aid, one article with "Hat das geholfen?", search, the information sources,
the suggestions the contact form shows while the subject is typed, the PDF manual and step images."""

from pathlib import Path
from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services
from .content import MANUAL_PATH
from .forms import SearchForm, VoteForm
from .models import EventKind, Step, image_type

MANUAL_FILE = Path(__file__).resolve().parent.parent / MANUAL_PATH


@require_safe
def home(request):
    language = selectors.current_language()
    context = {
        "articles": selectors.first_aid(language),
        "sources": selectors.information_sources(language),
        "form": SearchForm(),
    }
    return render(request, "ehelp/home.html", context)


@require_safe
def article(request, slug):
    language = selectors.current_language()
    found = selectors.article(slug, language)
    if found is None:
        raise Http404
    services.record(request, EventKind.VIEW, [found.pk])
    if request.GET.get("von") == "vorschlag":
        services.record(request, EventKind.SUGGESTION_CLICK, [found.pk])
    context = {
        "article": found,
        "steps": list(found.steps.all()),
        "vote": services.current_vote(request, found),
        "phone_sources": [s for s in selectors.information_sources(language) if s.kind == "phone"],
        "contact_url": contact_url(found.slug),
    }
    response = render(request, "ehelp/article.html", context)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def contact_url(slug: str) -> str:
    return f"{reverse('tickets:contact')}?{urlencode({'article': slug})}"


@require_POST
def vote(request, slug):
    found = selectors.article(slug, selectors.current_language())
    if found is None:
        raise Http404
    form = VoteForm(request.POST)
    if not form.is_valid():
        return redirect("ehelp:article", slug=found.slug)
    helpful = form.cleaned_data["helpful"]
    services.vote(request, found, helpful)
    if helpful:
        return redirect(reverse("ehelp:article", kwargs={"slug": found.slug}) + "#hat-es-geholfen")
    return redirect(contact_url(found.slug))


@require_safe
def search(request):
    language = selectors.current_language()
    raw = request.GET.get("q", "")
    result = selectors.search(raw, language) if raw else None
    form = SearchForm(initial={"q": result.query if result else ""})
    context = {"form": form, "result": result, "articles": selectors.first_aid(language) if result else []}
    return render(request, "ehelp/search.html", context)


@require_safe
def sources(request):
    language = selectors.current_language()
    return render(request, "ehelp/sources.html", {"sources": selectors.information_sources(language)})


@never_cache
@require_safe
def suggestions(request):
    """The articles offered on the contact form while the subject is typed (an htmx fragment)."""
    articles = selectors.suggestions(request.GET.get("subject", ""), selectors.current_language())
    services.record(request, EventKind.SUGGESTION_SHOWN, [a.pk for a in articles])
    return render(request, "ehelp/_suggestion_list.html", {"suggestions": articles})


@cache_control(public=True, max_age=24 * 60 * 60)
@require_safe
def manual(request):
    if not MANUAL_FILE.is_file():
        raise Http404
    return FileResponse(
        MANUAL_FILE.open("rb"), content_type="application/pdf", filename="PocketBook-LUX-und-eBookit.pdf"
    )


@cache_control(public=True, max_age=24 * 60 * 60)
@require_safe
def step_image(request, pk):
    step = get_object_or_404(Step.objects.only("image"), pk=pk, article__is_published=True)
    if not step.image:
        raise Http404
    try:
        handle = step.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = image_type(handle.read(16))
    if content_type is None:
        handle.close()
        raise Http404
    handle.seek(0)
    response = FileResponse(handle, content_type=content_type)
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
