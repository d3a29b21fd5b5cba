"""Load the demonstration newsroom described in ``articles.management.demo_content``.

Running it again changes no content: rows are matched by slug (or by their natural key) and updated in
place, publication times and teaser windows are set only when a row is first created, pictures are
drawn only when missing, and existing logins are left alone (their passwords are never shown again).
The steps other apps add (``articles.demo_steps``) keep the same rule: the fronts app curates the
home front and a banner on the first run, and leaves them to the editors after that.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles import demo_steps
from articles.management import demo_content as demo
from articles.models import Article, Byline, Correction, RelatedTeaser, Section
from articles.services import publish_article
from authors.models import Author
from newsroom.reversing import reverse


def has_file(field_file):
    """Whether a picture is set and still in storage (a wiped media folder gets redrawn)."""
    return bool(field_file) and field_file.storage.exists(field_file.name)


class Command(BaseCommand):
    help = "Load demo sections, authors, stories and two staff logins. Safe to run again."

    def handle(self, *args, **options):
        self.check_migrated()
        groups = self.staff_groups()
        now = timezone.now()
        with transaction.atomic():
            sections = {data.slug: self.load_section(data) for data in demo.SECTIONS}
            authors = {person.slug: self.load_author(person) for person in demo.PEOPLE}
            articles = {
                story.slug: self.load_story(story, now=now, sections=sections, authors=authors)
                for story in demo.STORIES
            }
            for teaser in demo.TEASERS:
                self.load_teaser(teaser, now=now, articles=articles)
            for correction in demo.CORRECTIONS:
                self.load_correction(correction, now=now, articles=articles)
            logins = [
                self.load_login(login, groups=groups, authors=authors) for login in demo.LOGINS
            ]
            # What other apps add to the demo (the fronts app: the home front and a banner).
            added = [step(now=now, stories=articles) for step in demo_steps.steps()]
        # Passwords are printed only once the rows that hold them are committed.
        for message in logins:
            self.stdout.write(message)
        for message in filter(None, added):
            self.stdout.write(message)
        self.print_summary()

    def check_migrated(self):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise CommandError(f"Cannot read the database: {exc}") from exc
        if pending:
            raise CommandError("The database is not fully migrated; run `manage.py migrate` first.")

    def staff_groups(self):
        names = {login.group for login in demo.LOGINS}
        groups = {group.name: group for group in Group.objects.filter(name__in=names)}
        missing = sorted(names - groups.keys())
        if missing:
            raise CommandError(
                f"Missing group(s) {', '.join(missing)}; the articles migrations create them."
            )
        return groups

    def load_section(self, data):
        section, _ = Section.objects.update_or_create(
            slug=data.slug,
            defaults={
                "name": data.name,
                "description": data.description,
                "position": data.position,
            },
        )
        return section

    def load_author(self, person):
        author, _ = Author.objects.update_or_create(
            slug=person.slug,
            defaults={
                "name": person.name,
                "job_title": person.job_title,
                "bio": person.bio,
                "social_links": list(person.social_links),
                "email": person.email,
            },
        )
        if not has_file(author.photo):
            name = f"{person.slug}.png"
            # Named, or the ImageField cannot measure the picture and width/height stay empty.
            picture = ContentFile(demo.draw_portrait(person.initials, person.colour), name=name)
            author.photo.save(name, picture, save=True)
        return author

    def load_story(self, story, *, now, sections, authors):
        content = {
            "kicker": story.kicker,
            "headline": story.headline,
            "dek": story.dek,
            "body": story.body,
            "section": sections[story.section],
            "hero_alt": story.hero_alt,
            "hero_caption": story.hero_caption,
            "hero_credit": demo.HERO_CREDIT,
            "is_featured": story.featured,
        }
        status = Article.Status(story.status)
        # Status and times belong to the first run only: a re-run must not move a story in time.
        # Stories meant to be published start as drafts and go through publish_article below.
        initial = Article.Status.DRAFT if status == Article.Status.PUBLISHED else status
        article, created = Article.objects.update_or_create(
            slug=story.slug, defaults=content, create_defaults={**content, "status": initial}
        )
        article.tags.set(list(story.tags))
        for position, (author_slug, role) in enumerate(story.bylines):
            Byline.objects.update_or_create(
                article=article,
                author=authors[author_slug],
                defaults={"role": role, "position": position},
            )
        drawn = not has_file(article.hero_image)
        if drawn:
            name = f"{story.slug}.jpg"
            # Named, or the ImageField cannot measure the picture and width/height stay empty.
            picture = ContentFile(demo.draw_hero(story.slug, story.colours), name=name)
            article.hero_image.save(name, picture, save=False)
        if created and status == Article.Status.PUBLISHED:
            # After the bylines exist, so that each gets its bio snapshot. Saves the picture too.
            publish_article(article=article, at=now + story.publish_in)
        elif drawn:
            article.save(update_fields=["hero_image", "hero_width", "hero_height"])
        return article

    def load_teaser(self, teaser, *, now, articles):
        fields = {
            "headline": teaser.headline,
            "excerpt": teaser.excerpt,
            "position": teaser.position,
        }
        window = {"ends_at": now + teaser.ends_in} if teaser.ends_in else {}
        RelatedTeaser.objects.update_or_create(
            article=articles[teaser.on],
            target=articles[teaser.target] if teaser.target else None,
            url=teaser.url,
            defaults=fields,
            create_defaults={**fields, **window},
        )

    def load_correction(self, correction, *, now, articles):
        article = articles[correction.on]
        # Corrections are append-only once public, so an existing one is never rewritten.
        Correction.objects.get_or_create(
            article=article,
            text=correction.text,
            defaults={
                "kind": correction.kind,
                "published_at": min(article.publish_at + correction.after_publication, now),
            },
        )

    def load_login(self, login, *, groups, authors):
        User = get_user_model()
        if User.objects.filter(username=login.username).exists():
            return (
                f'Login "{login.username}" already exists; left unchanged '
                "(its password is not shown again)."
            )
        author = authors[login.author]
        first_name, _, last_name = author.name.partition(" ")
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=login.username,
            password=password,
            email=author.email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
        user.groups.add(groups[login.group])
        if author.user_id is None:
            author.user = user
            author.save(update_fields=["user"])
        return (
            f'Created login "{login.username}" ({login.group} group, author {author.name}). '
            f"Password, shown only this once: {password}"
        )

    def print_summary(self):
        site = settings.NEWSROOM_SITE_URL
        articles = Article.objects.all()
        counts = {
            "sections": Section.objects.count(),
            "authors": Author.objects.count(),
            "live stories": articles.live().count(),
            "scheduled": articles.scheduled().count(),
            "draft or in review": articles.drafts().count(),
            "teasers": RelatedTeaser.objects.count(),
            "corrections": Correction.objects.count(),
        }
        listing = ", ".join(f"{label}: {count}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({listing})."))
        self.stdout.write(f"Site:  {site}{reverse('articles:home')}")
        self.stdout.write(f"Admin: {site}{reverse('admin:index')}")
