"""Forms of the matching pages: start a run, filter and review suggestions, a firm's answer."""

from typing import Any

from django import forms
from django.conf import settings as django_settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from companies.labels import choices, label
from events.models import Mission
from matchmaking.enums import FirmResponse, SuggestionStatus
from matchmaking.models import Suggestion
from matchmaking.selectors import missions_for_matching


def sector_choices() -> list[tuple[str, str]]:
    """Called each time the select renders, so the labels are in the request's language."""
    return [("", _("any")), *choices("sector")]


class RunStartForm(forms.Form):
    """Empty mission: every approved company (admins only). Empty numbers: the engine's defaults."""

    mission = forms.ModelChoiceField(
        label=_("Mission"), queryset=Mission.objects.none(), required=False,
        empty_label=_("All approved companies"),
    )  # fmt: skip
    top_k = forms.IntegerField(
        label=_("Partners per firm"), required=False, min_value=1, max_value=100, help_text=_("Default: 10.")
    )
    min_score = forms.FloatField(
        label=_("Lowest score kept"), required=False, min_value=0, max_value=100, help_text=_("0 to 100; default 20.")
    )

    embedding_weight = forms.FloatField(
        label=_("Weight of closeness in meaning"), required=False, min_value=0, max_value=1,
        help_text=_("Sentence embeddings; 0 to 1, 0 turns them off."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._describe_embeddings()
        self.fields["mission"].queryset = missions_for_matching(user)
        if not user.is_staff:
            self.fields["mission"].required = True
            self.fields["mission"].empty_label = None

    def _describe_embeddings(self) -> None:
        """The deployment's model and default weight in the help text; no model: the field is off."""
        field = self.fields["embedding_weight"]
        if not django_settings.MATCH_EMBEDDINGS_MODEL:
            field.disabled = True
            field.help_text = _("No embedding model is configured on this server (MATCH_EMBEDDINGS_MODEL).")
            return
        field.help_text = _("Sentence embeddings of model %(model)s; 0 to 1, 0 turns them off; default %(weight)s.") % {
            "model": django_settings.MATCH_EMBEDDINGS_MODEL, "weight": django_settings.MATCH_EMBEDDINGS_WEIGHT,
        }  # fmt: skip

    def clean_mission(self) -> Mission | None:
        mission = self.cleaned_data.get("mission")
        if mission is None and not self.user.is_staff:
            raise forms.ValidationError(_("Choose one of your missions."))
        return mission


class ReviewFilterForm(forms.Form):
    ORDERINGS = [
        ("-score", _("Best score first")), ("score", _("Lowest score first")), ("eu", _("EU firm")),
        ("jp", _("JP firm")), ("updated", _("Recently updated")),
    ]  # fmt: skip

    mission = forms.ModelChoiceField(
        label=_("Mission"), queryset=Mission.objects.order_by("-created_at"), required=False, empty_label=_("any")
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("any")), *SuggestionStatus.choices], required=False)
    eu_sector = forms.ChoiceField(label=_("EU sector"), choices=sector_choices, required=False)
    jp_sector = forms.ChoiceField(label=_("JP sector"), choices=sector_choices, required=False)
    score_min = forms.FloatField(label=_("Score from"), required=False, min_value=0, max_value=100)
    score_max = forms.FloatField(label=_("Score to"), required=False, min_value=0, max_value=100)
    ordering = forms.ChoiceField(label=_("Sort"), choices=ORDERINGS, required=False)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.suggestion_review_queue (defaults when the form is invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "mission": data.get("mission"),
            "status": data.get("status") or "",
            "eu_sector": data.get("eu_sector") or "",
            "jp_sector": data.get("jp_sector") or "",
            "score_min": data.get("score_min"),
            "score_max": data.get("score_max"),
            "ordering": data.get("ordering") or "-score",
        }


class ReviewActionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    NOTE_MAX = 2000

    suggestions = forms.ModelMultipleChoiceField(
        queryset=Suggestion.objects.all(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one suggestion."),
                        "invalid_choice": _("A selected suggestion no longer exists.")},
    )  # fmt: skip
    action = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    note = forms.CharField(
        label=_("Review note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For admins; the firms do not see it. Applies to the decisions you take on this page."),
    )  # fmt: skip


class RespondForm(forms.Form):
    INTERESTED, NOT_INTERESTED = "interested", "not_interested"

    response = forms.ChoiceField(
        choices=[(INTERESTED, _("Interested")), (NOT_INTERESTED, _("Not interested"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the Kizuna admins read this, never the other firm."),
    )  # fmt: skip


class ConvertForm(forms.Form):
    """The organiser's choice for the bulk conversion of a mission's suggestions (the preview's
    query string, and on "Convert" the previewed plan's fingerprint)."""

    source = forms.ChoiceField(
        label=_("Suggestions to convert"),
        choices=[
            ("both", _("Approved suggestions above the score, and mutual interest")),
            ("approved", _("Approved suggestions above the score")),
            ("mutual", _("Mutual interest only (both firms said “Interested”)")),
        ],
    )
    min_score = forms.FloatField(label=_("Lowest score"), min_value=0, max_value=100, initial=0)
    target = forms.ChoiceField(
        label=_("Into"),
        choices=[
            ("requests", _("Meeting requests from the keener firm, for the other to answer")),
            ("meetings", _("Must-meet meetings, arranged by the organisers")),
        ],
    )
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput, required=False)

    def clean_fingerprint(self) -> str:
        return self.cleaned_data.get("fingerprint", "").strip()


class PartnerFilterForm(forms.Form):
    """Filters and sort of a firm's partner cards; the choices are the values its cards have
    (card_selectors.CardOptions), so every choice finds at least one card."""

    ORDERINGS = [("score", _("Best match first")), ("name", _("Name")), ("country", _("Country"))]
    INTERESTS = [("", _("any")), *FirmResponse.choices]

    mission = forms.TypedChoiceField(label=_("Mission"), required=False, coerce=int, empty_value=None)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    interest = forms.ChoiceField(label=_("Your answer"), required=False, choices=INTERESTS)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=ORDERINGS)

    def __init__(self, *args: Any, options: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = ("", _("any"))
        self.fields["mission"].choices = [
            any_,
            *((pk, title or _("All approved companies")) for pk, title in options.missions),
        ]
        self.fields["sector"].choices = [any_, *((code, label("sector", code)) for code in options.sectors)]
        countries = sorted(((code, label("country", code)) for code in options.countries), key=lambda c: c[1])
        self.fields["country"].choices = [any_, *countries]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for card_selectors.cards_filtered, and the ordering; the defaults
        (everything, best first) when the query string is not one the form accepts."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "mission": data.get("mission"),
            "sector": data.get("sector") or "",
            "country": data.get("country") or "",
            "interest": data.get("interest") or "",
        }

    def ordering(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or "score"

    @property
    def is_filtered(self) -> bool:
        return any(value not in (None, "") for value in self.filters().values())
