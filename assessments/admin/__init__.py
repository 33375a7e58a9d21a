"""The staff application over country data, one module per concern."""

from . import countries, questionnaire, scoring

__all__ = ["countries", "questionnaire", "scoring"]
