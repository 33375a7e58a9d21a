from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_campaigns"),
    ]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="opening_pending",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Staff asked to open the cycle for every member state and that has "
                "not completed yet (for example while the background service was unavailable).",
            ),
        ),
    ]
