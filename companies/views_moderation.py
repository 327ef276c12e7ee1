"""Pages of the moderation of changes: the firm withdraws a submission or its pending changes; an admin
reviews a revision (field-level diff) and approves or rejects it. Rules live in companies.moderation."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import diffs, moderation, selectors
from companies.forms import RevisionDecisionForm
from companies.views import company_required, staff_required
from config.web import error_text, posted


@require_POST
@company_required
def withdraw(request: HttpRequest, membership: Any) -> HttpResponse:
    try:
        moderation.company_withdraw(company=membership.company, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The submission is withdrawn: the profile is a draft again. Submit it when ready."))
    return redirect("companies:my_profile")


@require_POST
@company_required
def revision_withdraw(request: HttpRequest, membership: Any) -> HttpResponse:
    try:
        moderation.revision_withdraw(company=membership.company, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your proposed changes are withdrawn; the approved profile is unchanged."))
    return redirect("companies:my_profile")


@staff_required
def revision_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One revision: the live values beside the proposed ones, and the decision with a note."""
    revision = selectors.revision_get(pk=pk)
    if revision is None:
        raise Http404(_("No such revision."))
    form = RevisionDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decide = moderation.revision_approve if form.approves else moderation.revision_reject
        try:
            decide(revision=revision, admin=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            done = (
                _("The changes to %(name)s are approved and public.")
                if form.approves
                else _("The changes to %(name)s are rejected; the firm is told why.")
            )
            messages.success(request, done % {"name": revision.company.name})
            return redirect("companies:moderation")
    live = selectors.company_profile_data(company=revision.company)
    return render(request, "companies/revision_review.html", {
        "revision": revision,
        "company": revision.company,
        "rows": diffs.revision_rows(revision, live),
        "form": form,
    })  # fmt: skip
