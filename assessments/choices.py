"""The vocabularies of the questionnaire (DESIGN.md, "The questionnaire")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.IntegerChoices):
    NOT_IN_PLACE = 0, _("0 – Not in place")
    PLANNED = 1, _("1 – Planned or initiated")
    PARTIAL = 2, _("2 – Partially in place")
    LARGELY = 3, _("3 – Largely in place")
    FULL = 4, _("4 – Fully in place and sustained")


class AnswerState(models.TextChoices):
    UNANSWERED = "", _("Not yet answered")
    LEVEL = "level", _("Implementation level given")
    NOT_APPLICABLE = "na", _("Not applicable")
    UNKNOWN = "unknown", _("Unknown")


class AssistanceKind(models.TextChoices):
    LEGISLATIVE = "legislative", _("Legislative drafting")
    ADVISORY = "advisory", _("Advisory services and expertise")
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring")
    EQUIPMENT = "equipment", _("Equipment and IT")
    INSTITUTIONAL = "institutional", _("Institutional set-up")
    INFORMATION = "information", _("Information exchange")


class Priority(models.TextChoices):
    HIGH = "high", pgettext_lazy("priority", "High")
    MEDIUM = "medium", pgettext_lazy("priority", "Medium")
    LOW = "low", pgettext_lazy("priority", "Low")


class Timeline(models.TextChoices):
    IMMEDIATE = "6m", _("Within 6 months")
    SHORT = "12m", _("Within a year")
    MEDIUM = "24m", _("Within two years")
    LONG = "longer", _("Longer term")


class CrimeArea(models.TextChoices):
    TERRORISM = "terrorism", _("Terrorism")
    ORGANIZED_CRIME = "organized_crime", _("Organized crime")
    DRUGS = "drugs", _("Drugs")
    MONEY_LAUNDERING = "money_laundering", _("Money laundering")
    CORRUPTION = "corruption", _("Corruption")
    FIREARMS = "firearms", _("Firearms")
    MIGRANTS = "migrants", _("Smuggling of migrants")
    TRAFFICKING = "trafficking", _("Trafficking in persons")
    CYBERCRIME = "cybercrime", _("Cybercrime")


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    MENTORING = "mentoring", _("Mentoring")
    LEGISLATORS = "legislators", _("With legislators")
    PNI = "pni", _("Through a Programme Network institute")


class LegalTradition(models.TextChoices):
    COMMON = "common", _("Common law")
    CIVIL = "civil", _("Civil law")
    ISLAMIC = "islamic", _("Islamic law")
    CUSTOMARY = "customary", _("Customary law")
    MIXED = "mixed", _("Mixed system")


class Ratification(models.TextChoices):
    PARTY = "party", pgettext_lazy("treaty status", "Party")
    SIGNED = "signed", _("Signed, not yet party")
    IN_PROGRESS = "in_progress", _("Ratification in progress")
    NOT_PARTY = "not_party", _("Not party")
    UNKNOWN = "unknown", _("Unknown")
