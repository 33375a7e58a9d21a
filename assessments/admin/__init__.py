"""The staff application over country data, one module per concern."""

from . import campaigns, countries, questionnaire, scoring

__all__ = ["campaigns", "countries", "questionnaire", "scoring"]
