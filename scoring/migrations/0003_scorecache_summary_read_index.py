from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0002_scorecache_summary"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="scorecache",
            index=models.Index(
                fields=["assessment", "fingerprint", "summary"], name="scorecache_summary_read"
            ),
        ),
    ]
