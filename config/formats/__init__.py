"""Date formats per language (settings.FORMAT_MODULE_PATH), beside Django's own for en and ja.

The names are ours: use them as `{{ value|date:"DAY_FORMAT" }}` or
`django.utils.formats.date_format(value, "DAY_FORMAT")`. Each language module defines all of them.
"""
