"""The API's page numbers, read strictly: `page` once, as a whole number from 1 (or `last`).

DRF's own pagination takes the first of repeated values, answers a malformed number as a missing
page (404) and lets `page[...]` (a page "object" in deepObject notation) pass as an unknown
parameter, so a client's mistake looks like an empty or a default answer. Here each is a 400
that says what a page is; a page past the end stays a 404.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

MAX_DIGITS = 9


class StrictPageNumberPagination(PageNumberPagination):
    def get_page_number(self, request: Request, paginator: Any) -> Any:
        name = self.page_query_param
        params = request.query_params
        values = params.getlist(name)
        nested = [key for key in params if key.startswith(f"{name}[")]
        if nested or len(values) > 1:
            raise self._invalid()
        if not values:
            return 1
        value = values[0].strip()
        if value in self.last_page_strings:
            return paginator.num_pages
        if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS or int(value) < 1:
            raise self._invalid()
        return int(value)

    def _invalid(self) -> ValidationError:
        return ValidationError(
            {self.page_query_param: [_("A page number is a whole number from 1, given once.")]}
        )
