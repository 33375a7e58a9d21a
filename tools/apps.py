from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """The benchmark and the demo data: commands for developers, no models, no pages."""

    name = "tools"
    verbose_name = "Developer tools"
