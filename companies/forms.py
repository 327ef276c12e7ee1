"""Forms of the company pages.

The profile form does not validate the vocabulary itself: it gathers the raw values (including
the repeated rows of supply dependencies and contacts) and hands them to
companies.validation.profile_clean, so a page, the API and the import give the same messages.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies import limits
from companies.enums import TextLanguage
from companies.labels import choices, country_choices, stage_choices
from companies.selectors import CONTACT_READERS, company_moderation_queue, company_profile_data
from companies.validation import profile_clean

DEPENDENCY_KEYS = ("material", "source_country", "share_percent")
CONTACT_KEYS = ("name", "role", "email", "phone")
_ROW_MESSAGE = re.compile(r"^#(\d+): (.*)$", re.DOTALL)


class LenientChoiceField(forms.ChoiceField):
    """A select whose value profile_clean checks (so the message is the shared one)."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """A checkbox group whose codes profile_clean checks."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


def limit_attrs(fields: dict[str, forms.Field], table: dict[str, int]) -> None:
    """The limits of companies.limits on the widgets: a count while typing (static/js/char-count.js)
    and, without JavaScript, the limit in the help text. One-line inputs also stop at the limit;
    text areas do not (a pasted text would be cut unseen), profile_clean refuses what is over."""
    for name, field in fields.items():
        if name not in table:
            continue
        limit = table[name]
        field.widget.attrs["data-char-limit"] = limit
        if not isinstance(field.widget, forms.Textarea):
            field.widget.attrs["maxlength"] = limit
        elif not field.help_text:
            field.help_text = _("At most %(limit)d characters.") % {"limit": limit}


# How the help text names each reader of companies.selectors.CONTACT_READERS.
CONTACT_READER_LABELS = {
    "members": _("your colleagues"),
    "admins": _("the Kizuna admins"),
    "organisers": _("the organisers of the missions your company joins"),
    "meeting_partners": _("firms that have a confirmed meeting with yours"),
}


def contacts_help_text() -> str:
    """Who sees the contact persons, in the order and words of the rule (selectors.CONTACT_READERS)."""
    readers = gettext(", ").join(str(CONTACT_READER_LABELS[reader]) for reader in CONTACT_READERS)
    return gettext("Private: seen only by %(readers)s.") % {"readers": readers}


def _checks() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "check"})


class DependencyRowForm(forms.Form):
    material = LenientChoiceField(label=_("Material"), required=False)
    source_country = LenientChoiceField(label=_("Source country"), required=False)
    share_percent = forms.CharField(
        label=_("Share (%)"), required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 100})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].choices = [("", "---------"), *choices("material")]
        self.fields["source_country"].choices = [("", "---------"), *country_choices()]


class ContactRowForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False)
    role = forms.CharField(label=_("Role"), required=False)
    email = forms.CharField(label=_("E-mail"), required=False, widget=forms.EmailInput)
    phone = forms.CharField(label=_("Phone"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_attrs(self.fields, limits.CONTACT)


class RowFormSet(forms.BaseFormSet):
    """Rows shown as table cells under column headers, without a <label> each: every input is named
    for screen readers ("Material, row 1"), the remove box included."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if index is None:  # the formset's empty template row
            return
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = _("%(field)s, row %(n)d") % {"field": field.label, "n": index + 1}


DependencyFormSet = forms.formset_factory(DependencyRowForm, formset=RowFormSet, extra=2, can_delete=True)
ContactFormSet = forms.formset_factory(ContactRowForm, formset=RowFormSet, extra=1, can_delete=True)


class ProfileForm(forms.Form):
    """A whole profile with its dependency and contact rows; `cleaned_data` is profile_clean's output."""

    @property
    def contacts_help(self) -> str:
        return contacts_help_text()

    name = forms.CharField(label=_("Company name"), required=False)
    name_ja = forms.CharField(label=_("Company name in Japanese"), required=False)
    country = LenientChoiceField(label=_("Country"), required=False)
    region = forms.CharField(label=_("Region or prefecture"), required=False)
    city = forms.CharField(label=_("City"), required=False)
    website = forms.CharField(label=_("Website"), required=False, widget=forms.URLInput)
    size_band = LenientChoiceField(label=_("Size"), required=False)
    year_founded = forms.CharField(label=_("Year founded"), required=False, widget=forms.NumberInput)
    sectors = LenientMultipleChoiceField(label=_("Sectors"), required=False, widget=_checks())
    stages = LenientMultipleChoiceField(
        label=_("Value-chain stages"), required=False, widget=_checks(),
        help_text=_("Only stages of the sectors chosen above."),
    )  # fmt: skip
    partnership_types = LenientMultipleChoiceField(label=_("Partnerships sought"), required=False, widget=_checks())
    materials = LenientMultipleChoiceField(label=_("Critical raw materials handled"), required=False, widget=_checks())
    languages = LenientMultipleChoiceField(label=_("Languages spoken"), required=False, widget=_checks())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    offer = forms.CharField(label=_("What we offer"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    seek = forms.CharField(label=_("What we seek"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    keywords = forms.CharField(label=_("Keywords"), required=False, help_text=_("Separated by commas."))
    text_language = LenientChoiceField(label=_("Language of the texts"), required=False)

    def __init__(self, data: Any = None, *, company: Any = None, proposed: dict | None = None) -> None:
        # `proposed`: values of the pending revision, shown instead of the live ones (companies.moderation).
        self.current = {**company_profile_data(company=company), **(proposed or {})} if company is not None else None
        initial = {k: v for k, v in (self.current or {}).items() if k not in ("dependencies", "contacts")}
        super().__init__(data, initial=initial)
        self.fields["country"].choices = [("", "---------"), *choices("country")]
        self.fields["size_band"].choices = [("", "---------"), *choices("size_band")]
        self.fields["sectors"].choices = choices("sector")
        self.fields["stages"].choices = stage_choices()
        self.fields["partnership_types"].choices = choices("partnership_type")
        self.fields["materials"].choices = choices("material")
        self.fields["languages"].choices = choices("language")
        self.fields["text_language"].choices = [("", _("Detect automatically")), *TextLanguage.choices]
        limit_attrs(self.fields, limits.COMPANY)
        current = self.current or {}
        # Every row is read, also one left as it was (Django skips unchanged extra rows otherwise).
        rows = {"form_kwargs": {"empty_permitted": False}}
        self.dependencies = DependencyFormSet(data, prefix="dep", initial=current.get("dependencies"), **rows)
        self.contacts = ContactFormSet(data, prefix="contact", initial=current.get("contacts"), **rows)

    def clean(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        rows = {"dependencies": self._rows(self.dependencies, DEPENDENCY_KEYS),
                "contacts": self._rows(self.contacts, CONTACT_KEYS)}  # fmt: skip
        for key, (values, _positions) in rows.items():
            if values is not None:
                data[key] = values
        try:
            return profile_clean(data, partial=self.current is not None, current=self.current)
        except ValidationError as error:
            self._attach_errors(error.message_dict, rows)
            return self.cleaned_data

    @staticmethod
    def _rows(formset: forms.BaseFormSet, keys: tuple[str, ...]) -> tuple[list[dict] | None, list[int]]:
        """The filled-in rows not marked for deletion, and their positions in the formset.

        Without the formset's management data (a client that posts only the profile fields) the
        rows are left as they are: None.
        """
        if not formset.is_bound or not formset.management_form.is_valid():
            return None, []
        formset.is_valid()
        values, positions = [], []
        for position, row in enumerate(formset.forms):
            cleaned = getattr(row, "cleaned_data", {})
            if cleaned.get("DELETE"):
                continue
            item = {key: str(cleaned.get(key) or "").strip() for key in keys}
            if any(item.values()):
                values.append(item)
                positions.append(position)
        return values, positions

    def _attach_errors(self, messages: dict[str, list[str]], rows: dict) -> None:
        """Field messages go to their field; "#n: ..." row messages to the n-th filled-in row."""
        formsets = {"dependencies": self.dependencies, "contacts": self.contacts}
        for field, field_messages in messages.items():
            if field in self.fields:
                self.add_error(field, field_messages)
            elif field in formsets:
                self._attach_row_errors(formsets[field], rows[field][1], field_messages)
            else:
                self.add_error(None, field_messages)

    def _attach_row_errors(self, formset: forms.BaseFormSet, positions: list[int], messages: list[str]) -> None:
        for message in messages:
            match = _ROW_MESSAGE.match(message)
            index = int(match[1]) - 1 if match else -1
            if 0 <= index < len(positions):
                formset.forms[positions[index]].add_error(None, match[2])
            else:
                self.add_error(None, message)
        label = _("supply dependencies") if formset is self.dependencies else _("contact persons")
        self.add_error(None, _("Check the rows of %(rows)s marked below.") % {"rows": label})


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters (GET); an invalid value is ignored."""

    q = forms.CharField(label=_("Search"), required=False)
    side = forms.ChoiceField(
        label=_("Side"), required=False, choices=[("", _("EU and Japan")), ("EU", _("EU")), ("JP", _("Japan"))]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    material = forms.ChoiceField(label=_("Material"), required=False)
    partnership_type = forms.ChoiceField(label=_("Partnership"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = ("", _("Any"))
        self.fields["country"].choices = [anything, *choices("country")]
        self.fields["sector"].choices = [anything, *choices("sector")]
        self.fields["stage"].choices = [anything, *stage_choices()]
        self.fields["material"].choices = [anything, *choices("material")]
        self.fields["partnership_type"].choices = [anything, *choices("partnership_type")]

    def filters(self) -> dict[str, str]:
        """The valid filters, as keyword arguments of selectors.company_directory."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned.get(name) or "" for name in self.fields}
        values["query"] = values.pop("q")
        return values


class ModerationForm(forms.Form):
    """Approve or reject one or many submitted profiles at once."""

    APPROVE, REJECT = "approve", "reject"

    companies = forms.ModelMultipleChoiceField(
        label=_("Profiles"), queryset=company_moderation_queue(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one profile."),
                        "invalid_choice": _("A selected profile is no longer waiting for review.")},
    )  # fmt: skip
    action = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    reason = forms.CharField(
        label=_("Reason for rejection"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The firm reads this; say what to change."), max_length=limits.COMPANY["rejection_reason"],
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("action") == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the profiles are rejected; the firm will read it."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"))


class DeleteCompanyForm(forms.Form):
    """Deletion is confirmed by typing the company's name (companies.data_rights.company_erase checks it)."""

    confirm_name = forms.CharField(
        label=_("Type the company's name to confirm"), max_length=200,
        error_messages={"required": _("Type the company's name to confirm.")},
    )  # fmt: skip


class AdminRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.COMPANY["rejection_reason"],
    )  # fmt: skip


class RevisionDecisionForm(forms.Form):
    """An admin's decision on proposed changes; rejecting needs a note (the firm reads it)."""

    APPROVE, REJECT = "approve", "reject"

    action = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    note = forms.CharField(
        label=_("Note to the firm"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: say what to change."),
    )  # fmt: skip

    @property
    def approves(self) -> bool:
        return self.cleaned_data.get("action") == self.APPROVE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("action") == self.REJECT and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the changes are rejected; the firm will read it."))
        return cleaned
