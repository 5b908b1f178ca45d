"""Japanese text for every app: readings and furigana (SudachiPy with its core dictionary, on the
server, no web service) and the folding that lets a search ignore the script and width in which
a word was typed (jaconv).

- `fold("ﾍﾟｯﾄボトル")` == `fold("ぺっとぼとる")`: NFKC (full- and half-width), katakana as
  hiragana, lower case. Compare folded text with folded text.
- `reading("電池")` -> "でんち": the hiragana reading of a text.
- `search_key("電池", "でんち")`: what a search compares a name with: the name, the readings
  given and the name's own reading, folded, one per line (`search_key__contains=fold(query)`).
- `ruby_segments("旭川市の除雪")` -> [("旭川市", "あさひかわし"), ("の", None), ("除雪", "じょせつ")]:
  a reading only where the text has kanji, with the kana around the kanji (okurigana) left out of
  it ("食べる" -> ("食", "た"), ("べる", None)); `overrides` corrects a reading staff know better.
- `furigana_html(text)`: the same as HTML `<ruby>` (escaped; safe to mark safe).
"""
from __future__ import annotations

import re
import threading
import unicodedata

import jaconv
from django.utils.html import escape
from django.utils.safestring import mark_safe

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_local = threading.local()


def _tokenizer():
    """One SudachiPy tokenizer per thread (creating one loads the dictionary; they are not shared)."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary, SplitMode

        tokenizer = _local.tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    return tokenizer


def fold(text: str) -> str:
    """The text as a search compares it: width, script (katakana/hiragana) and case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    return jaconv.kata2hira(text).lower().strip()


def has_kanji(text: str) -> bool:
    return bool(_KANJI.search(text or ""))


def _morphemes(text: str):
    for morpheme in _tokenizer().tokenize(text):
        yield morpheme.surface(), jaconv.kata2hira(morpheme.reading_form())


def reading(text: str) -> str:
    """The whole text in hiragana (words the dictionary does not know keep their own letters)."""
    if not text:
        return ""
    return "".join(read if read else surface for surface, read in _morphemes(text))


def search_key(name: str, *readings: str) -> str:
    """The name, the readings staff gave and the name's reading from the dictionary, folded, one
    per line, without repeats: a stored field that `field__contains=fold(query)` searches."""
    parts = [fold(name), *(fold(text) for text in readings), fold(reading(name))]
    return "\n".join(dict.fromkeys(part for part in parts if part))


def _split_okurigana(surface: str, read: str) -> list[tuple[str, str | None]]:
    """("食べる", "たべる") -> [("食", "た"), ("べる", None)]: kana before and after the kanji
    carry no reading of their own."""
    surface_hira = jaconv.kata2hira(surface)
    start = 0
    while start < len(surface) and not has_kanji(surface[start]) and start < len(read) and surface_hira[start] == read[start]:
        start += 1
    end = 0
    while (end < len(surface) - start and not has_kanji(surface[-1 - end]) and end < len(read) - start
           and surface_hira[-1 - end] == read[-1 - end]):
        end += 1
    core = surface[start:len(surface) - end]
    core_reading = read[start:len(read) - end]
    parts = []
    if start:
        parts.append((surface[:start], None))
    parts.append((core, core_reading or None))
    if end:
        parts.append((surface[len(surface) - end:], None))
    return parts


def ruby_segments(text: str, overrides: dict[str, str] | None = None) -> list[tuple[str, str | None]]:
    """The text in pieces, each with its hiragana reading where it has kanji (else None).
    overrides: word -> reading, applied before the analyser (e.g. a place name it misreads)."""
    overrides = overrides or {}
    segments: list[tuple[str, str | None]] = []
    pattern = re.compile("|".join(re.escape(word) for word in sorted(overrides, key=len, reverse=True))) if overrides else None
    position = 0
    pieces = []
    if pattern:
        for match in pattern.finditer(text):
            pieces.append((text[position:match.start()], None))
            pieces.append((match.group(), overrides[match.group()]))
            position = match.end()
    pieces.append((text[position:], None))
    for piece, fixed in pieces:
        if not piece:
            continue
        if fixed is not None:
            segments.append((piece, fixed))
            continue
        for surface, read in _morphemes(piece):
            if has_kanji(surface) and read and read != jaconv.kata2hira(surface):
                segments.extend(_split_okurigana(surface, read))
            else:
                segments.append((surface, None))
    # Merge neighbouring pieces without a reading, so the HTML stays small.
    merged: list[tuple[str, str | None]] = []
    for surface, read in segments:
        if read is None and merged and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + surface, None)
        else:
            merged.append((surface, read))
    return merged


def furigana_html(text: str, overrides: dict[str, str] | None = None) -> str:
    """The text with <ruby> readings over its kanji, HTML-escaped."""
    html = []
    for surface, read in ruby_segments(text, overrides):
        if read is None:
            html.append(escape(surface))
        else:
            html.append(f"<ruby>{escape(surface)}<rp>(</rp><rt>{escape(read)}</rt><rp>)</rp></ruby>")
    return mark_safe("".join(html))
