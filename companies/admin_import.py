"""The import page of the Django admin: upload, preview, confirm (as `manage.py import_companies`).

Wired into the company admin with CompanyImportAdminMixin, at /admin/companies/company/import/.
Uploading a file shows its plan and writes nothing; the file is kept (CompanyImportPreview) and
the confirm button posts its token with the plan's fingerprint, so what is written is what was
shown, or nothing (companies.importing.companies_import_confirm).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.change_display import planned_change_rows
from companies.import_files import ENCODING_CHOICES
from companies.import_plan import ImportPlan
from companies.importing import (
    ImportRefused,
    companies_import_confirm,
    companies_import_preview,
    import_preview_get,
    import_preview_store,
)
from companies.models import Company, CompanyImportPreview

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class CompanyImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV, Excel (.xlsx) or JSON file"),
        help_text=gettext_lazy("Comma, semicolon or tab separated; the format is in docs/import-format.md."),
    )
    encoding = forms.ChoiceField(label=gettext_lazy("Encoding of a CSV file"), choices=ENCODING_CHOICES, required=False)
    approve = forms.BooleanField(label=gettext_lazy("Mark the imported profiles approved"), required=False)

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".json")):
            raise forms.ValidationError(_("Choose a .csv, .xlsx or .json file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; import it with manage.py import_companies."))
        return upload


class CompanyImportConfirmForm(forms.Form):
    label_suffix = ""

    token = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    confirm_committed = forms.BooleanField(
        label=gettext_lazy("Yes, update the companies with meetings named above"), required=False
    )


def company_import_view(request: HttpRequest, admin_site: AdminSite) -> HttpResponse:
    if not request.user.has_perms(["companies.add_company", "companies.change_company"]):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, admin_site)
    form = CompanyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, options = form.cleaned_data["file"], {k: form.cleaned_data[k] for k in ("encoding", "approve")}
        content = upload.read()
        plan = companies_import_preview(content=content, filename=upload.name, **options)
        stored = None
        if plan.ok and plan.writes:
            stored = import_preview_store(user=request.user, content=content, filename=upload.name, **options)  # type: ignore[arg-type]
        return _preview(request, admin_site, plan, stored, form)
    return _page(request, admin_site, form=form)


def _preview(
    request: HttpRequest,
    admin_site: AdminSite,
    plan: ImportPlan,
    stored: CompanyImportPreview | None,
    form: CompanyImportForm,
) -> HttpResponse:
    """The plan, with the confirm form when there is something to write."""
    confirm = None
    if stored is not None:
        confirm = CompanyImportConfirmForm(initial={"token": stored.token, "fingerprint": plan.fingerprint})
    elif plan.ok:
        messages.info(request, _("Nothing to import: every row is the same as the stored company."))
    return _page(request, admin_site, form=form, plan=plan, confirm=confirm)


def _confirm(request: HttpRequest, admin_site: AdminSite) -> HttpResponse:
    confirm = CompanyImportConfirmForm(request.POST)
    stored = import_preview_get(token=request.POST["token"], user=request.user)  # type: ignore[arg-type]
    if stored is None or not confirm.is_valid():
        messages.error(request, _("This preview is no longer kept; upload the file again."))
        return redirect(f"{admin_site.name}:companies_company_import")
    try:
        result = companies_import_confirm(
            content=bytes(stored.content), filename=stored.filename, user=request.user,  # type: ignore[arg-type]
            approve=stored.approve, encoding=stored.encoding, fingerprint=confirm.cleaned_data["fingerprint"],
            confirm_committed=confirm.cleaned_data["confirm_committed"],
        )  # fmt: skip
    except ImportRefused as refused:
        messages.error(request, refused.message)
        plan = companies_import_preview(
            content=bytes(stored.content), filename=stored.filename, approve=stored.approve, encoding=stored.encoding
        )
        return _preview(request, admin_site, plan, stored if plan.ok and plan.writes else None, CompanyImportForm())
    stored.delete()
    counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    text = _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts
    messages.success(request, text)
    return redirect(f"{admin_site.name}:companies_company_changelist")


def _page(request: HttpRequest, admin_site: AdminSite, **context: Any) -> HttpResponse:
    plan: ImportPlan | None = context.get("plan")
    updates = [(row, planned_change_rows(row.changes)) for row in plan.updated] if plan else []
    context = {
        **admin_site.each_context(request),
        "title": _("Import companies"),
        "opts": Company._meta,
        "errors": plan.errors if plan else [],
        "updates": updates,
        **context,
    }
    return render(request, "admin/companies/import.html", context)


class CompanyImportAdminMixin:
    """Adds the import page to a ModelAdmin of Company."""

    admin_site: AdminSite

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="companies_company_import"), *super().get_urls()]  # type: ignore[misc]

    def import_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return company_import_view(request, self.admin_site)
