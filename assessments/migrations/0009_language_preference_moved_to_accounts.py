"""The e-mail language moves to accounts' UserPreference, which also sets the site's language."""

from django.db import migrations


def forwards(apps, schema_editor):
    EmailPreference = apps.get_model("assessments", "EmailPreference")
    UserPreference = apps.get_model("accounts", "UserPreference")
    for user_id, language in EmailPreference.objects.exclude(language="").values_list(
        "user_id", "language"
    ):
        UserPreference.objects.update_or_create(user_id=user_id, defaults={"language": language})


def backwards(apps, schema_editor):
    EmailPreference = apps.get_model("assessments", "EmailPreference")
    UserPreference = apps.get_model("accounts", "UserPreference")
    for user_id, language in UserPreference.objects.exclude(language="").values_list(
        "user_id", "language"
    ):
        EmailPreference.objects.update_or_create(user_id=user_id, defaults={"language": language})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_preference"),
        ("assessments", "0008_translatable_labels"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
