"""Company pages: register, edit and submit a profile, the directory, moderation, colleagues, data rights."""

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_admin
from companies import change_display, data_rights, diffs, permissions, selectors, services
from companies import moderation as moderation_rules
from companies.directory import directory_cached
from companies.enums import CompanyStatus, MemberRole
from companies.forms import (
    DirectoryFilterForm,
    InvitationForm,
    ModerationForm,
    ProfileForm,
)
from companies.labels import label
from companies.models import Company, CompanyChange
from config.web import error_text, page_of, posted, role_required

DIRECTORY_PAGE_SIZE = 20
MODERATION_PAGE_SIZE = 50
LIST_KINDS = {"sectors": "sector", "stages": "stage", "partnership_types": "partnership_type",
              "materials": "material", "languages": "language"}  # fmt: skip


def company_required(view: Callable) -> Callable:
    """Login required; the view gets the user's membership, or the user is sent to register a company."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = getattr(request.user, "membership", None)
        if membership is None:
            messages.info(request, _("Register your company first."))
            return redirect("companies:register")
        return view(request, membership, *args, **kwargs)

    return wrapper


def owner_required(view: Callable) -> Callable:
    """company_required, for the owner alone: the pages (invite, delete) that only the owner's actions use;
    their services check the owner again (companies.permissions)."""

    @company_required
    @wraps(view)
    def wrapper(request: HttpRequest, membership: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        permissions.require_company_owner(user=request.user, company=membership.company)
        return view(request, membership, *args, **kwargs)

    return wrapper


# The moderation pages: anonymous visitors log in first; signed-in users who are not admins get 403.
staff_required = role_required(permissions.require_moderator)


def _labelled(company: Company) -> Company:
    """Attach `labels` ({field: [label, ...]}) in the active language for the templates."""
    company.labels = {field: [label(kind, code) for code in getattr(company, field)]
                      for field, kind in LIST_KINDS.items()}  # fmt: skip
    return company


def _change_rows(changes: list[CompanyChange]) -> list[CompanyChange]:
    """Attach `rows` [(field label, old, new)] to each change, for the history table: labels, not codes."""
    for change in changes:
        change.rows = [(capfirst(name), old, new) for name, old, new in change_display.change_rows(change.changes)]
    return changes


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """A signed-up user without a company creates a draft profile and becomes its owner."""
    if getattr(request.user, "membership", None) is not None:
        messages.info(request, _("You already belong to a company."))
        return redirect("companies:my_profile")
    form = ProfileForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.company_create(user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("companies:my_profile")
        messages.success(request, _("Your draft profile is saved. Complete it and submit it for review."))
        return redirect("companies:my_profile")
    return render(request, "companies/register.html", {"form": form})


@company_required
def my_profile(request: HttpRequest, membership: Any) -> HttpResponse:
    company = selectors.company_get(pk=membership.company_id)
    pending = diffs.pending_context(company=company, user=request.user)
    proposed = pending["revision"].proposed if pending["revision"] else None
    form = ProfileForm(posted(request), company=company, proposed=proposed)
    if request.method == "POST" and form.is_valid():
        try:  # moderation decides: applied at once, a pending revision, or refused (frozen)
            outcome = moderation_rules.profile_edit(company=company, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, diffs.edit_message(outcome))
        return redirect("companies:my_profile")
    return render(request, "companies/my_profile.html", {
        **pending,
        "company": company,
        "form": form,
        "is_owner": membership.role == MemberRole.OWNER,
        "completeness": selectors.company_completeness(company),
        "members": selectors.company_members(company=company),
        "invitations": selectors.company_pending_invitations(company=company),
        "invitation_form": InvitationForm(),
    })  # fmt: skip


@require_POST
@company_required
def submit(request: HttpRequest, membership: Any) -> HttpResponse:
    try:
        services.company_submit(company=membership.company, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your profile is submitted; an admin will review it."))
    return redirect("companies:my_profile")


def directory(request: HttpRequest) -> HttpResponse:
    """Approved profiles, searched and filtered, paginated; the body comes from the cache when
    someone asked for the same filters and page in this language since the last change."""
    filters = _directory_filters(request.GET)
    page_number = request.GET.get("page", "")[:12]
    body = directory_cached(
        part="body", language=get_language(), filters={**filters, "page": page_number},
        render=lambda: _directory_body(filters, page_number),
    )  # fmt: skip
    return render(request, "companies/directory.html", {"body": body})


def _directory_filters(data: QueryDict) -> dict[str, str]:
    """DirectoryFilterForm(data).filters(), remembered for the same values: the cleaned filters
    depend on nothing else (the vocabularies are code, the choices' labels play no part), and
    building the form (seven fields and their choices) cost more than the rest of a cached page."""
    return dict(_filters_cleaned(tuple((name, data[name]) for name in DirectoryFilterForm.base_fields if name in data)))


@lru_cache(maxsize=1024)
def _filters_cleaned(values: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return DirectoryFilterForm(dict(values)).filters()


def _directory_body(filters: dict[str, str], page_number: str) -> str:
    """The body for the filters as the form cleaned them: what it shows and its links depend on
    nothing else of the request, so one rendering serves everyone who asks for the same."""
    data = {("q" if name == "query" else name): value for name, value in filters.items() if value}
    page = Paginator(selectors.company_directory_ids(**filters), DIRECTORY_PAGE_SIZE).get_page(page_number)
    page.object_list = selectors.company_directory_rows(page.object_list)
    for company in page:
        company.labels = {field: [label(LIST_KINDS[field], code) for code in getattr(company, field)]
                          for field in selectors.DIRECTORY_LABELLED}  # fmt: skip
    page_query = QueryDict(mutable=True)
    page_query.update(data)
    search = directory_cached(
        part="filters", language=get_language(), filters=filters,
        render=lambda: render_to_string("companies/_directory_filters.html", {"form": DirectoryFilterForm(data)}),
    )  # fmt: skip
    context = {"search": search, "page": page, "page_query": page_query}
    return render_to_string("companies/_directory_body.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A profile as its viewer may see it; 404 when a non-public profile is not theirs to see."""
    company = selectors.company_get(pk=pk)
    if company is None or not selectors.company_can_view(user=request.user, company=company):
        raise Http404(_("No such company."))
    can_edit = selectors.company_can_edit(user=request.user, company=company)
    return render(request, "companies/detail.html", {
        "company": _labelled(company),
        "dependencies": [(label("material", d.material), d) for d in company.dependencies.all()],
        "contacts": company.contacts.all() if selectors.contacts_visible_to(user=request.user, company=company)
        else None,
        "changes": _change_rows(list(selectors.company_changes(company=company))) if can_edit else None,
        "can_moderate": is_admin(request.user) and company.status == CompanyStatus.SUBMITTED,
        **diffs.pending_context(company=company, user=request.user),
    })  # fmt: skip


@staff_required
def moderation(request: HttpRequest) -> HttpResponse:
    """The queue of submitted profiles; approve or reject (with a reason) one or many at once."""
    form = ModerationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["action"] == ModerationForm.APPROVE
        try:
            count = services.companies_bulk_moderate(
                company_ids=[c.pk for c in form.cleaned_data["companies"]], admin=request.user, approve=approve,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            done = _("Approved %(count)s profile(s).") if approve else _("Rejected %(count)s profile(s).")
            messages.success(request, done % {"count": count})
            return redirect("companies:moderation")
    page = page_of(request, selectors.company_moderation_queue(), MODERATION_PAGE_SIZE)
    selected = {str(pk) for pk in form["companies"].value() or []}
    return render(request, "companies/moderation.html", {
        "form": form, "page": page, "selected": selected, "revisions": selectors.revision_queue(),
    })  # fmt: skip


@owner_required
def invite(request: HttpRequest, membership: Any) -> HttpResponse:
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                company=membership.company, invited_by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_error("email", error.message_dict.get("email", error.messages))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("companies:my_profile")
    return render(request, "companies/invite.html", {"form": form, "company": membership.company})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anonymous visitors are offered sign-up or login that come back here; members are told why not."""
    invitation = selectors.invitation_get(token=token)
    if invitation is None:
        raise Http404(_("This invitation link is not valid."))
    here = request.get_full_path()
    context: dict[str, Any] = {
        "invitation": invitation,
        "signup_url": f"{reverse('accounts:signup')}?{urlencode({'next': here})}",
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': here})}",
        "error": None,
    }
    if request.user.is_authenticated and request.method == "POST":
        try:
            services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            context["error"] = error_text(error)
            return render(request, "companies/invitation_accept.html", context, status=400)
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.company.name})
        return redirect("companies:my_profile")
    if invitation.accepted_at is not None:
        context["error"] = _("This invitation has already been used.")
    elif request.user.is_authenticated and getattr(request.user, "membership", None) is not None:
        context["error"] = _("You already belong to a company. Leave it before joining another.")
    return render(request, "companies/invitation_accept.html", context)


@company_required
def download(request: HttpRequest, membership: Any) -> HttpResponse:
    """Data rights: everything held about the company and its members, as a JSON file."""
    response = HttpResponse(data_rights.company_data_json(company=membership.company), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="kizuna-company-{membership.company_id}.json"'
    return response
