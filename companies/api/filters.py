"""Query parameters of the company list: the directory's filters (selectors.company_directory)."""

import django_filters
from django.db.models import QuerySet

from companies.enums import CompanyStatus
from companies.labels import lazy_choices
from companies.models import COUNTRY_CHOICES, Company
from companies.selectors import company_directory


class CompanyFilter(django_filters.FilterSet):
    """Each parameter narrows the list; an unknown code is a 400 naming the parameter."""

    q = django_filters.CharFilter(label="Text search in names, texts, keywords and places (Japanese too).")
    side = django_filters.ChoiceFilter(choices=[("EU", "EU"), ("JP", "Japan")], label="EU or JP.")
    country = django_filters.ChoiceFilter(choices=COUNTRY_CHOICES)
    sector = django_filters.ChoiceFilter(choices=lazy_choices("sector"))
    stage = django_filters.ChoiceFilter(choices=lazy_choices("stage"))
    material = django_filters.ChoiceFilter(choices=lazy_choices("material"))
    partnership_type = django_filters.ChoiceFilter(choices=lazy_choices("partnership_type"))
    status = django_filters.ChoiceFilter(choices=CompanyStatus.choices, label="Admins only: profiles in this status.")

    class Meta:
        model = Company
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Company]) -> QuerySet[Company]:
        # One search for pages and API: the filters are handed to the directory selector as a whole.
        data = self.form.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return company_directory(
            query=data.get("q") or "",
            side=data.get("side") or "",
            country=data.get("country") or "",
            sector=data.get("sector") or "",
            stage=data.get("stage") or "",
            material=data.get("material") or "",
            partnership_type=data.get("partnership_type") or "",
            queryset=queryset,
        )
