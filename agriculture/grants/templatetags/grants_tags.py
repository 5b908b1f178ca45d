"""{% load grants_tags %}: the サンプル label of invented program values, the formula in words."""
from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asahikawa import money

from ..models import Status

register = template.Library()


@register.simple_tag
def sample(program, key):
    """The サンプル label beside a value the newsletter does not give (program.sample_values)."""
    if program.is_sample_value(key):
        return format_html('<span class="tag tag-sample">{}</span>', _("サンプル"))
    return ""


@register.filter
def rate(program):
    return _("対象経費の%(numerator)s/%(denominator)s") % {
        "numerator": program.rate_numerator, "denominator": program.rate_denominator
    }


@register.filter
def combined(program):
    if not program.combines:
        return ""
    return _("国の補助と合わせて対象経費の%(numerator)s/%(denominator)sまで") % {
        "numerator": program.combined_numerator, "denominator": program.combined_denominator
    }


@register.filter
def rounding(program):
    if program.rounding_unit <= 1:
        return _("1円未満切り捨て")
    return _("%(unit)s未満切り捨て") % {"unit": money.yen(program.rounding_unit)}


@register.filter
def status_label(value):
    try:
        return Status(value).label
    except ValueError:
        return value


@register.simple_tag
def status_tag(status):
    """The status as a tag (its colour class by status; the text says it, not the colour alone)."""
    return format_html('<span class="tag status status-{}">{}</span>', status, status_label(status))


PHASE_LABELS = {"before": gettext_lazy("受付前"), "open": gettext_lazy("受付中"), "closed": gettext_lazy("受付終了")}


@register.filter
def phase_label(program):
    return str(PHASE_LABELS[program.phase()])
