from django.apps import AppConfig
from django.core.signals import request_finished


class ContentConfig(AppConfig):
    """The building blocks stories and authors share: text fields, the Markdown pipeline, pictures.

    It has no models and imports neither ``articles`` nor ``authors``; both build on it.
    """

    name = "content"
    verbose_name = "Content building blocks"

    def ready(self):
        from . import image_files

        # Pictures stored for a request that saved nothing (a preview, a failed save) go again.
        request_finished.connect(image_files.settle, dispatch_uid="content.image_files.settle")
