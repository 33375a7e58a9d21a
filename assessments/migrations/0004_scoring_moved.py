# The scoring models moved to the scoring app. Their tables stay where they are (the models keep
# them with Meta.db_table), so this only drops them from this app's migration state; the scoring
# app's first migration takes them into its own state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_languages'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalGuidelineCriterion'),
                migrations.DeleteModel(name='HistoricalScoringWeights'),
                migrations.DeleteModel(name='GuidelineCriterion'),
                migrations.DeleteModel(name='ScoreCache'),
                migrations.DeleteModel(name='ScoreSnapshot'),
                migrations.DeleteModel(name='ScoringWeights'),
            ],
        ),
    ]
