"""A notice's body: Markdown rendered with Python-Markdown, then cleaned by nh3 (the Rust
`ammonia` sanitizer) against a whitelist, so raw HTML, scripts, event handlers and javascript:
links come out inert. Furigana is added to the text between the tags afterwards."""

import html
import re

import markdown
import nh3
from django.utils.safestring import mark_safe

from asahikawa.japanese import furigana_html

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "a", "blockquote", "hr", "code"}
ATTRIBUTES = {"a": {"href"}}
SCHEMES = {"http", "https", "mailto", "tel"}
_TAG = re.compile(r"(<[^>]+>)")


def render_markdown(text: str) -> str:
    """Markdown -> safe HTML. Raw HTML in the source is escaped (shown as text), never passed on."""
    source = html.escape(text or "", quote=False)  # raw HTML becomes text before Markdown sees it
    rendered = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)


def with_furigana(safe_html: str, overrides: dict | None = None) -> str:
    """Add <ruby> readings to the text of already safe HTML (the tags are kept as they are)."""
    parts = []
    for piece in _TAG.split(str(safe_html)):
        if not piece:
            continue
        if piece.startswith("<"):
            parts.append(piece)
        else:
            parts.append(furigana_html(html.unescape(piece), overrides))
    return mark_safe("".join(parts))
