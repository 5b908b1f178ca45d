from django import template
from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asahikawa import dates as eras
from asahikawa import money as formatting

register = template.Library()


@register.filter
def fiscal_year(year):
    """The one label of a fiscal year: 2023年度（令和5年度） / FY2023 (Reiwa 5)."""
    return "" if year in (None, "") else eras.fiscal_year_label(int(year))


@register.filter
def yen(amount):
    return "" if amount is None else formatting.yen(amount)


@register.filter
def number(value):
    """1234567 -> 1,234,567 in both languages: as humanize's intcomma, without its locale lookups per
    call (a list of rows calls it once per cell)."""
    return "" if value is None or value == "" else f"{int(value):,}"


@register.filter
def signed_number(value):
    """+1,200 / -300 / 0: points and differences."""
    return "" if value is None or value == "" else f"{int(value):+,}" if value else "0"


@register.filter
def local_minute(value):
    """A moment as the portal writes it in tables, in Asia/Tokyo: 2023-06-01 09:30. Language-neutral,
    so it skips the date filter's per-call format lookups."""
    return "" if value is None else timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@register.filter
def iso_day(value):
    """A date as 2023-06-01."""
    return "" if value is None else value.isoformat()


@register.filter
def oku_man(amount):
    return "" if amount is None else formatting.oku_man(amount)


@register.filter
def signed_oku_man(amount):
    return "" if amount is None else formatting.signed_oku_man(amount)


@register.filter
def signed_yen(amount):
    return "" if amount is None else formatting.signed_yen(amount)


@register.simple_tag
def amount(value, signed=False):
    """The amount as the city writes it, with the exact yen on hover and for machines (<data value>)."""
    if value is None:
        return ""
    short = formatting.signed_oku_man(value) if signed else formatting.oku_man(value)
    exact = formatting.signed_yen(value) if signed else formatting.yen(value)
    return format_html('<data value="{}" title="{}">{}</data>', int(value), exact, short)


@register.simple_tag
def percent(part, whole):
    return formatting.percent(part or 0, whole or 0)


@register.inclusion_tag("includes/area_nav.html", takes_context=True)
def area_nav(context, app_label):
    """The app's own navigation (its AppConfig's area_nav), the page of context["nav"] marked current."""
    config = apps.get_app_config(app_label)
    current = context.get("nav")
    links = [{"url": reverse(link.url_name), "title": link.title, "current": link.key == current} for link in config.area_nav]
    return {"label": config.verbose_name, "links": links}


@register.inclusion_tag("includes/global_nav.html", takes_context=True)
def global_nav(context):
    """The header's global navigation: home, then each area at its first live service, the area
    of the current page marked (its path under one of the area's services)."""
    from asahikawa.areas import nav_areas

    request = context.get("request")
    path = request.path if request is not None else ""
    home = reverse("home")
    links = [{"url": home, "title": _("ホーム"), "current": "page" if path == home else ""}]
    for first, title, urls in nav_areas():
        links.append({"url": first, "title": title, "current": "true" if path.startswith(urls) else ""})
    return {"links": links}


@register.simple_tag
def home_areas():
    """The services by area (asahikawa.areas.home_areas), for includes/service_areas.html."""
    from asahikawa.areas import home_areas

    return home_areas()


# Parts of the layout that depend on the language only (the header's brand, the language choices,
# the footer): every page shows them, so each process renders them once per language.
_language_fragments: dict[tuple[str, str], str] = {}


@register.simple_tag
def language_fragment(template_name):
    """{% language_fragment "includes/footer.html" %}: the template rendered without context (it may
    use only the active language), once per process and language; with DEBUG, on every page, so
    that template edits show at once."""
    key = (template_name, get_language())
    html = _language_fragments.get(key)
    if html is None:
        html = mark_safe(render_to_string(template_name))
        if not settings.DEBUG:
            _language_fragments[key] = html
    return html


@receiver(setting_changed)
def _forget_fragments(*, setting, **kwargs):
    if setting in ("LANGUAGES", "INSTALLED_APPS", "TEMPLATES", "ROOT_URLCONF", "STORAGES", "STATIC_URL"):
        _language_fragments.clear()
