"""The staff application over country data, one module per concern."""

from . import countries, questionnaire

__all__ = ["countries", "questionnaire"]
