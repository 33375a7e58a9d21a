from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0005_translated_field_labels"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="scorecache",
            index=models.Index(
                fields=["assessment", "fingerprint", "summary"], name="scorecache_summary_read"
            ),
        ),
    ]
