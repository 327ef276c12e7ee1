"""Profile fields and values as a person reads them: labels, not codes.

The history of a profile ({field: [old, new]}) and the import preview (field by field, old -> new)
both show changes through `field_label` and `value_text`, in the active language.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from companies.enums import CompanyStatus, TextLanguage
from companies.import_plan import FieldChange
from companies.labels import country_name, label
from companies.models import Company

# The vocabulary kind of each field that holds codes (companies.labels.VOCABULARIES).
CODE_KINDS = {
    "country": "country", "size_band": "size_band", "sectors": "sector", "stages": "stage",
    "partnership_types": "partnership_type", "materials": "material", "languages": "language",
}  # fmt: skip
_CHOICES = {"text_language": TextLanguage, "status": CompanyStatus}
EMPTY = "—"


def field_label(name: str) -> str:
    """The label of a profile field, as the profile form names it."""
    extra = {"dependencies": _("supply dependencies"), "contacts": _("contact persons"), "ref": _("external reference")}
    if name in extra:
        return extra[name]
    try:
        return str(Company._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001  # an old history entry may name a field that is gone
        return name


def value_text(name: str, value: Any) -> str:
    """A stored value as text: vocabulary codes as their labels, lists joined with "; "."""
    if value in (None, "", []):
        return EMPTY
    if name in CODE_KINDS:
        codes = value if isinstance(value, list) else [value]
        return "; ".join(label(CODE_KINDS[name], str(code)) for code in codes)
    if name in _CHOICES:
        choices = _CHOICES[name]
        return str(choices(value).label) if value in choices.values else str(value)
    if name == "dependencies":
        return "; ".join(_dependency_text(item) for item in value)
    if name == "contacts":
        return "; ".join(_contact_text(item) for item in value)
    return str(value)


def _dependency_text(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    values = {
        "material": label("material", str(item.get("material"))),
        "country": country_name(str(item.get("source_country"))),
        "share": item.get("share_percent"),
    }
    return _("%(material)s from %(country)s, %(share)s%%") % values


def _contact_text(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    return ", ".join(str(item[key]) for key in ("name", "role", "email", "phone") if item.get(key))


def change_rows(changes: dict[str, list]) -> list[tuple[str, str, str]]:
    """[(field label, old, new)] of a history entry, sorted by label."""
    rows = [(field_label(name), value_text(name, pair[0]), value_text(name, pair[1])) for name, pair in changes.items()]
    return sorted(rows, key=lambda row: row[0])


def planned_change_rows(changes: Iterable[FieldChange]) -> list[tuple[str, str, str]]:
    """[(field label, old, new)] of one row of an import plan, in the order of the file's fields."""
    return [(field_label(c.field), value_text(c.field, c.old), value_text(c.field, c.new)) for c in changes]
