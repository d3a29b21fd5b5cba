from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from newsroom import pagecache

        entry = self.get_model("Entry")
        pagecache.register_public_model(entry)
        # A scheduled entry's time is a scheduled change, like a story's publish_at.
        pagecache.register_schedule(entry.objects.next_changes)
