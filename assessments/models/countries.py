"""Member states, who answers for them, and what they reported in 2004."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from catalogue.models import Activity, Category, ReferenceRow


class MemberState(ReferenceRow):
    """A United Nations member state, with the other spellings the source documents use."""

    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    m49 = models.CharField("UN M49 code", max_length=3, unique=True)
    name = models.CharField(max_length=120, unique=True)
    region = models.CharField(max_length=40, db_index=True)
    subregion = models.CharField(max_length=60, db_index=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings.")

    class Meta:
        ordering = ["name"]
        verbose_name = "member state"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def regions(cls) -> list[str]:
        """The regions of the member states list, sorted: the heat map's and reports' filter."""
        return sorted(set(cls.objects.values_list("region", flat=True)))


class SynopsisNeed(ReferenceRow):
    """One assistance requirement a country reported to the Counter-Terrorism Committee (2004).

    Kept verbatim, with the spelling of the country the document used. ``activities`` are the
    implementation activities it concerns, mapped by the matching engine or by staff.
    """

    country = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="needs_2004")
    reported_as = models.CharField(max_length=120, help_text="Country name as printed in 2004.")
    position = models.PositiveSmallIntegerField(help_text="Order within the country's list.")
    text = models.TextField()
    class MappedBy(models.TextChoices):
        NOBODY = "", "Not mapped yet"
        ENGINE = "engine", "Matching engine"
        STAFF = "staff", "UNODC staff"

    activities = models.ManyToManyField(Activity, related_name="synopsis_needs", blank=True)
    mapped_by = models.CharField(
        max_length=8,
        choices=MappedBy.choices,
        blank=True,
        help_text="Staff mappings are never replaced by the engine.",
    )
    mapping_reasons = models.TextField(blank=True, help_text="Why the engine chose them.")

    class Meta:
        ordering = ["country__name", "position"]
        verbose_name = "2004 synopsis need"
        constraints = [
            models.UniqueConstraint(
                fields=["country", "position"], name="unique_synopsis_need_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country.iso3} {self.position}: {self.text[:60]}"


class Membership(models.Model):
    """Who answers for which country, and in which role."""

    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", "National focal point"
        CONTRIBUTOR = "contributor", "Contributor"
        READER = "reader", "Reader"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    country = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    ministry = models.CharField(max_length=200, blank=True)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="contributors",
        help_text="For contributors: the categories they may edit.",
    )

    class Meta:
        ordering = ["country__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.country} ({self.get_role_display()})"
