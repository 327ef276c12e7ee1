"""Matching pages: runs (list, start, progress), the admins' review queue, a firm's suggested partners."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.selectors import user_company
from config.web import form_errors, page_of, posted, role_required
from matchmaking import card_html, card_selectors, selectors, services
from matchmaking.enums import RunSource
from matchmaking.forms import PartnerFilterForm, RespondForm, ReviewActionForm, ReviewFilterForm, RunStartForm
from matchmaking.permissions import require_reviewer, require_runner

RUNS_PAGE_SIZE = 25
REVIEW_PAGE_SIZE = 50


def _language() -> str:
    return (get_language() or "en").split("-")[0]


# Admins and organisers start runs; admins review suggestions; anyone else signed in gets 403.
_runner_required = role_required(require_runner)
_staff_required = role_required(require_reviewer)


@_runner_required
def runs(request: HttpRequest) -> HttpResponse:
    """The runs the user may see, newest first, and the form that starts one."""
    form = RunStartForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.match_run_start(
                user=request.user, mission=data["mission"], top_k=data["top_k"], min_score=data["min_score"],
                embedding_weight=data["embedding_weight"], source=RunSource.WEB,
            )  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Run %(id)s is queued.") % {"id": run.pk})
            return redirect("matchmaking:run_detail", pk=run.pk)
    page = page_of(request, selectors.match_runs_visible_to(request.user), RUNS_PAGE_SIZE)
    return render(request, "matchmaking/runs.html", {"form": form, "page": page})


def _visible_run(request: HttpRequest, pk: int) -> Any:
    run = selectors.match_run_get(pk=pk)
    if run is None or not selectors.match_run_can_view(user=request.user, run=run):
        raise Http404
    return run


@_runner_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Status, progress and counts; while the run is queued or running, htmx asks for the live block
    (`_run_live.html`, the same view) every 2 s and swaps it in place."""
    run = _visible_run(request, pk)
    # Errors we write ourselves are English msgids (tasks.BLOCK_FAILED); a crash's own text stays as it is.
    error = _(run.error) if run.error else ""
    template = "matchmaking/_run_live.html" if request.htmx else "matchmaking/run_detail.html"
    return render(request, template, {"run": run, "error": error})


@require_POST
@_runner_required
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    try:
        services.match_run_retry(run=run, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Run %(id)s is queued again.") % {"id": run.pk})
    return redirect("matchmaking:run_detail", pk=run.pk)


@_staff_required
def review(request: HttpRequest) -> HttpResponse:
    """Filter and sort suggestions; approve or reject the selected ones, all or nothing."""
    filters = ReviewFilterForm(request.GET or None)
    form = ReviewActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["action"] == ReviewActionForm.APPROVE
        ids = [s.pk for s in form.cleaned_data["suggestions"]]
        try:
            count = services.suggestions_bulk_review(
                suggestion_ids=ids, admin=request.user, approve=approve, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = _("Approved %(count)s suggestion(s).") if approve else _("Rejected %(count)s suggestion(s).")
            messages.success(request, done % {"count": count})
            return redirect(_review_url(request.GET.urlencode()))
    queue = selectors.suggestion_review_queue(**filters.filters())
    page = page_of(request, queue, REVIEW_PAGE_SIZE)
    page.object_list = selectors.suggestions_with_reasons(page.object_list)  # the page's reasons in one query
    context = {"filters": filters, "form": form, "page": page, "language": _language()}
    return render(request, "matchmaking/review.html", context)


def _review_url(query: str) -> str:
    return f"{reverse('matchmaking:review')}{'?' + query if query else ''}"


@require_POST
@_staff_required
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One approve/reject from a row of the queue, with the queue's note: htmx swaps the row in
    place (with the refusal, if any); without JavaScript the queue comes back at its filters."""
    suggestion = selectors.suggestion_review_row(pk=pk)
    if suggestion is None:
        raise Http404
    action = request.POST.get("action")
    note = request.POST.get("note", "")[: ReviewActionForm.NOTE_MAX]
    error = ""
    if action not in (ReviewActionForm.APPROVE, ReviewActionForm.REJECT):
        error = _("Choose approve or reject.")
    else:
        try:
            services.suggestion_review(
                suggestion=suggestion, admin=request.user, approve=action == ReviewActionForm.APPROVE, note=note
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        context = {"suggestion": selectors.suggestion_review_row(pk=pk), "language": _language(), "row_error": error}
        return render(request, "matchmaking/_suggestion_row.html", context)  # 200: htmx swaps no 4xx
    if error:
        messages.error(request, error)
    else:
        approved = action == ReviewActionForm.APPROVE
        done = _("Approved suggestion %(id)s.") if approved else _("Rejected suggestion %(id)s.")
        messages.success(request, done % {"id": pk})
    return redirect(_review_url(request.GET.urlencode()))


@login_required
def my_suggestions(request: HttpRequest) -> HttpResponse:
    """A firm's suggested partners as cards, one per partner whatever the missions; filtered,
    sorted and paginated (card_selectors)."""
    company = user_company(request.user)
    if company is None:
        messages.info(request, _("Register your company first."))
        return redirect("companies:register")
    cards = card_selectors.partner_cards(company=company)
    options = card_selectors.card_options(cards)
    filters = PartnerFilterForm(request.GET or None, options=options)
    shown = card_selectors.cards_filtered(cards, **filters.filters())
    shown = card_selectors.cards_sorted(shown, ordering=filters.ordering())
    page = page_of(request, shown, card_selectors.CARDS_PER_PAGE)
    card_selectors.partner_cards_fill(cards=page.object_list, company=company, language=_language())
    query = _card_query(request.GET)
    context = {
        "company": company, "page": page, "total": len(cards),
        # Rendered once per distinct content and kept (matchmaking.card_html).
        "filters_html": card_html.filters_html(data=request.GET, options=options) if cards else "",
        "cards_html": card_html.cards_html(request=request, cards=page.object_list, query=query),
    }  # fmt: skip
    return render(request, "matchmaking/my_suggestions.html", context)


CARD_QUERY_KEYS = ("mission", "sector", "country", "interest", "sort", "page")


def _card_query(data: Any) -> str:
    """The cards page's own query string (filters, sort, page) from GET or from a posted `query`,
    so that an answer without JavaScript comes back to the same page of cards; other keys dropped."""
    return urlencode([(key, data[key]) for key in CARD_QUERY_KEYS if data.get(key)])


@require_POST
@login_required
def partner_respond(request: HttpRequest, partner_pk: int) -> HttpResponse:
    """A firm's answer on a partner card, for each mission the pair is suggested in. htmx: the card
    is swapped in place; without JavaScript: back to the same page of cards."""
    company = user_company(request.user)
    suggestions = card_selectors.partner_suggestions(company=company, partner_id=partner_pk) if company else []
    if not suggestions:
        raise Http404
    form = RespondForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose interested or not interested.")
    else:
        try:
            services.partner_respond(
                suggestions=suggestions, user=request.user, reason=form.cleaned_data["reason"],
                interested=form.cleaned_data["response"] == RespondForm.INTERESTED,
            )  # fmt: skip
        except ValidationError as exc:
            error = " ".join(exc.messages)
    query = _card_query(QueryDict(request.POST.get("query", "")))
    if request.htmx:
        card = card_selectors.partner_card(company=company, partner_id=partner_pk, language=_language())
        context = {"card": card_html.card_shown(card), "error": error, "saved": not error, "query": query}
        return render(request, card_html.CARD_TEMPLATES[0], context)  # 200: htmx swaps no 4xx
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your answer is saved."))
    url = reverse("matchmaking:my_suggestions")
    return redirect(f"{url}{'?' + query if query else ''}#partner-{partner_pk}")


@require_POST
@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    company = user_company(request.user)
    suggestion = selectors.suggestions_for_company(company=company).filter(pk=pk).first() if company else None
    if suggestion is None:
        raise Http404
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose interested or not interested."))
        return redirect("matchmaking:my_suggestions")
    interested = form.cleaned_data["response"] == RespondForm.INTERESTED
    try:
        services.suggestion_respond(
            suggestion=suggestion, user=request.user, interested=interested, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect("matchmaking:my_suggestions")
