from django.urls import path, register_converter

from . import views


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class UnicodeSlugConverter:
    # Tag slugs keep letters outside ASCII (taggit's default), e.g. "zürich".
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TwoDigitConverter, "dd")
register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/<dd:month>/<dd:day>/<slug:slug>/", views.article_detail, name="detail"),
    path("sections/<slug:slug>/", views.section_detail, name="section"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", views.search, name="search"),
]
