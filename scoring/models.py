"""What staff tune in scoring, and the scores kept: the live cache and the submitted snapshots.

The rules themselves live in the modules of :mod:`scoring`; these rows only hold weights and
results, so the rules can be read in one place and the weights changed without a deploy.

The tables keep the names they had when these models lived in ``assessments`` (``db_table``),
so moving the models moved no data (see ``scoring/migrations/0001_initial.py``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, StatusEvent
from catalogue.models import Guideline, TranslatedRow

PERCENT = [MaxValueValidator(100)]


class GuidelineCriterion(TranslatedRow):
    """One explicit criterion of a guideline's alignment score, with its weight.

    The rows come from ``scoring/data/guideline_criteria.yaml``; the rule that measures each
    one is the function of the same ``code`` in ``scoring/guidelines.py``. Staff
    change the weight and the wording here; the loader keeps their edits.
    """

    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("e.g. G5.prioritised")
    )
    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.PROTECT, related_name="criteria"
    )
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("How the criterion is measured.")
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        help_text=_("Relative weight within its guideline; 0 leaves the criterion out."),
    )
    to_improve = models.TextField(
        _("to improve"),
        help_text=_(
            "What to do when the criterion is not met; “{count}” is replaced by the number of "
            "items to complete."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], table_name="assessments_historicalguidelinecriterion"
    )

    class Meta:
        db_table = "assessments_guidelinecriterion"
        ordering = ["guideline__number", "position"]
        verbose_name = _("guideline criterion")
        verbose_name_plural = _("guideline criteria")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class ScoringWeights(models.Model):
    """The weights of gap severity (one row).

    Severity = 100 × (distance weight × distance + priority weight × priority factor
    + obligation weight × obligation factor) / (sum of the three weights); the factors are
    percentages here and fractions in the formula.
    """

    distance_weight = models.PositiveSmallIntegerField(
        _("distance weight"),
        default=50,
        help_text=_("Weight of the distance between level and target."),
    )
    priority_weight = models.PositiveSmallIntegerField(
        _("priority weight"),
        default=30,
        help_text=_("Weight of the priority the country gave its request."),
    )
    obligation_weight = models.PositiveSmallIntegerField(
        _("obligation weight"),
        default=20,
        help_text=_("Weight of whether the instruments mandate the activity."),
    )
    priority_high = models.PositiveSmallIntegerField(
        _("priority high"), default=100, validators=PERCENT
    )
    priority_medium = models.PositiveSmallIntegerField(
        _("priority medium"), default=60, validators=PERCENT
    )
    priority_low = models.PositiveSmallIntegerField(
        _("priority low"), default=30, validators=PERCENT
    )
    priority_unset = models.PositiveSmallIntegerField(
        _("priority unset"),
        default=0,
        validators=PERCENT,
        help_text=_("A gap without a prioritised request."),
    )
    mandated = models.PositiveSmallIntegerField(_("mandated"), default=100, validators=PERCENT)
    recommended = models.PositiveSmallIntegerField(_("recommended"), default=50, validators=PERCENT)
    obligation_unspecified = models.PositiveSmallIntegerField(
        _("obligation unspecified"), default=75, validators=PERCENT
    )
    unknown_distance = models.PositiveSmallIntegerField(
        _("unknown distance"),
        default=50,
        validators=PERCENT,
        help_text=_(
            "Distance counted for a request whose level is unknown or not given, in percent of "
            "the full distance."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], table_name="assessments_historicalscoringweights"
    )

    class Meta:
        db_table = "assessments_scoringweights"
        verbose_name = _("scoring weights")
        verbose_name_plural = _("scoring weights")

    def __str__(self) -> str:
        return gettext("Gap severity weights")

    @classmethod
    def current(cls) -> ScoringWeights:
        """The one row, created with the defaults the first time it is asked for."""
        weights, _ = cls.objects.get_or_create(pk=1)
        return weights


class ScoreCache(models.Model):
    """The latest computed results of an assessment, valid while ``fingerprint`` holds."""

    assessment = models.OneToOneField(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="score_cache",
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"))
    payload = models.JSONField(_("payload"))
    # What the heat map shows, a few numbers beside the payload so a cycle's map reads these
    # and not 193 payloads: {"country": %, "categories": {numeral: %}, "gaps": n}.
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        db_table = "assessments_scorecache"
        verbose_name = _("score cache")
        verbose_name_plural = _("score caches")
        indexes = [
            # The heat map reads these three columns of every country from the index alone
            # (scoring.results._summaries_read): SQLite stores a row's columns in order, so
            # reading ``summary`` from the table walks the ~250 kB ``payload`` before it.
            models.Index(
                fields=["assessment", "fingerprint", "summary"], name="scorecache_summary_read"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Scores of %(assessment)s (%(time)s)") % {
            "assessment": self.assessment_id, "time": f"{self.computed_at:%Y-%m-%d %H:%M}"
        }


class ScoreSnapshot(models.Model):
    """The results as they stood when the assessment was submitted: never recomputed."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="score_snapshots",
    )
    event = models.OneToOneField(
        StatusEvent,
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshot",
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    payload = models.JSONField(_("payload"))

    class Meta:
        db_table = "assessments_scoresnapshot"
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Scores of %(assessment)s as submitted %(time)s") % {
            "assessment": self.assessment_id, "time": f"{self.taken_at:%Y-%m-%d %H:%M}"
        }
