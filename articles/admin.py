from django.contrib import admin
from django.utils import timezone

from .models import Article, Byline, Correction, RelatedTeaser, Section
from .teaser_admin import (
    RelatedTeaserInline,
    is_teaser_target_lookup,
    save_teaser_formset,
    teaser_targets,
)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "published_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "state", "publish_at", "modified_at"]
    list_filter = ["status", "section", "is_featured"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section"]
    date_hierarchy = "publish_at"
    inlines = [BylineInline, CorrectionInline, RelatedTeaserInline]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "dek", "body", "section", "tags"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        (
            "Publishing",
            {"fields": ["status", "publish_at", "unpublish_at", "updated_at", "is_featured"]},
        ),
        (
            "Search engines and sharing",
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description", "canonical_url"]},
        ),
    ]

    @admin.display(description="State")
    def state(self, obj):
        now = timezone.now()
        if obj.status != Article.Status.PUBLISHED:
            return obj.get_status_display()
        if obj.is_live(now):
            return "Live"
        return "Scheduled" if obj.publish_at > now else "Expired"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_teaser_target_lookup(request):
            queryset = teaser_targets(queryset)
        return queryset, may_have_duplicates

    def save_formset(self, request, form, formset, change):
        if formset.model is RelatedTeaser:
            return save_teaser_formset(request, formset)
        instances = formset.save(commit=False)
        for instance in instances:
            if hasattr(instance, "created_by_id") and instance.pk is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    search_fields = ["text", "article__headline"]
    date_hierarchy = "published_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
