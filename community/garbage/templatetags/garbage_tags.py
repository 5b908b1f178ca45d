"""{% load garbage_tags %}: a category's mark (its shape, colour and letter: never colour alone),
its name in the active language, and an item's name with its furigana."""
from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from asahikawa.japanese import has_kanji

register = template.Library()

SHAPES = {
    "circle": '<circle cx="12" cy="12" r="11"/>',
    "square": '<rect x="1.5" y="1.5" width="21" height="21" rx="3"/>',
    "diamond": '<polygon points="12,0.8 23.2,12 12,23.2 0.8,12"/>',
    "triangle": '<polygon points="12,1 23.4,22.5 0.6,22.5"/>',
    "hexagon": '<polygon points="6.5,1.5 17.5,1.5 23,12 17.5,22.5 6.5,22.5 1,12"/>',
}


@register.simple_tag
def category_mark(category, size="md"):
    """The category's shape filled with its colour, its letter on it (decorative: the name is
    always written beside it or in a visually hidden label)."""
    from django.utils.safestring import mark_safe

    shape = SHAPES.get(category.shape, SHAPES["circle"])
    baseline = "18" if category.shape == "triangle" else "16.6"
    return format_html(
        '<svg class="mark mark-{}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        '<g fill="{}" stroke="#1a1a1a" stroke-width="1.2">{}</g>'
        '<text x="12" y="{}" text-anchor="middle" font-size="{}" font-weight="700" fill="{}">{}</text></svg>',
        size, category.colour, mark_safe(shape), baseline, "11" if category.shape == "triangle" else "13",
        category.ink, category.letter,
    )


@register.filter
def localized_name(category):
    if (get_language() or "").startswith("en") and category.name_en:
        return category.name_en
    return category.name


@register.simple_tag
def item_name(item):
    """The item's name, with its furigana as <ruby> where the data gives a reading (5374 files
    often give only the first kana, as a group label: that is not shown over the name)."""
    if item.furigana and len(item.furigana.strip()) > 1 and has_kanji(item.name):
        return format_html("<ruby>{}<rp>(</rp><rt>{}</rt><rp>)</rp></ruby>", item.name, item.furigana.strip())
    return item.name


@register.filter
def day_label(day):
    """4月5日（水） / Wed, April 5."""
    from django.utils import dateformat
    from django.utils.translation import gettext

    return dateformat.format(day, gettext("n月j日（D）")) if day else ""


@register.filter
def month_label(day):
    """2023年4月 / April 2023."""
    from django.utils import dateformat
    from django.utils.translation import gettext

    return dateformat.format(day, gettext("Y年n月")) if day else ""


@register.filter
def fiscal_year_of(day):
    from asahikawa.dates import fiscal_year_of as of

    return of(day)
