"""The vocabularies of the questionnaire (DESIGN.md, "The questionnaire")."""

from django.db import models


class Level(models.IntegerChoices):
    NOT_IN_PLACE = 0, "0 – Not in place"
    PLANNED = 1, "1 – Planned or initiated"
    PARTIAL = 2, "2 – Partially in place"
    LARGELY = 3, "3 – Largely in place"
    FULL = 4, "4 – Fully in place and sustained"


class AnswerState(models.TextChoices):
    UNANSWERED = "", "Not yet answered"
    LEVEL = "level", "Implementation level given"
    NOT_APPLICABLE = "na", "Not applicable"
    UNKNOWN = "unknown", "Unknown"


class AssistanceKind(models.TextChoices):
    LEGISLATIVE = "legislative", "Legislative drafting"
    ADVISORY = "advisory", "Advisory services and expertise"
    TRAINING = "training", "Training"
    MENTORING = "mentoring", "Mentoring"
    EQUIPMENT = "equipment", "Equipment and IT"
    INSTITUTIONAL = "institutional", "Institutional set-up"
    INFORMATION = "information", "Information exchange"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Timeline(models.TextChoices):
    IMMEDIATE = "6m", "Within 6 months"
    SHORT = "12m", "Within a year"
    MEDIUM = "24m", "Within two years"
    LONG = "longer", "Longer term"


class CrimeArea(models.TextChoices):
    TERRORISM = "terrorism", "Terrorism"
    ORGANIZED_CRIME = "organized_crime", "Organized crime"
    DRUGS = "drugs", "Drugs"
    MONEY_LAUNDERING = "money_laundering", "Money laundering"
    CORRUPTION = "corruption", "Corruption"
    FIREARMS = "firearms", "Firearms"
    MIGRANTS = "migrants", "Smuggling of migrants"
    TRAFFICKING = "trafficking", "Trafficking in persons"
    CYBERCRIME = "cybercrime", "Cybercrime"


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    MENTORING = "mentoring", "Mentoring"
    LEGISLATORS = "legislators", "With legislators"
    PNI = "pni", "Through a Programme Network institute"


class LegalTradition(models.TextChoices):
    COMMON = "common", "Common law"
    CIVIL = "civil", "Civil law"
    ISLAMIC = "islamic", "Islamic law"
    CUSTOMARY = "customary", "Customary law"
    MIXED = "mixed", "Mixed system"


class Ratification(models.TextChoices):
    PARTY = "party", "Party"
    SIGNED = "signed", "Signed, not yet party"
    IN_PROGRESS = "in_progress", "Ratification in progress"
    NOT_PARTY = "not_party", "Not party"
    UNKNOWN = "unknown", "Unknown"
