"""The import page of the Django admin: the same all-or-nothing import as `manage.py import_companies`.

Wired into the company admin with CompanyImportAdminMixin, at /admin/companies/company/import/.
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

from companies.import_files import ENCODING_CHOICES
from companies.importing import companies_import
from companies.models import Company

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


def company_import_view(request: HttpRequest, admin_site: AdminSite) -> HttpResponse:
    if not request.user.has_perms(["companies.add_company", "companies.change_company"]):
        raise PermissionDenied
    form = CompanyImportForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = companies_import(
            content=upload.read(),
            filename=upload.name,
            user=request.user,
            approve=form.cleaned_data["approve"],
            encoding=form.cleaned_data["encoding"],
        )
        if result.ok:
            counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            text = _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts
            messages.success(request, text)
            return redirect(f"{admin_site.name}:companies_company_changelist")
        errors = result.errors
    context = {
        **admin_site.each_context(request),
        "title": _("Import companies"),
        "opts": Company._meta,
        "form": form,
        "errors": errors,
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
