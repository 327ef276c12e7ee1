"""Data-rights pages (docs/privacy.md): what Kizuna holds about a firm, its downloads, and deletion.
The rules live in companies.data_rights."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import change_display, data_rights
from companies.enums import MemberRole
from companies.forms import DeleteCompanyForm
from companies.views import company_required, owner_required
from config.web import posted

# Column headings of the page for the keys of the downloads that are not profile fields (those take
# the profile's own labels); the files keep the keys, which programs read.
COLUMNS = {
    "id": gettext_lazy("Number"), "status": gettext_lazy("Status"), "created_at": gettext_lazy("Created"),
    "updated_at": gettext_lazy("Updated"), "submitted_at": gettext_lazy("Submitted"),
    "reviewed_at": gettext_lazy("Reviewed"), "rejection_reason": gettext_lazy("Reason for rejection"),
    "material": gettext_lazy("Material"), "source_country": gettext_lazy("Source country"),
    "share_percent": gettext_lazy("Share (%)"), "role": gettext_lazy("Role"), "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"), "full_name": gettext_lazy("Full name"), "language": gettext_lazy("Language"),
    "email_frequency": gettext_lazy("E-mails"), "joined_company_at": gettext_lazy("Joined the company"),
    "account_created_at": gettext_lazy("Account created"), "last_login": gettext_lazy("Last login"),
    "accepted_at": gettext_lazy("Accepted"), "at": gettext_lazy("When"), "user": gettext_lazy("Who"),
    "action": gettext_lazy("What"), "changes": gettext_lazy("Changes"), "note": gettext_lazy("Note"),
    "proposed": gettext_lazy("Proposed values"), "created_by": gettext_lazy("Proposed by"),
    "decided_at": gettext_lazy("Decided"), "mission": gettext_lazy("Mission"),
    "joined_via": gettext_lazy("Joined via"), "max_meetings": gettext_lazy("Most meetings wanted"),
    "other_firm": gettext_lazy("Other firm"), "score": gettext_lazy("Score"), "rank": gettext_lazy("Rank"),
    "your_answer": gettext_lazy("Your answer"), "your_reason": gettext_lazy("Your reason"),
    "direction": gettext_lazy("Sent or received"), "message": gettext_lazy("Message"),
    "priority": gettext_lazy("Priority"), "answered_at": gettext_lazy("Answered"), "start": gettext_lazy("Start"),
    "table": gettext_lazy("Table"), "cancelled_reason": gettext_lazy("Reason for cancelling"),
    "recipient": gettext_lazy("Recipient"), "kind": gettext_lazy("Kind"), "title": gettext_lazy("Title"),
    "link": gettext_lazy("Link"), "read_at": gettext_lazy("Read"), "emailed_at": gettext_lazy("E-mailed"),
}  # fmt: skip


def _column(key: str) -> str:
    return str(COLUMNS[key]) if key in COLUMNS else capfirst(change_display.field_label(key))


def _titles() -> dict[str, str]:
    return {
        "profile": _("Profile"), "dependencies": _("Supply dependencies"), "contacts": _("Contact persons"),
        "members": _("Members' accounts"), "invitations": _("Invitations"), "history": _("History of changes"),
        "revisions": _("Proposed changes"), "participations": _("Missions joined"), "delegates": _("Delegates"),
        "suggestions": _("Suggested partners"), "requests": _("Meeting requests"), "meetings": _("Meetings"),
        "notifications": _("Notifications"),
    }  # fmt: skip


def _sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each section as a title, column names and rows of cells, for one template loop."""
    titles, sections = _titles(), []
    for key in data_rights.SECTIONS:
        rows = data[key] if isinstance(data[key], list) else [data[key]]
        columns = list(dict.fromkeys(column for row in rows for column in row))
        sections.append({
            "key": key, "title": titles[key], "count": len(rows), "columns": [_column(c) for c in columns],
            "rows": [[data_rights.text_cell(row.get(column)) for column in columns] for row in rows],
        })  # fmt: skip
    return sections


def _delete_context(company: Any, form: DeleteCompanyForm) -> dict[str, Any]:
    return {"company": company, "form": form, **data_rights.erasure_preview(company=company)}


@company_required
def data(request: HttpRequest, membership: Any) -> HttpResponse:
    """Everything held about the firm and its members, section by section, with the downloads."""
    company = membership.company
    context = {
        "sections": _sections(data_rights.company_data(company=company)),
        "is_owner": membership.role == MemberRole.OWNER,
        **_delete_context(company, DeleteCompanyForm()),
    }
    return render(request, "companies/data.html", context)


@company_required
def data_zip(request: HttpRequest, membership: Any) -> HttpResponse:
    response = HttpResponse(data_rights.company_data_zip(company=membership.company), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="kizuna-company-{membership.company_id}-csv.zip"'
    return response


@owner_required
def delete(request: HttpRequest, membership: Any) -> HttpResponse:
    """The owner deletes the company and the members' accounts, typing the company's name to confirm."""
    company = membership.company
    form = DeleteCompanyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            erasure = data_rights.company_erase(
                company=company, user=request.user, confirm_name=form.cleaned_data["confirm_name"]
            )
        except ValidationError as error:
            form.add_error("confirm_name", error.messages)
        else:
            if request.user.email in erasure.accounts:
                logout(request)
            messages.success(request, _("%(name)s and all its data are deleted.") % {"name": erasure.company})
            return redirect("home")
    return render(request, "companies/delete_confirm.html", _delete_context(company, form))
