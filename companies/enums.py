from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TextLanguage(models.TextChoices):
    EN = "en", _("English")
    JA = "ja", _("Japanese")
    EN_JA = "en_ja", _("English and Japanese")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IMPORTED = "imported", _("Imported")
    PROPOSED = "proposed", _("Changes proposed for review")
    ACCEPTED = "accepted", _("Proposed changes approved")
    DECLINED = "declined", _("Proposed changes rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the firm")


class RevisionStatus(models.TextChoices):
    """A proposed change to an approved profile (companies.moderation)."""

    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
