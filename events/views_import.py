"""The organisers' delegation import: upload, preview, confirm (as the API and `manage.py import_delegation`).

Uploading writes nothing: the page shows the plan (events.services.delegation_import) and keeps
the file (companies.import_preview) until "Confirm and import" posts its token with the plan's
fingerprint; what is written is what was shown, or nothing.
"""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.import_plan import ImportPlan
from companies.import_preview import ImportRefused, import_preview_get, import_preview_store
from companies.models import CompanyImportPreview
from config.web import flash_errors
from events import forms, services
from events.models import Mission
from events.services.delegation_import import delegation_change_rows, delegation_preview_scope
from events.views import _managed


class DelegationConfirmForm(django_forms.Form):
    token = django_forms.CharField(widget=django_forms.HiddenInput)
    fingerprint = django_forms.CharField(widget=django_forms.HiddenInput)
    confirm_committed = django_forms.BooleanField(
        label=gettext_lazy("Yes, change the delegations of the firms named above"), required=False
    )


@login_required
def delegation_import(request: HttpRequest, pk: int) -> HttpResponse:
    """POST a file: its preview. POST a token: write the kept file's plan."""
    mission = _managed(request, pk)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, mission)
    form = forms.DelegationImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, mission, form=form)
    upload, encoding = form.cleaned_data["file"], form.cleaned_data["encoding"]
    content = upload.read()
    plan = services.delegation_import_preview(
        mission=mission, user=request.user, content=content, filename=upload.name, encoding=encoding
    )
    stored = None
    if plan.ok and plan.writes:
        stored = import_preview_store(user=request.user, content=content, filename=upload.name,  # type: ignore[arg-type]
                                      encoding=encoding, scope=delegation_preview_scope(mission))  # fmt: skip
    return _preview(request, mission, plan, stored)


def _preview(
    request: HttpRequest, mission: Mission, plan: ImportPlan, stored: CompanyImportPreview | None
) -> HttpResponse:
    confirm = None
    if stored is not None:
        confirm = DelegationConfirmForm(initial={"token": stored.token, "fingerprint": plan.fingerprint})
    elif plan.ok:
        messages.info(request, _("Nothing to import: every firm's delegation is already as in the file."))
    return _page(request, mission, form=forms.DelegationImportForm(), plan=plan, confirm=confirm,
                 filename=stored.filename if stored else "")  # fmt: skip


def _confirm(request: HttpRequest, mission: Mission) -> HttpResponse:
    confirm = DelegationConfirmForm(request.POST)
    scope = delegation_preview_scope(mission)
    stored = import_preview_get(token=request.POST["token"], user=request.user, scope=scope)  # type: ignore[arg-type]
    if stored is None or not confirm.is_valid():
        messages.error(request, _("This preview is no longer kept; upload the file again."))
        return redirect("events:delegation_import", pk=mission.pk)
    args = {"mission": mission, "user": request.user, "content": bytes(stored.content), "filename": stored.filename,
            "encoding": stored.encoding}  # fmt: skip
    try:
        result = services.delegation_import_confirm(
            **args, fingerprint=confirm.cleaned_data["fingerprint"],
            confirm_committed=confirm.cleaned_data["confirm_committed"],
        )  # fmt: skip
    except ImportRefused as refused:
        messages.error(request, refused.message)
        plan = services.delegation_import_preview(**args)
        return _preview(request, mission, plan, stored if plan.ok and plan.writes else None)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("events:delegation_import", pk=mission.pk)
    stored.delete()
    counts = {"created": result.participations_created, "updated": result.participations_updated,
              "delegates": result.delegates}  # fmt: skip
    text = _("Imported: %(created)d firms joined, %(updated)d changed, %(delegates)d delegates.") % counts
    messages.success(request, text)
    return redirect("events:participants", pk=mission.pk)


def _page(request: HttpRequest, mission: Mission, **context: Any) -> HttpResponse:
    plan: ImportPlan | None = context.get("plan")
    updates = [(row, delegation_change_rows(row.changes)) for row in plan.updated] if plan else []
    return render(request, "events/delegation_import.html", {
        "mission": mission, "errors": plan.errors if plan else [], "updates": updates, **context,
    })  # fmt: skip
