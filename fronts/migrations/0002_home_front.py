"""The home front, drawing exactly the automatic home page from backfill alone: the newest
featured story (or else the newest) as lead, the twelve newest after it, then the four newest of
each section not shown above. A site that never curates sees no change."""

from django.db import migrations


def create_home_front(apps, schema_editor):
    Front = apps.get_model("fronts", "Front")
    Zone = apps.get_model("fronts", "Zone")
    if Front.objects.filter(kind="home").exists():
        return
    home = Front.objects.create(kind="home")
    Zone.objects.bulk_create(
        [
            Zone(
                front=home,
                position=0,
                heading="Top story",
                layout="lead",
                size=1,
                backfill="everything",
                featured="first",
            ),
            Zone(
                front=home,
                position=1,
                heading="Latest",
                anchor="latest",
                layout="grid",
                size=12,
                backfill="everything",
                empty_message="No stories have been published yet.",
            ),
            Zone(
                front=home,
                position=2,
                heading="Sections",
                layout="section_blocks",
                size=4,
                backfill="each_section",
            ),
        ]
    )


def remove_home_front(apps, schema_editor):
    apps.get_model("fronts", "Front").objects.filter(kind="home").delete()


class Migration(migrations.Migration):
    dependencies = [("fronts", "0001_fronts")]

    operations = [migrations.RunPython(create_home_front, remove_home_front)]
