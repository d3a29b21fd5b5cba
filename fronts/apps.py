from django.apps import AppConfig


class FrontsConfig(AppConfig):
    name = "fronts"
    verbose_name = "Fronts"

    def ready(self):
        from articles import demo_steps, front_pages
        from newsroom import pagecache

        from . import demo, views

        for name in ("Front", "Zone", "Pick"):
            pagecache.register_public_model(self.get_model(name))
        # A pick's window edge is a scheduled change, like a teaser's.
        pagecache.register_schedule(self.get_model("Pick").objects.next_changes)
        front_pages.register("home", views.home_page)
        front_pages.register("section", views.section_page)
        demo_steps.register("fronts", demo.load_demo_fronts)
