"""The reference knowledge that is the same for every country.

Rows carry the stable ``ref`` of the data files in ``catalogue/data`` so that the loader, links
and cycle comparisons never depend on matching text. ``reference_digest`` remembers what the
loader last wrote: a row whose current values no longer match it was edited by staff, and the
loader leaves it alone unless asked to overwrite.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReferenceRow(models.Model):
    """A row maintained both by the data files and by staff in admin."""

    reference_digest = models.CharField(
        _("reference digest"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Digest of the values last written by load_reference."),
    )

    class Meta:
        abstract = True


class TranslationStatus(models.TextChoices):
    """Where a translated text stands: the file's draft, or read and approved by staff."""

    PROVISIONAL = "provisional", _("Provisional")
    APPROVED = "approved", _("Approved by staff")


class TranslatedRow(ReferenceRow):
    """A reference row whose texts exist in the six UN languages (see ``translation.py``).

    The English text is the source (``<field>_en``); the other languages have their own
    columns, empty where no translation exists, and the page then shows the English text.
    ``translation_status`` says, per language code, whether its texts are provisional or were
    approved by staff; a language without texts has no entry.
    """

    translation_status = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Per language code: “provisional” or “approved”."),
    )

    class Meta:
        abstract = True

    def translation_state(self, language: str) -> str:
        """``provisional``, ``approved``, or ``""`` when the language has no texts."""
        return (self.translation_status or {}).get(language, "")


class SourceDocument(ReferenceRow):
    """One of the public UN documents the framework and the compendium come from."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    symbol = models.CharField(_("symbol"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=400)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self) -> str:
        return f"{self.code} {self.symbol or self.title}"

    @property
    def short_label(self) -> str:
        """The UN symbol, or for a document without one its title up to the first comma."""
        if self.symbol:
            return self.symbol
        label = self.title.split(",")[0].split(" (")[0]
        return f"{label} ({self.year})" if self.year else label


class Category(TranslatedRow):
    """One of the eleven categories of implementation activities (I General ... XI Prevention)."""

    numeral = models.CharField(_("numeral"), max_length=8, unique=True)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("intro"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.numeral}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:category", kwargs={"numeral": self.numeral})


class ActivityGroup(TranslatedRow):
    """A sub-group of a category: III.A and its offence groups, III.B, VII.A-D."""

    ref = models.CharField(_("ref"), max_length=32, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="groups"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    label = models.CharField(
        _("label"), max_length=8, blank=True, help_text=_("As printed, e.g. “A”.")
    )
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("activity group")
        verbose_name_plural = _("activity groups")

    def __str__(self) -> str:
        prefix = f"{self.category.numeral}.{self.label} " if self.label else ""
        return f"{prefix}{self.title}"


class ActivityQuerySet(models.QuerySet):
    def current(self) -> ActivityQuerySet:
        """Activities still part of the framework (retired ones keep their past answers)."""
        return self.filter(is_retired=False)


class Activity(TranslatedRow):
    """One implementation activity of *Elements of Technical Assistance*, verbatim."""

    class Obligation(models.TextChoices):
        MANDATED = "mandated", _("Mandated by the instruments")
        RECOMMENDED = "recommended", _("Recommended")
        UNSPECIFIED = "", _("Not specified")

    ref = models.CharField(
        _("ref"), max_length=32, unique=True, help_text=_("Stable id, e.g. VII.D.5.")
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="activities"
    )
    group = models.ForeignKey(
        ActivityGroup,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    number = models.CharField(
        _("number"), max_length=8, blank=True, help_text=_("As printed, e.g. “5”.")
    )
    text = models.TextField(_("text"))
    details = models.JSONField(
        _("details"),
        default=list,
        blank=True,
        help_text=_("Sub-points of the item, verbatim, one per entry."),
    )
    obligation = models.CharField(
        _("obligation"),
        max_length=16,
        choices=Obligation.choices,
        blank=True,
        default=Obligation.UNSPECIFIED,
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"),
        default=3,
        help_text=_("Implementation level (0-4) below which the activity is a gap."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)
    is_retired = models.BooleanField(
        _("is retired"),
        default=False,
        help_text=_("Retired activities leave open questionnaires but keep answers."),
    )

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [
            ("import_activity", "Can import activities from CSV or XLSX"),
            ("export_activity", "Can export activities to CSV or XLSX"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:80]}"

    @property
    def label(self) -> str:
        """How the document numbers the item within its category, e.g. “VII.D.5”."""
        parts = [self.category.numeral]
        if self.group_id and self.group.label:
            parts.append(self.group.label)
        elif self.group_id and self.group.parent_id and self.group.parent.label:
            parts.append(self.group.parent.label)
        head = ".".join(parts)
        return f"{head}.{self.number}" if self.number else head


class Guideline(TranslatedRow):
    """One of the ten draft guidelines on technical assistance, verbatim."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")

    def __str__(self) -> str:
        return _("Guideline %(number)s") % {"number": self.number}


class GuidelineItem(TranslatedRow):
    """A lettered sub-item of a guideline (guideline 10 has a-d)."""

    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.CASCADE, related_name="items"
    )
    label = models.CharField(_("label"), max_length=4)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["guideline", "label"]
        verbose_name = _("guideline item")
        verbose_name_plural = _("guideline items")
        constraints = [
            models.UniqueConstraint(fields=["guideline", "label"], name="unique_guideline_item")
        ]

    def __str__(self) -> str:
        return f"{self.guideline.number}{self.label}"


class Part(models.TextChoices):
    """The parts of the compendium, plus instruments the documents name outside it."""

    A = "A", _("Part A: International and regional instruments")
    B = "B", _("Part B: Guides, model laws, manuals and tools")
    C = "C", _("Part C: Political declarations and plans of action")
    N = "N", _("Other instruments named in the source documents")


class CompendiumSection(TranslatedRow):
    """A heading of the compendium's table of contents; Part B headings serve a category."""

    part = models.CharField(_("part"), max_length=1, choices=Part.choices)
    number = models.CharField(_("number"), max_length=8, blank=True)
    title = models.CharField(_("title"), max_length=400)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sections",
    )
    group = models.ForeignKey(
        ActivityGroup,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sections",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)

    class Meta:
        ordering = ["part", "position"]
        verbose_name = _("compendium section")
        verbose_name_plural = _("compendium sections")
        constraints = [
            models.UniqueConstraint(fields=["part", "number"], name="unique_section_number")
        ]

    def __str__(self) -> str:
        number = f"{self.number} " if self.number else ""
        return f"{self.part} {number}{self.title}"


class EntryQuerySet(models.QuerySet):
    def current(self) -> EntryQuerySet:
        return self.filter(is_retired=False)


class Language(models.TextChoices):
    """The six official languages of the United Nations, and Portuguese (many UNODC tools exist
    in it): what a tool is available in, and what a ministry works in."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")


def languages_validate(value: str) -> None:
    unknown = [code for code in value.split() if code not in Language.values]
    if unknown:
        raise ValidationError(
            _(
                "Unknown language code(s) %(codes)s: use codes among %(known)s, separated by "
                "spaces."
            ),
            params={"codes": ", ".join(unknown), "known": " ".join(Language.values)},
        )


class Entry(TranslatedRow):
    """An instrument or a tool of the compendium, or one named in the source documents."""

    class Kind(models.TextChoices):
        CONVENTION = "convention", _("Convention")
        PROTOCOL = "protocol", _("Protocol")
        RESOLUTION = "resolution", _("Resolution")
        DECLARATION = "declaration", _("Declaration")
        RECOMMENDATIONS = "recommendations", _("Recommendations")
        AGREEMENT = "agreement", _("Agreement or treaty")
        FRAMEWORK_DECISION = "framework_decision", _("Framework decision")
        PLAN_OF_ACTION = "plan_of_action", _("Plan of action")
        STATEMENT = "statement", _("Statement")
        REPORT = "report", _("Report")
        LEGISLATIVE_GUIDE = "legislative_guide", _("Legislative guide")
        MODEL_LAW = "model_law", _("Model law or provisions")
        MANUAL = "manual", _("Manual")
        HANDBOOK = "handbook", _("Handbook")
        TOOLKIT = "toolkit", _("Toolkit")
        GUIDE = "guide", _("Guide")
        TRAINING_MATERIAL = "training_material", _("Training material")
        DIGEST = "digest", _("Digest")
        DATABASE = "database", _("Database")
        DIRECTORY = "directory", _("Directory")
        NETWORK = "network", _("Network")
        PROGRAMME = "programme", _("Programme")
        HUB = "hub", _("Hub")
        PLATFORM = "platform", _("Platform or portal")
        ASSESSMENT_TOOL = "assessment_tool", _("Assessment tool")
        CHANNEL = "channel", _("Communication channel")
        OTHER = "other", _("Other")

    # The kinds of instrument a state becomes party to; the others are read and used.
    RATIFIABLE = (Kind.CONVENTION, Kind.PROTOCOL, Kind.AGREEMENT)

    ref = models.CharField(
        _("ref"), max_length=80, unique=True, help_text=_("Stable id, e.g. A-1.1.")
    )
    part = models.CharField(_("part"), max_length=1, choices=Part.choices, db_index=True)
    section = models.ForeignKey(
        CompendiumSection,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    number = models.CharField(_("number"), max_length=8, blank=True)
    title = models.CharField(_("title"), max_length=500)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("url"), max_length=500, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=40,
        blank=True,
        validators=[languages_validate],
        help_text=_(
            "Languages it is available in, as codes separated by spaces (e.g. “en fr es”); "
            "empty when not known. The source documents do not say: staff fill it in."
        ),
    )
    sources = models.ManyToManyField(
        SourceDocument, verbose_name=_("sources"), related_name="entries", blank=True
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), related_name="entries", blank=True
    )
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities"), related_name="entries", blank=True
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    is_retired = models.BooleanField(_("is retired"), default=False)

    history = HistoricalRecords()
    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["part", "position"]
        verbose_name = _("compendium entry")
        verbose_name_plural = _("compendium entries")
        permissions = [
            ("import_entry", "Can import compendium entries from CSV or XLSX"),
            ("export_entry", "Can export compendium entries to CSV or XLSX"),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:entry", kwargs={"ref": self.ref})
