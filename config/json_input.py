"""JSON from outside (API bodies, uploaded files) read so that hostile nesting is a 400, not a 500.

`json.loads` recurses once per level of nesting: about a thousand levels raise RecursionError. We
measure the depth first with a flat scan (strings blanked out by one regex, then the brackets left
counted), so even 100,000 levels cost a few milliseconds and no stack.
"""

import re
from itertools import accumulate
from typing import Any

from rest_framework.utils import json

# Our deepest real documents (a company import, a schedule solution) nest 4 levels.
MAX_DEPTH = 32

# A JSON string: quote, then runs of plain characters and backslash escapes, then quote.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JSONTooDeep(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels.")
        self.limit = limit


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`; brackets inside strings do not count.
    Malformed text (an unclosed string) may count too deep, never too shallow."""
    outside_strings = _STRING.sub('""', text)
    steps = (1 if bracket in "[{" else -1 for bracket in _BRACKET.findall(outside_strings))
    return max(accumulate(steps), default=0)


def json_loads(text: str, *, max_depth: int = MAX_DEPTH, **kwargs: Any) -> Any:
    """`json.loads`, refusing text nested deeper than `max_depth` with JSONTooDeep (a ValueError)."""
    if json_depth(text) > max_depth:
        raise JSONTooDeep(max_depth)
    return json.loads(text, **kwargs)
