from django.db import migrations, models
from django.db.models import F


def existing_cycles_are_open(apps, schema_editor):
    """Cycles of before were opened in the request that created them."""
    apps.get_model("assessments", "Cycle").objects.update(opened_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="opened_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When every member state had its assessment; empty while opening is "
                "pending (for example while the background service was unavailable).",
                null=True,
            ),
        ),
        migrations.RunPython(existing_cycles_are_open, migrations.RunPython.noop),
    ]
