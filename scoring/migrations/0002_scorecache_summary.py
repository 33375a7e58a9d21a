# The heat map's few numbers of each cached result, beside its payload; filled from the
# payloads already stored, so no cache turns stale.

from django.db import migrations, models


def _percent(index):
    value = (index or {}).get("value")
    return None if value is None else round(100 * value)


def summaries_fill(apps, schema_editor):
    ScoreCache = apps.get_model("scoring", "ScoreCache")
    rows = list(ScoreCache.objects.using(schema_editor.connection.alias).all())
    for row in rows:
        index = row.payload.get("index") or {}
        row.summary = {
            "country": _percent(index.get("country")),
            "categories": {
                c["numeral"]: _percent(c.get("index")) for c in index.get("categories", [])
            },
            "gaps": len(row.payload.get("gaps") or []),
        }
    ScoreCache.objects.using(schema_editor.connection.alias).bulk_update(
        rows, ["summary"], batch_size=200
    )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="scorecache",
            name="summary",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(summaries_fill, migrations.RunPython.noop),
    ]
