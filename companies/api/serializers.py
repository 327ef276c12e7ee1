"""Input and output shapes of the companies API.

Input serializers check JSON types only; the profile itself is validated by
companies.validation.profile_clean, as in the forms and the import, so every caller gets the
same field-level reasons.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies import limits
from companies.change_display import field_label, value_text
from companies.import_files import ENCODING_CHOICES
from companies.validation import profile_clean


class DependencySerializer(serializers.Serializer):
    material = serializers.CharField(help_text="A material code, see /api/v1/vocabulary/.")
    source_country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code of the source country.")
    share_percent = serializers.IntegerField(help_text="Approximate share of the supply, 0-100.")


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=limits.CONTACT["name"])
    role = serializers.CharField(required=False, allow_blank=True, max_length=limits.CONTACT["role"])
    email = serializers.CharField(required=False, allow_blank=True, max_length=limits.CONTACT["email"])
    phone = serializers.CharField(required=False, allow_blank=True, max_length=limits.CONTACT["phone"])


def _text(name: str, **kwargs: Any) -> serializers.CharField:
    """An optional text with its limit from companies.limits (maxLength in the schema)."""
    return serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=limits.COMPANY[name], **kwargs
    )


def _codes(help_text: str, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), help_text=help_text, **kwargs)


class CompanyInputSerializer(serializers.Serializer):
    """A profile as a member writes it. `ref` is set by imports only; status changes have their own endpoints."""

    name = serializers.CharField(allow_blank=True, max_length=limits.COMPANY["name"])
    name_ja = _text("name_ja")
    country = serializers.CharField(allow_blank=True, help_text="EU member state or JP (ISO 3166-1 alpha-2).")
    region = _text("region")
    city = _text("city")
    website = _text("website")
    size_band = serializers.CharField(required=False, allow_blank=True, help_text="micro, small, medium or large.")
    year_founded = serializers.IntegerField(required=False, allow_null=True)
    sectors = _codes("Sector codes; at least one.")
    stages = _codes("Value-chain stage codes of the chosen sectors.", required=False)
    partnership_types = _codes("Partnership type codes.", required=False)
    materials = _codes("Critical raw material codes.", required=False)
    languages = _codes("Language codes (ISO 639-1).", required=False)
    description = _text("description")
    offer = _text("offer")
    seek = _text("seek")
    keywords = _text("keywords")
    text_language = serializers.CharField(
        required=False, allow_blank=True, help_text="en, ja or en_ja; detected from the texts when left out."
    )
    dependencies = DependencySerializer(many=True, required=False)
    contacts = ContactSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.context.get("current") if self.partial else None
        try:
            cleaned = profile_clean(attrs, partial=self.partial, current=current)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        cleaned.pop("ref")
        return cleaned


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="Why the profile is rejected; the firm reads it.", max_length=limits.COMPANY["rejection_reason"]
    )


class CompanyListOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    name_ja = serializers.CharField()
    country = serializers.CharField()
    side = serializers.CharField(help_text="EU or JP.")
    region = serializers.CharField()
    city = serializers.CharField()
    website = serializers.CharField()
    size_band = serializers.CharField()
    year_founded = serializers.IntegerField(allow_null=True)
    sectors = serializers.ListField(child=serializers.CharField())
    stages = serializers.ListField(child=serializers.CharField())
    partnership_types = serializers.ListField(child=serializers.CharField())
    materials = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    offer = serializers.CharField()
    seek = serializers.CharField()
    keywords = serializers.CharField()
    text_language = serializers.CharField()
    dependencies = DependencySerializer(many=True)
    status = serializers.CharField()
    rejection_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CompanyOutputSerializer(CompanyListOutputSerializer):
    """One profile. `contacts` is null unless the reader may see them (selectors.contacts_visible_to)."""

    contacts = serializers.SerializerMethodField()

    @extend_schema_field(ContactSerializer(many=True, allow_null=True))
    def get_contacts(self, company: Any) -> list[dict[str, str]] | None:
        if not self.context.get("show_contacts"):
            return None
        return ContactSerializer(company.contacts.all(), many=True).data


class TermSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class BilingualTermSerializer(TermSerializer):
    label_ja = serializers.CharField()


class StageTermSerializer(BilingualTermSerializer):
    sector = serializers.CharField()


class CountryTermSerializer(BilingualTermSerializer):
    side = serializers.CharField()


class VocabularyOutputSerializer(serializers.Serializer):
    countries = CountryTermSerializer(many=True, help_text="Where a member firm may be based.")
    source_countries = serializers.ListField(child=serializers.CharField(), help_text="ISO codes for dependencies.")
    sectors = BilingualTermSerializer(many=True)
    stages = StageTermSerializer(many=True)
    partnership_types = BilingualTermSerializer(many=True)
    materials = BilingualTermSerializer(many=True)
    size_bands = BilingualTermSerializer(many=True)
    languages = BilingualTermSerializer(many=True)
    text_languages = TermSerializer(many=True)
    statuses = TermSerializer(many=True)


class DeleteInputSerializer(serializers.Serializer):
    # Not required here: the service says who may delete (403) before it reads the confirmation (400).
    confirm_name = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="The company's name, exactly: confirms the deletion.",
    )  # fmt: skip


# Import: preview, then confirm -------------------------------------------------------------------


class CompanyImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="A .csv, .xlsx or .json file (docs/import-format.md).")
    encoding = serializers.ChoiceField(
        choices=[code for code, _label in ENCODING_CHOICES if code], required=False,
        help_text="The encoding of a CSV file; detected (UTF-8, Shift-JIS or Windows-1252) when left out.",
    )  # fmt: skip
    approve = serializers.BooleanField(required=False, default=False, help_text="Mark the imported profiles approved.")
    fingerprint = serializers.CharField(
        required=False, allow_blank=True, max_length=64,
        help_text="Left out: preview only, nothing is written. The `fingerprint` of a preview: write exactly "
        "that plan, or answer 409 if the file or the stored companies changed since.",
    )  # fmt: skip
    confirm_committed = serializers.BooleanField(
        required=False, default=False,
        help_text="Confirm updating the companies the preview lists in `committed` (they have meetings).",
    )  # fmt: skip


class FieldChangeOutput(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.SerializerMethodField()
    old = serializers.JSONField()
    new = serializers.JSONField()
    old_text = serializers.SerializerMethodField(help_text="The old value as a person reads it (labels).")
    new_text = serializers.SerializerMethodField()

    def get_label(self, change: Any) -> str:
        return field_label(change.field)

    def get_old_text(self, change: Any) -> str:
        return value_text(change.field, change.old)

    def get_new_text(self, change: Any) -> str:
        return value_text(change.field, change.new)


class PlannedRowOutput(serializers.Serializer):
    row = serializers.IntegerField()
    ref = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    committed = serializers.BooleanField(help_text="The company has confirmed meetings or accepted requests.")
    changes = FieldChangeOutput(many=True)


class ImportErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="0 for the whole file.")
    field = serializers.CharField()
    reason = serializers.CharField()


class CompanyImportPlanOutput(serializers.Serializer):
    fingerprint = serializers.CharField(help_text="Send it back with the same file to write this plan.")
    created = PlannedRowOutput(many=True)
    updated = PlannedRowOutput(many=True)
    unchanged = PlannedRowOutput(many=True)
    committed = PlannedRowOutput(many=True, help_text="Updates that need `confirm_committed`.")
    errors = ImportErrorOutput(many=True)


class CompanyImportResultOutput(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
