"""One validation of profile data for the forms, the API and the import.

`profile_clean(data)` takes a dict of raw values (as a form, a JSON body or an import row gives
them) and returns cleaned values, or raises django's ValidationError with a message per field,
so each caller shows field-level reasons the same way. Messages are translated when they are
made (the request's language); a message about the n-th row of a list starts with "#n: ", which
companies.forms reads to show it beside that row.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from companies import limits
from companies import vocabulary as vocab
from companies.enums import TextLanguage
from companies.labels import country_name, label
from companies.tabular import close_matches, header_aliases
from config.text_input import name_refusal, text_refusal

NAME_FIELDS = ("name", "name_ja")
TEXT_FIELDS = ("name", "name_ja", "region", "city", "description", "offer", "seek", "keywords")
LIST_FIELDS = {
    "sectors": vocab.SECTORS,
    "stages": vocab.STAGES,
    "partnership_types": vocab.PARTNERSHIP_TYPES,
    "materials": vocab.MATERIALS,
    "languages": vocab.LANGUAGES,
}
MAX_LENGTHS = limits.COMPANY
CONTACT_MAX_LENGTHS = limits.CONTACT
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def detect_text_language(*texts: str) -> str:
    """'ja', 'en' or 'en_ja' from the characters used (Japanese has no spaces, so look at scripts)."""
    joined = " ".join(t for t in texts if t)
    has_ja = bool(_JAPANESE.search(joined))
    has_latin = len(_LATIN_WORD.findall(_JAPANESE.sub(" ", joined))) >= 3
    if has_ja and has_latin:
        return TextLanguage.EN_JA
    return TextLanguage.JA if has_ja else TextLanguage.EN


def _as_list(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [item.strip() for item in re.split(r"[|;,]", value) if item.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    raise TypeError


def _clean_list(field: str, value: Any, errors: dict) -> list[str]:
    try:
        items = _as_list(value)
    except TypeError:
        errors[field] = [_("Expected a list of codes.")]
        return []
    if not all(isinstance(item, str) for item in items):
        errors[field] = [_("Expected a list of codes.")]
        return []
    allowed = LIST_FIELDS[field]
    unknown = [str(item) for item in items if item not in allowed]
    if unknown:
        message = _("Unknown value(s): %(codes)s. See docs/vocabulary.md for the codes.") % {
            "codes": ", ".join(unknown)
        }
        errors[field] = [_sentences(message, *_did_you_mean(unknown, allowed))]
    return sorted(dict.fromkeys(str(i) for i in items if i in allowed))


def _did_you_mean(values: list[str], vocabulary: dict[str, tuple[str, str]]) -> list[str]:
    """ "Did you mean …?" for values close to a code or to its English or Japanese label (a spreadsheet's words)."""
    choices = vocabulary_choices(vocabulary)
    hints = [
        _("Did you mean “%(code)s” for “%(value)s”?") % {"code": code, "value": value}
        for value in values
        if (code := next(iter(close_matches(value, choices, n=1)), None))
    ]
    return hints


def _sentences(*sentences: str) -> str:
    # Japanese sentences follow one another without a space ("…。「…」"), English ones with one.
    text = ""
    for sentence in sentences:
        text += sentence if not text or text.endswith(("。", "？")) else " " + sentence
    return text


def vocabulary_choices(vocabulary: dict[str, tuple[str, str]]) -> dict[str, str]:
    """{header_key(code or label): code} for close_matches, codes first."""
    return header_aliases(vocabulary)


def _clean_scalars(data: dict, errors: dict) -> dict:
    cleaned: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        value = data.get(field) or ""
        if not isinstance(value, str):
            errors[field] = [_("Expected text.")]
            continue
        value = value.strip()
        refusal = name_refusal(value) if field in NAME_FIELDS else text_refusal(value)
        if refusal:
            errors[field] = [refusal]
        elif field in MAX_LENGTHS and len(value) > MAX_LENGTHS[field]:
            errors[field] = [_at_most(MAX_LENGTHS[field], len(value))]
        cleaned[field] = value
    if not cleaned.get("name") and "name" not in errors:
        errors["name"] = [_("This field is required.")]
    country = str(data.get("country") or "").strip().upper()
    if not country:
        errors["country"] = [_("This field is required.")]
    elif country not in vocab.MEMBER_COUNTRIES:
        message = _("'%(code)s' is not an EU member state or Japan (ISO 3166 alpha-2).") % {"code": country}
        errors["country"] = [
            _sentences(message, *_did_you_mean([str(data.get("country")).strip()], vocab.MEMBER_COUNTRIES))
        ]
    cleaned["country"] = country
    cleaned["website"] = _clean_website(data.get("website"), errors)
    cleaned["size_band"] = str(data.get("size_band") or "").strip()
    if cleaned["size_band"] and cleaned["size_band"] not in vocab.SIZE_BANDS:
        message = _("Unknown size band; use one of %(codes)s.") % {"codes": ", ".join(vocab.SIZE_BANDS)}
        errors["size_band"] = [_sentences(message, *_did_you_mean([cleaned["size_band"]], vocab.SIZE_BANDS))]
    cleaned["year_founded"] = _clean_year(data.get("year_founded"), errors)
    ref = data.get("ref")
    cleaned["ref"] = str(ref).strip() or None if ref not in (None, "") else None
    if cleaned["ref"] and len(cleaned["ref"]) > MAX_LENGTHS["ref"]:
        errors["ref"] = [_at_most(MAX_LENGTHS["ref"], len(cleaned["ref"]))]
    return cleaned


def _at_most(limit: int, length: int) -> str:
    return _("At most %(limit)d characters; this text has %(length)d.") % {"limit": limit, "length": length}


def _clean_website(value: Any, errors: dict) -> str:
    website = str(value or "").strip()
    if len(website) > MAX_LENGTHS["website"]:
        errors["website"] = [_at_most(MAX_LENGTHS["website"], len(website))]
    elif website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors["website"] = [_("Enter a valid http(s) URL.")]
    return website


def _clean_year(value: Any, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors["year_founded"] = [_("Enter a whole year, e.g. 1998.")]
        return None
    if not 1600 <= year <= 2100:
        errors["year_founded"] = [_("Enter a year between 1600 and 2100.")]
    return year


def _row(index: int, message: str) -> str:
    """A message about the index-th row (1-based): the "#n: " prefix is not translated."""
    return f"#{index}: {message}"


def _clean_dependencies(value: Any, errors: dict) -> list[dict]:
    if value in (None, ""):
        return []
    if isinstance(value, str):  # CSV form: "graphite:CN:80|nickel:ID:45"
        value = [dict(zip(("material", "source_country", "share_percent"), part.split(":"), strict=False))
                 for part in value.split("|") if part.strip()]  # fmt: skip
    if not isinstance(value, list):
        errors["dependencies"] = [_("Expected a list of {material, source_country, share_percent}.")]
        return []
    cleaned, problems, seen = [], [], set()
    for index, item in enumerate(value, start=1):
        row = item if isinstance(item, dict) else {}
        material = str(row.get("material") or "").strip()
        country = str(row.get("source_country") or "").strip().upper()
        try:
            share = int(row["share_percent"])
        except (KeyError, TypeError, ValueError):
            share = -1
        if material not in vocab.MATERIALS:
            problems.append(_row(index, _("unknown material '%(material)s'.") % {"material": material}))
        elif country not in vocab.ISO_COUNTRY_CODES:
            problems.append(_row(index, _("'%(code)s' is not an ISO 3166 country code.") % {"code": country}))
        elif not 0 <= share <= 100:
            problems.append(_row(index, _("share must be a whole percentage from 0 to 100.")))
        elif (material, country) in seen:
            names = {"material": label("material", material), "country": country_name(country)}
            twice = _("%(material)s from %(country)s is listed twice.") % names
            problems.append(_row(index, twice))
        else:
            seen.add((material, country))
            cleaned.append({"material": material, "source_country": country, "share_percent": share})
    if problems:
        errors["dependencies"] = problems
    return cleaned


def _clean_contacts(value: Any, errors: dict) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors["contacts"] = [_("Expected a list of {name, role, email, phone}.")]
        return []
    cleaned, problems = [], []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            problems.append(_row(index, _("expected an object with name, role, email, phone.")))
            continue
        row = {k: str(item.get(k) or "").strip() for k in CONTACT_MAX_LENGTHS}
        too_long = [k for k, limit in CONTACT_MAX_LENGTHS.items() if len(row[k]) > limit]
        if too_long:
            problems.append(_row(index, _("%(fields)s too long.") % {"fields": ", ".join(too_long)}))
            continue
        if not row["name"]:
            problems.append(_row(index, _("a name is required.")))
            continue
        refusal = name_refusal(row["name"]) or next(filter(None, map(text_refusal, row.values())), None)
        if refusal:
            problems.append(_row(index, refusal))
            continue
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                invalid = _("'%(email)s' is not a valid e-mail address.") % {"email": row["email"]}
                problems.append(_row(index, invalid))
                continue
        cleaned.append(row)
    if problems:
        errors["contacts"] = problems
    return cleaned


def _check_stages_match_sectors(cleaned: dict, errors: dict) -> None:
    stray = [s for s in cleaned["stages"] if vocab.sector_of_stage(s) not in cleaned["sectors"]]
    if stray and "stages" not in errors and "sectors" not in errors:
        # Named by their labels ("Bio-based materials"), as the form shows them, not by their codes.
        names = ", ".join(label("stage", stage) for stage in stray)
        errors["stages"] = [_("Stage(s) %(stages)s belong to a sector that is not chosen.") % {"stages": names}]


def profile_clean(data: dict, *, partial: bool = False, current: dict | None = None) -> dict:
    """Clean a whole profile. With `partial`, missing keys keep the values of `current`."""
    if partial and current is not None:
        data = {**current, **data}
    errors: dict[str, list[str]] = {}
    cleaned = _clean_scalars(data, errors)
    for field in LIST_FIELDS:
        cleaned[field] = _clean_list(field, data.get(field), errors)
    _check_stages_match_sectors(cleaned, errors)
    if not cleaned["sectors"] and "sectors" not in errors:
        errors["sectors"] = [_("Choose at least one sector.")]
    cleaned["dependencies"] = _clean_dependencies(data.get("dependencies"), errors)
    cleaned["contacts"] = _clean_contacts(data.get("contacts"), errors)
    language = data.get("text_language") or detect_text_language(
        cleaned["description"], cleaned["offer"], cleaned["seek"], cleaned["keywords"]
    )
    if language not in TextLanguage.values:
        errors["text_language"] = [_("Use one of %(codes)s.") % {"codes": ", ".join(TextLanguage.values)}]
    cleaned["text_language"] = str(language)
    if errors:
        raise ValidationError(errors)
    return cleaned
