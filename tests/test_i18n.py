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


# --- Issue 8, finding 9: messages in the language of the page that shows them; the language menu ---

def _sign_in(client, user, **headers):
    from asahikawa.accounts.tests.factories import PASSWORD

    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True, **headers)


@pytest.mark.django_db
def test_an_english_browser_signing_in_to_a_japanese_account_sees_the_message_in_japanese(resident):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = _sign_in(client, resident).content.decode()  # the profile says Japanese (the default)
    assert '<html lang="ja">' in page
    assert f"ユーザー {resident.email} としてログインしました。" in page
    assert "Successfully signed in" not in page
    # Signing out: the message and the page after it stay in the account's language.
    page = client.post("/accounts/logout/", follow=True).content.decode()
    assert '<html lang="ja">' in page and "ログアウトしました。" in page and "You have signed out" not in page


@pytest.mark.django_db
def test_a_japanese_browser_signing_in_to_an_english_account_sees_the_message_in_english(resident):
    resident.profile.language = "en"
    resident.profile.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    page = _sign_in(client, resident).content.decode()
    assert '<html lang="en">' in page and f"Successfully signed in as {resident.email}." in page
    page = client.post("/accounts/logout/", follow=True).content.decode()
    assert '<html lang="en">' in page and "You have signed out." in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_language_menu_names_each_language_in_itself(language):
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    menu = page[page.index('id="language-select"'):]
    menu = menu[: menu.index("</select>")]
    assert '<option value="ja"' in menu and ">日本語</option>" in menu
    assert ">English</option>" in menu
    assert "英語" not in menu and "Japanese" not in menu


@pytest.mark.django_db
def test_the_layout_parts_rendered_once_per_language_follow_each_request_language():
    """The brand, language menu and footer are rendered once per process and language (issue 9):
    alternating languages, each page gets its own language's parts, the current language selected."""
    for language, other, footer in [("ja", "en", "個人情報の取扱い"), ("en", "ja", "Personal information"),
                                    ("ja", "en", "個人情報の取扱い"), ("en", "ja", "Personal information")]:
        page = Client().get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<option value="{language}" selected' in page
        assert f'<option value="{other}" selected' not in page
        footer_part = page[page.index('class="site-footer"'):]
        assert footer in footer_part
