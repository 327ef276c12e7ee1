"""Who may do what to a company through the API: the rules of companies.selectors, as DRF permissions."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from companies.selectors import company_can_edit, company_is_member, company_is_owner


class CanEditCompany(BasePermission):
    """The company's members and admins."""

    message = _("Only the company's members and admins can change this profile.")

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return company_can_edit(user=request.user, company=obj)


class CanDeleteCompany(BasePermission):
    message = _("Only the company's owner and admins can delete this profile.")

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.user.is_staff or company_is_owner(user=request.user, company=obj)


class IsCompanyMember(BasePermission):
    message = _("Only the company's members can download its data.")

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return company_is_member(user=request.user, company=obj)
