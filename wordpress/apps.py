from django.apps import AppConfig

# The query parameters of WordPress's plain addresses: a post, a page, an attachment, an archive.
QUERY_NAMES = ("p", "page_id", "attachment_id", "cat", "tag")


class WordpressConfig(AppConfig):
    name = "wordpress"
    label = "wordpress"
    verbose_name = "WordPress import"

    def ready(self):
        from newsroom import old_addresses, pagecache

        from . import old_links

        old_addresses.register_resolver(old_links.resolve, query_names=QUERY_NAMES)
        # An archive's redirect is public: the page cache starts afresh when one is written.
        pagecache.register_public_model(self.get_model("ArchiveRedirect"))
