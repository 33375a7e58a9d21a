# The scoring models, moved here from the assessments app with their tables as they were
# (Meta.db_table): a state-only move, no data copied. On a fresh database the tables come from
# assessments.0002_scoring. The content types (and with them the permissions staff hold and the
# admin log) follow the models to this app.

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = [
    "guidelinecriterion",
    "historicalguidelinecriterion",
    "scorecache",
    "scoresnapshot",
    "scoringweights",
    "historicalscoringweights",
]


def content_types_move(apps, schema_editor, source="assessments", target="scoring"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=source, model__in=MOVED
    ).update(app_label=target)


def content_types_move_back(apps, schema_editor):
    content_types_move(apps, schema_editor, source="scoring", target="assessments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0004_scoring_moved'),
        ('catalogue', '0002_languages'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ScoreCache',
                    fields=[
                        ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='score_cache', serialize=False, to='assessments.assessment')),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('computed_at', models.DateTimeField()),
                        ('payload', models.JSONField()),
                    ],
                    options={
                        'db_table': 'assessments_scorecache',
                    },
                ),
                migrations.CreateModel(
                    name='ScoringWeights',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('distance_weight', models.PositiveSmallIntegerField(default=50, help_text='Weight of the distance between level and target.')),
                        ('priority_weight', models.PositiveSmallIntegerField(default=30, help_text='Weight of the priority the country gave its request.')),
                        ('obligation_weight', models.PositiveSmallIntegerField(default=20, help_text='Weight of whether the instruments mandate the activity.')),
                        ('priority_high', models.PositiveSmallIntegerField(default=100, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('priority_medium', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('priority_low', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('priority_unset', models.PositiveSmallIntegerField(default=0, help_text='A gap without a prioritised request.', validators=[django.core.validators.MaxValueValidator(100)])),
                        ('mandated', models.PositiveSmallIntegerField(default=100, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('recommended', models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('obligation_unspecified', models.PositiveSmallIntegerField(default=75, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('unknown_distance', models.PositiveSmallIntegerField(default=50, help_text='Distance counted for a request whose level is unknown or not given (% of the full distance).', validators=[django.core.validators.MaxValueValidator(100)])),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'scoring weights',
                        'verbose_name_plural': 'scoring weights',
                        'db_table': 'assessments_scoringweights',
                    },
                ),
                migrations.CreateModel(
                    name='GuidelineCriterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference_digest', models.CharField(blank=True, editable=False, help_text='Digest of the values last written by load_reference.', max_length=64)),
                        ('code', models.CharField(help_text='e.g. G5.prioritised', max_length=40, unique=True)),
                        ('label', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True, help_text='How the criterion is measured.')),
                        ('weight', models.PositiveSmallIntegerField(default=1, help_text='Relative weight within its guideline; 0 leaves the criterion out.')),
                        ('to_improve', models.TextField(help_text='What to do when the criterion is not met; “{count}” is replaced by the number of items to complete.')),
                        ('position', models.PositiveSmallIntegerField(db_index=True, default=0)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('guideline', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='criteria', to='catalogue.guideline')),
                    ],
                    options={
                        'verbose_name_plural': 'guideline criteria',
                        'db_table': 'assessments_guidelinecriterion',
                        'ordering': ['guideline__number', 'position'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalGuidelineCriterion',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('reference_digest', models.CharField(blank=True, editable=False, help_text='Digest of the values last written by load_reference.', max_length=64)),
                        ('code', models.CharField(db_index=True, help_text='e.g. G5.prioritised', max_length=40)),
                        ('label', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True, help_text='How the criterion is measured.')),
                        ('weight', models.PositiveSmallIntegerField(default=1, help_text='Relative weight within its guideline; 0 leaves the criterion out.')),
                        ('to_improve', models.TextField(help_text='What to do when the criterion is not met; “{count}” is replaced by the number of items to complete.')),
                        ('position', models.PositiveSmallIntegerField(db_index=True, default=0)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('guideline', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalogue.guideline')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical guideline criterion',
                        'verbose_name_plural': 'historical guideline criteria',
                        'db_table': 'assessments_historicalguidelinecriterion',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalScoringWeights',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('distance_weight', models.PositiveSmallIntegerField(default=50, help_text='Weight of the distance between level and target.')),
                        ('priority_weight', models.PositiveSmallIntegerField(default=30, help_text='Weight of the priority the country gave its request.')),
                        ('obligation_weight', models.PositiveSmallIntegerField(default=20, help_text='Weight of whether the instruments mandate the activity.')),
                        ('priority_high', models.PositiveSmallIntegerField(default=100, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('priority_medium', models.PositiveSmallIntegerField(default=60, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('priority_low', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('priority_unset', models.PositiveSmallIntegerField(default=0, help_text='A gap without a prioritised request.', validators=[django.core.validators.MaxValueValidator(100)])),
                        ('mandated', models.PositiveSmallIntegerField(default=100, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('recommended', models.PositiveSmallIntegerField(default=50, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('obligation_unspecified', models.PositiveSmallIntegerField(default=75, validators=[django.core.validators.MaxValueValidator(100)])),
                        ('unknown_distance', models.PositiveSmallIntegerField(default=50, help_text='Distance counted for a request whose level is unknown or not given (% of the full distance).', validators=[django.core.validators.MaxValueValidator(100)])),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical scoring weights',
                        'verbose_name_plural': 'historical scoring weights',
                        'db_table': 'assessments_historicalscoringweights',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ScoreSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('taken_at', models.DateTimeField(auto_now_add=True)),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('payload', models.JSONField()),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='score_snapshots', to='assessments.assessment')),
                        ('event', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='snapshot', to='assessments.statusevent')),
                    ],
                    options={
                        'db_table': 'assessments_scoresnapshot',
                        'ordering': ['-taken_at', '-pk'],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_move_back),
    ]
