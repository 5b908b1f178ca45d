"""An Atom feed of the public notices of one category (Django's syndication framework), for the
city's web site and news readers."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .markup import render_markdown
from .models import Category


class CategoryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, category):
        if category not in Category.values:
            raise Http404
        return Category(category)

    def title(self, obj):
        return _("旭川市 暮らしのお知らせ：%(category)s") % {"category": obj.label}

    def link(self, obj):
        return reverse("notices:index") + f"?category={obj.value}"

    def subtitle(self, obj):
        return _("旭川市ポータルの公開のお知らせ（%(category)s）") % {"category": obj.label}

    def items(self, obj):
        return selectors.public_notices(obj.value)[:50]

    def item_title(self, item):
        return f"【{_('緊急')}】{item.title}" if item.urgent else item.title

    def item_description(self, item):
        return str(render_markdown(item.body))

    def item_link(self, item):
        return reverse("notices:detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.get_category_display()]
