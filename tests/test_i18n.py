"""English is provided for every string of the portal (the source language is Japanese)."""
from pathlib import Path

import polib
import pytest
from django.test import Client

from asahikawa.accounts.management.commands.compile_translations import po_files

ROOT = Path(__file__).resolve().parent.parent


def test_the_platform_and_each_app_with_its_own_strings_have_english():
    found = {str(path.relative_to(ROOT)) for path in po_files()}
    assert "locale/en/LC_MESSAGES/django.po" in found


@pytest.mark.parametrize("po_path", po_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_string_has_an_english_translation(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]
    assert not untranslated, "untranslated or fuzzy:\n" + "\n".join(untranslated)


@pytest.mark.django_db
def test_pages_answer_in_english_when_asked():
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
    assert "Asahikawa City Portal" in response.content.decode()
    assert "旭川市ポータル</h1>" in Client().get("/").content.decode()  # Japanese by default
