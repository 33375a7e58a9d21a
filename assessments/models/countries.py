"""Member states, who answers for them, and what they reported in 2004."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import Activity, Category, ReferenceRow


class MemberState(ReferenceRow):
    """A United Nations member state, with the other spellings the source documents use."""

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.CharField(_("region"), max_length=40, db_index=True)
    subregion = models.CharField(_("subregion"), max_length=60, db_index=True)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other spellings.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")

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

    country = models.ForeignKey(
        MemberState, verbose_name=_("country"), on_delete=models.PROTECT, related_name="needs_2004"
    )
    reported_as = models.CharField(
        _("reported as"), max_length=120, help_text=_("Country name as printed in 2004.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order within the country's list.")
    )
    text = models.TextField(_("text"))
    class MappedBy(models.TextChoices):
        NOBODY = "", _("Not mapped yet")
        ENGINE = "engine", _("Matching engine")
        STAFF = "staff", _("UNODC staff")

    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities"), related_name="synopsis_needs", blank=True
    )
    mapped_by = models.CharField(
        _("mapped by"),
        max_length=8,
        choices=MappedBy.choices,
        blank=True,
        help_text=_("Staff mappings are never replaced by the engine."),
    )
    mapping_reasons = models.TextField(
        _("mapping reasons"), blank=True, help_text=_("Why the engine chose them.")
    )

    class Meta:
        ordering = ["country__name", "position"]
        verbose_name = _("2004 synopsis need")
        verbose_name_plural = _("2004 synopsis needs")
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
        FOCAL_POINT = "focal_point", _("National focal point")
        CONTRIBUTOR = "contributor", _("Contributor")
        READER = "reader", _("Reader")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    country = models.ForeignKey(
        MemberState, verbose_name=_("country"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    ministry = models.CharField(_("ministry"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        blank=True,
        related_name="contributors",
        help_text=_("For contributors: the categories they may edit."),
    )

    class Meta:
        ordering = ["country__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.country} ({self.get_role_display()})"
