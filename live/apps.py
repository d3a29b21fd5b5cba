from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from articles import demo_steps, story_formats, structured_data
        from newsroom import pagecache

        from . import demo, views
        from . import structured_data as live_structured_data
        from .history import register_models

        entry = self.get_model("Entry")
        pagecache.register_public_model(entry)
        # A scheduled entry's time is a scheduled change, like a story's publish_at.
        pagecache.register_schedule(entry.objects.next_changes)
        # A live coverage story's page is drawn here, with its JSON-LD.
        story_formats.register("coverage", views.story_page)
        structured_data.register("live_blog", live_structured_data.live_blog_posting)
        register_models()
        demo_steps.register("live", demo.load_live_story)
