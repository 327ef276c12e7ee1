"""The organisers' page turning a mission's suggestions into requests or must-meet meetings: a
preview of exactly what would be written, then one "Convert" (matchmaking.services.conversion)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from config.web import flash_errors
from events.enums import MissionAction
from events.phase_guide import action_refusal
from events.views import _managed
from matchmaking.conversion_selectors import DEFAULT_MIN_SCORE, conversion_preview
from matchmaking.forms import ConvertForm
from matchmaking.services.conversion import ConversionResult, suggestions_convert

DEFAULTS = {"source": "both", "min_score": DEFAULT_MIN_SCORE, "target": "requests"}


@login_required
def convert_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the choice and its preview. POST: write the previewed plan; a stale preview is refused and
    the page shows the new one."""
    mission = _managed(request, pk)
    if request.method == "POST":
        return _convert(request, mission)
    form = ConvertForm({**DEFAULTS, **request.GET.dict()})
    preview = None
    if form.is_valid():
        data = form.cleaned_data
        preview = conversion_preview(
            mission=mission, source=data["source"], target=data["target"], min_score=data["min_score"]
        )
        form = ConvertForm(initial={**data, "fingerprint": preview.fingerprint})
    return render(request, "events/convert_suggestions.html", {
        "mission": mission, "form": form, "preview": preview,
        "refusal": action_refusal(mission, MissionAction.CONVERT_SUGGESTIONS),
    })  # fmt: skip


def _convert(request: HttpRequest, mission) -> HttpResponse:
    form = ConvertForm(request.POST)
    back = reverse("events:convert_suggestions", args=[mission.pk])
    if not form.is_valid():
        flash_errors(request, ValidationError(form.errors))
        return redirect(back)
    data = form.cleaned_data
    query = urlencode({key: data[key] for key in ("source", "min_score", "target")})
    try:
        result = suggestions_convert(mission=mission, user=request.user, **data)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(f"{back}?{query}")
    messages.success(request, _converted_message(result))
    return redirect("events:requests", pk=mission.pk)


def _converted_message(result: ConversionResult) -> str:
    if result.target == "meetings":
        text = ngettext(
            "%(n)d must-meet meeting arranged; %(firms)d firms are told.",
            "%(n)d must-meet meetings arranged; %(firms)d firms are told.",
            result.created,
        )
    else:
        text = ngettext(
            "%(n)d meeting request sent; %(firms)d firms are told.",
            "%(n)d meeting requests sent; %(firms)d firms are told.",
            result.created,
        )
    return text % {"n": result.created, "firms": result.firms_told}
