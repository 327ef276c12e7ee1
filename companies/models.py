from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from companies import limits, vocabulary
from companies.enums import ChangeAction, CompanyStatus, MemberRole, RevisionStatus, TextLanguage
from companies.labels import lazy_choices

SUBMITTABLE_STATUSES = frozenset({CompanyStatus.DRAFT, CompanyStatus.REJECTED})
STATUS_TONES: dict[str, str] = {
    CompanyStatus.DRAFT: "muted",
    CompanyStatus.SUBMITTED: "warn",
    CompanyStatus.APPROVED: "ok",
    CompanyStatus.REJECTED: "danger",
}

# Labels in the language of the request (get_country_display, the admin); sorted by English name.
COUNTRY_CHOICES = sorted(lazy_choices("country"), key=lambda choice: vocabulary.MEMBER_COUNTRIES[choice[0]][0])
SIZE_CHOICES = lazy_choices("size_band")


class Company(models.Model):
    """A firm's profile. Multi-valued vocabulary fields hold lists of codes from companies.vocabulary."""

    ref = models.CharField(
        _("external reference"), max_length=limits.COMPANY["ref"], unique=True, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=limits.COMPANY["name"])
    name_ja = models.CharField(_("name in Japanese"), max_length=limits.COMPANY["name_ja"], blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    region = models.CharField(_("region or prefecture"), max_length=limits.COMPANY["region"], blank=True)
    city = models.CharField(_("city"), max_length=limits.COMPANY["city"], blank=True)
    website = models.URLField(_("website"), max_length=limits.COMPANY["website"], blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SIZE_CHOICES, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    sectors = models.JSONField(_("sectors"), default=list)
    stages = models.JSONField(_("value-chain stages"), default=list)
    partnership_types = models.JSONField(_("partnership types sought"), default=list)
    materials = models.JSONField(_("critical raw materials handled"), default=list)
    languages = models.JSONField(_("languages spoken"), default=list)
    description = models.TextField(_("description"), blank=True)
    offer = models.TextField(_("what we offer"), blank=True)
    seek = models.TextField(_("what we seek"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=limits.COMPANY["keywords"], blank=True)
    text_language = models.CharField(
        _("language of the texts"), max_length=5, choices=TextLanguage.choices, default=TextLanguage.EN
    )
    status = models.CharField(_("status"), max_length=10, choices=CompanyStatus.choices, default=CompanyStatus.DRAFT)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_founded__isnull=True) | Q(year_founded__gte=1600, year_founded__lte=2100),
                name="company_year_founded_range",
            ),
            models.CheckConstraint(condition=Q(status__in=CompanyStatus.values), name="company_status_valid"),
            *[
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(name), limits.COMPANY[name]), name=f"company_{name}_length"
                )
                for name in limits.COMPANY_TEXTS
            ],
        ]
        indexes = [
            models.Index(fields=["status", "country"], name="company_status_country"),
            # The directory lists approved profiles by name: its pages read this index in order
            # instead of sorting every approved row (docs/benchmarks.md, "Pages under load").
            models.Index(
                fields=["name", "id"], condition=Q(status=CompanyStatus.APPROVED), name="company_directory_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def side(self) -> str:
        return vocabulary.side_of(self.country)

    @property
    def is_public(self) -> bool:
        return self.status == CompanyStatus.APPROVED

    @property
    def is_frozen(self) -> bool:
        """Submitted and not yet decided: nobody but an admin may change it (companies.moderation)."""
        return self.status == CompanyStatus.SUBMITTED

    @property
    def is_draft(self) -> bool:
        return self.status == CompanyStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == CompanyStatus.SUBMITTED

    @property
    def is_rejected(self) -> bool:
        return self.status == CompanyStatus.REJECTED

    @property
    def can_submit(self) -> bool:
        """The states companies.services.company_submit accepts."""
        return self.status in SUBMITTABLE_STATUSES

    @property
    def status_tone(self) -> str:
        """The badge tone of the status (docs/interface.md)."""
        return STATUS_TONES[self.status]


# The editable profile fields of Company (besides dependencies and contacts), in one place for the
# services, the import, the admin and the recorded history.
PROFILE_FIELDS = (
    "ref", "name", "name_ja", "country", "region", "city", "website", "size_band", "year_founded",
    "sectors", "stages", "partnership_types", "materials", "languages", "description", "offer", "seek",
    "keywords", "text_language",
)  # fmt: skip


class SupplyDependency(models.Model):
    """A declared dependency: `share_percent` of the company's supply of `material` comes from `source_country`."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="dependencies", verbose_name=_("company")
    )
    material = models.CharField(_("material"), max_length=32)
    source_country = models.CharField(_("source country"), max_length=2)
    share_percent = models.PositiveSmallIntegerField(_("approximate share (%)"))

    class Meta:
        verbose_name = _("supply dependency")
        verbose_name_plural = _("supply dependencies")
        ordering = ["-share_percent", "material"]
        constraints = [
            models.UniqueConstraint(fields=["company", "material", "source_country"], name="dependency_unique"),
            models.CheckConstraint(condition=Q(share_percent__lte=100), name="dependency_share_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.material} {self.share_percent}% from {self.source_country}"


class ContactPerson(models.Model):
    """Private: see companies.selectors.contacts_visible_to for who may read these."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company"))
    name = models.CharField(_("name"), max_length=limits.CONTACT["name"])
    role = models.CharField(_("role"), max_length=limits.CONTACT["role"], blank=True)
    email = models.EmailField(_("e-mail"), max_length=limits.CONTACT["email"], blank=True)
    phone = models.CharField(_("phone"), max_length=limits.CONTACT["phone"], blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A firm member belongs to exactly one company."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("company")
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"


class Invitation(models.Model):
    """An owner invites a colleague by e-mail; the link carries `token`."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(_("token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} -> {self.company}"


class CompanyChange(models.Model):
    """Audit trail of a profile: who did what, when, and which fields changed ({field: [old, new]})."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="changes", verbose_name=_("company"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company change")
        verbose_name_plural = _("company changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} {self.action} {self.at:%Y-%m-%d %H:%M}"


class CompanyRevision(models.Model):
    """Changes a firm proposed to its approved profile; the approved version stays public until an admin
    approves them. `proposed` and `base` hold {field: value} in company_profile_data's shape: the new values
    and the live ones when proposed. At most one revision per company is pending."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("company"))
    proposed = models.JSONField(_("proposed values"), default=dict)
    base = models.JSONField(_("values when proposed"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("proposed by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("profile revision")
        verbose_name_plural = _("profile revisions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(status=RevisionStatus.PENDING), name="revision_one_pending"
            ),
            models.CheckConstraint(condition=Q(status__in=RevisionStatus.values), name="revision_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.company} #{self.pk} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == RevisionStatus.PENDING

    @property
    def status_tone(self) -> str:
        tones: dict[str, str] = {RevisionStatus.PENDING: "warn", RevisionStatus.APPROVED: "ok",
                                 RevisionStatus.REJECTED: "danger"}  # fmt: skip
        return tones.get(self.status, "muted")


class CompanyImportPreview(models.Model):
    """An import file uploaded on a page, kept between its preview and its confirmation.

    Confirming deletes it; previews older than a day are deleted when a new one is stored.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    filename = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    approve = models.BooleanField(_("mark approved"), default=False)
    # Which import: "" a company import, "mission:<id>" a delegation list (companies.import_preview).
    scope = models.CharField(_("scope"), max_length=40, blank=True, default="")
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
