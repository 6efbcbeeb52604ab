import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0002 so PostgreSQL alters the column after the data migration committed."""

    dependencies = [
        ("cms", "0002_challenge_progress"),
        ("community", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="challengepage",
            name="community",
            field=models.ForeignKey(
                editable=False,
                help_text="Copied from the community home page above on every save (for fast lookups).",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="challenges",
                to="community.community",
            ),
        ),
    ]
