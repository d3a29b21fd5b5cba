"""The teasers' audit trail becomes the one shared by teasers and front picks: each record names the
row (its content type and id) and where it was placed (a story, a front)."""

import django.db.models.deletion
from django.db import migrations, models


def file_teaser_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    PlacementEvent = apps.get_model("articles", "PlacementEvent")
    teaser, _ = ContentType.objects.get_or_create(app_label="articles", model="relatedteaser")
    story, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    PlacementEvent.objects.update(
        placement_type=teaser, holder_type=story, holder_pk=models.F("article_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_hero_focal_point"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="teaserevent", name="teaserevent_article_at_idx"),
        migrations.RemoveIndex(model_name="teaserevent", name="teaserevent_teaser_at_idx"),
        migrations.RenameModel(old_name="TeaserEvent", new_name="PlacementEvent"),
        migrations.RenameField(
            model_name="placementevent", old_name="teaser_pk", new_name="placement_pk"
        ),
        migrations.AddField(
            model_name="placementevent",
            name="placement_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="placementevent",
            name="holder_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="placementevent",
            name="holder_pk",
            field=models.PositiveBigIntegerField(
                default=0, help_text="Where it was placed: a story, a front."
            ),
            preserve_default=False,
        ),
        migrations.RunPython(file_teaser_records, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="placementevent",
            name="placement_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="placementevent",
            name="holder_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AlterField(
            model_name="placementevent",
            name="placement_pk",
            field=models.PositiveBigIntegerField(help_text="The row's id, kept after removal."),
        ),
        migrations.AlterField(
            model_name="placementevent",
            name="article",
            field=models.ForeignKey(
                blank=True,
                help_text="The story whose history shows this record.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="placement_events",
                to="articles.article",
            ),
        ),
        migrations.AlterField(
            model_name="placementevent",
            name="description",
            field=models.TextField(help_text="The row as it stood after the change."),
        ),
        migrations.AlterField(
            model_name="placementevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("added", "Added"),
                    ("changed", "Changed"),
                    ("moved", "Moved"),
                    ("removed", "Removed"),
                    ("blocked", "Blocked: never shown here"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="placementevent",
            index=models.Index(fields=["article", "-at"], name="placementevent_article_at_idx"),
        ),
        migrations.AddIndex(
            model_name="placementevent",
            index=models.Index(
                fields=["placement_type", "placement_pk", "-at"], name="placementevent_row_at_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="placementevent",
            index=models.Index(
                fields=["holder_type", "holder_pk", "-at"], name="placementevent_holder_at_idx"
            ),
        ),
    ]
