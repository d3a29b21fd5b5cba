"""An author's page lists their stories, so it lives with the stories (``authors`` is a leaf)."""

from django.shortcuts import get_object_or_404, render

from authors.models import Author
from newsroom.pagecache import reads_query

from .models import Article
from .views import PAGE_QUERY, paginate


@reads_query(*PAGE_QUERY)
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug, is_active=True)
    stories = Article.objects.live().for_listing().by_author(author)
    page = paginate(request, stories)
    return render(request, "authors/author_detail.html", {"author": author, "page": page})
