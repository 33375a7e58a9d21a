"""The staff application over country data, one module per concern."""

from . import campaigns, countries, questionnaire

__all__ = ["campaigns", "countries", "questionnaire"]
