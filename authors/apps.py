from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "authors"
    verbose_name = "Authors"

    def ready(self):
        from newsroom import pagecache

        pagecache.register_public_model(self.get_model("Author"))
