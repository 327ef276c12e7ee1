from django.db import models
from django.utils.translation import gettext_lazy as _

# One lifecycle for every run (events.models.RunLifecycle); re-exported for matchmaking's callers.
from events.enums import ACTIVE_RUN_STATUSES as ACTIVE_RUN_STATUSES
from events.enums import RunStatus as RunStatus


class RunSource(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    COMMAND = "command", _("Command line")
    SCHEDULE = "schedule", _("Nightly schedule")
    IMPORT = "import", _("Company import")


class SuggestionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FirmResponse(models.TextChoices):
    NONE = "none", _("No answer yet")
    INTERESTED = "interested", _("Interested")
    NOT_INTERESTED = "not_interested", _("Not interested")


class DecisionAction(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    INTERESTED = "interested", _("Interested")
    NOT_INTERESTED = "not_interested", _("Not interested")
    MEETING_REQUESTED = "meeting_requested", _("Meeting request created")
    MEETING_ARRANGED = "meeting_arranged", _("Meeting arranged")
    REFERRED = "referred", _("Left to the organisers")


class ScorePart(models.TextChoices):
    """The parts of a score, as matchmaking.engine.PARTS names them (a test keeps both equal)."""

    COMPLEMENTARITY = "complementarity", _("What each seeks and the other offers")
    TOPIC = "topic", _("Similar activities")
    TERMS = "terms", _("Distinctive words in common")
    CONCEPTS = "concepts", _("Subjects in common")
    SECTOR = "sector", _("Shared sector")
    VALUE_CHAIN = "value_chain", _("Adjacent value-chain stages")
    PARTNERSHIP = "partnership", _("Compatible partnership types")
    SUPPLY_SECURITY = "supply_security", _("Supply security")
    EMBEDDING = "embedding", _("Closeness in meaning")


class FitLevel(models.TextChoices):
    """A score part in words, for firms (selectors.part_fit says which; admins see the numbers)."""

    STRONG = "strong", _("Strong fit")
    GOOD = "good", _("Good fit")
    SOME = "some", _("Some fit")
    WEAK = "weak", _("Weak fit")
