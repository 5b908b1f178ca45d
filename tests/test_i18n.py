"""English is provided for every string of the portal (the source language is Japanese)."""
from pathlib import Path

import polib
import pytest
from django.test import Client

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_has_an_english_translation():
    po = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]
    assert not untranslated, "untranslated or fuzzy:\n" + "\n".join(untranslated)


@pytest.mark.django_db
def test_pages_answer_in_english_when_asked():
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
    assert "Asahikawa City Portal" in response.content.decode()
    assert "旭川市ポータル</h1>" in Client().get("/").content.decode()  # Japanese by default
