"""Page numbers as the schema documents them: a positive integer in ASCII digits, or "last".

DRF's PageNumberPagination passes the raw value to int(), which also takes " 1", "+1", "01" and
full-width digits ("１"); the schema could not say so truthfully, so anything else is a 404.
"""

import re

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

PAGE_PATTERN = r"^([1-9][0-9]*|last)$"


class StrictPageNumberPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and not re.fullmatch(PAGE_PATTERN, page):
            raise NotFound(self.invalid_page_message.format(page_number=page, message="not a page number"))
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "string", "pattern": PAGE_PATTERN, "example": "1"}
        return parameters
