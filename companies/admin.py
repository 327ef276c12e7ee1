"""Django admin for company profiles.

The lifecycle (approve, reject) goes through the services, so the admin sends the same e-mails
and records the same history as the moderation page; profile fields are checked by profile_clean
and every edit made here is recorded in the history too.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from companies import services
from companies.admin_import import CompanyImportAdminMixin
from companies.forms import AdminRejectForm
from companies.models import (
    PROFILE_FIELDS,
    Company,
    CompanyChange,
    ContactPerson,
    Invitation,
    Membership,
    SupplyDependency,
)
from companies.validation import LIST_FIELDS, profile_clean

READ_ONLY_LIFECYCLE = ("status", "rejection_reason", "reviewed_by", "reviewed_at", "submitted_at", "created_at",
                       "updated_at")  # fmt: skip


# Inline rows that are part of the profile: written by company_update as {field: [row, ...]}.
ADMIN_CHILD_ROWS = {
    SupplyDependency: ("dependencies", ("material", "source_country", "share_percent")),
    ContactPerson: ("contacts", ("name", "role", "email", "phone")),
}


def _formset_rows(formset: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows an inline formset would leave in place: kept and new ones, without deleted or empty extras."""
    rows = []
    for row in formset.forms:
        cleaned = getattr(row, "cleaned_data", None)
        if not cleaned or cleaned.get("DELETE") or (row.instance.pk is None and not row.has_changed()):
            continue
        rows.append({key: cleaned.get(key) for key in keys})
    return rows


class CompanyAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = PROFILE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in LIST_FIELDS:  # an empty list is allowed; profile_clean says which lists are required
            if field in self.fields:
                self.fields[field].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            profile_clean({k: v for k, v in cleaned.items() if k in PROFILE_FIELDS})
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, field_messages)
        return cleaned


class SupplyDependencyInline(admin.TabularInline):
    model = SupplyDependency
    extra = 0


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        # Each row shows its member (Membership.__str__): fetched with the row, not afterwards, so a
        # member erased while the form is being saved cannot turn the page into a 500 (a later fetch
        # raised DoesNotExist under the race in tests/companies/test_concurrency.py).
        return super().get_queryset(request).select_related("user")


class CompanyChangeInline(admin.TabularInline):
    model = CompanyChange
    extra = 0
    fields = ("at", "user", "action", "changes", "note")
    readonly_fields = fields
    can_delete = False
    ordering = ("-at", "-id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CompanyChange]:
        # The author is shown on each row: fetched with it, as for the members above.
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Company)
class CompanyAdmin(CompanyImportAdminMixin, admin.ModelAdmin):
    form = CompanyAdminForm
    list_display = ("name", "name_ja", "country", "status", "submitted_at", "updated_at")
    list_filter = ("status", "country")
    search_fields = ("name", "name_ja", "ref", "city")
    readonly_fields = READ_ONLY_LIFECYCLE
    inlines = (SupplyDependencyInline, ContactPersonInline, MembershipInline, CompanyChangeInline)
    actions = ("approve_selected", "reject_selected")

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # company_update found the company deleted while this form was open (companies.services.company_lock);
            # the admin's transaction is rolled back, and the admin is told instead of shown an error page.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:companies_company_changelist")

    def save_model(self, request: HttpRequest, obj: Company, form: Any, change: bool) -> None:
        # A new company is saved here (the inlines need its id); an edit is written in save_related,
        # through company_update, together with the dependency and contact rows.
        if not change:
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            services.company_record_admin_edit(company=form.instance, user=request.user, before={})
            return
        data = {field: form.cleaned_data[field] for field in PROFILE_FIELDS if field in form.cleaned_data}
        for formset in formsets:
            rows = ADMIN_CHILD_ROWS.get(formset.model)
            if rows is None:
                formset.save()  # members: not part of the profile
            else:
                data[rows[0]] = _formset_rows(formset, rows[1])
                # The admin's log message reads these; the profile history has the details.
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        # The same service as the firm's edits: history, match refresh, an approved profile stays public.
        services.company_update(company=form.instance, user=request.user, data=data)

    @admin.action(description=_("Approve the selected profiles"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Company]) -> None:
        try:
            count = services.companies_bulk_moderate(
                company_ids=list(queryset.values_list("pk", flat=True)), admin=request.user, approve=True
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return
        self.message_user(request, _("Approved %(count)s profile(s).") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected profiles (asks for a reason)"))
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Company]) -> HttpResponse | None:
        form = AdminRejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                count = services.companies_bulk_moderate(
                    company_ids=list(queryset.values_list("pk", flat=True)), admin=request.user, approve=False,
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
                return None
            self.message_user(request, _("Rejected %(count)s profile(s).") % {"count": count}, messages.SUCCESS)
            return None
        context = {**self.admin_site.each_context(request), "form": form, "queryset": queryset,
                   "opts": self.model._meta, "title": _("Reject profiles")}  # fmt: skip
        return render(request, "companies/admin_reject.html", context)


@admin.register(CompanyChange)
class CompanyChangeAdmin(admin.ModelAdmin):
    """The audit trail: read-only."""

    list_display = ("at", "company", "action", "user")
    list_filter = ("action",)
    search_fields = ("company__name", "user__email", "note")
    list_select_related = ("company", "user")
    readonly_fields = ("company", "user", "action", "changes", "note", "at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "company", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "company__name")
    list_select_related = ("user", "company")
    raw_id_fields = ("user", "company")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "company", "invited_by", "created_at", "accepted_at")
    list_filter = ("accepted_at",)
    search_fields = ("email", "company__name")
    list_select_related = ("company", "invited_by")
    readonly_fields = ("token", "created_at", "accepted_at")
    raw_id_fields = ("company", "invited_by")
