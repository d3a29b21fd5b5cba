from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from articles import demo_steps
        from newsroom import pagecache

        from . import demo
        from .history import register_models

        entry = self.get_model("Entry")
        pagecache.register_public_model(entry)
        # A scheduled entry's time is a scheduled change, like a story's publish_at.
        pagecache.register_schedule(entry.objects.next_changes)
        register_models()
        demo_steps.register("live", demo.load_live_story)
