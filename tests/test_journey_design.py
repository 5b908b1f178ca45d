"""Issue 10: every page a resident meets first, at 390 x 844 and 1280 x 900: no sideways scrolling,
no text under 12 px, touch targets of at least 44 px, axe clean (conftest.assert_usable); screenshots
of the home, budget and wellness pages at both sizes saved under $PORTAL_ARTIFACTS (default
.var/artifacts). Also the print stylesheet and the API docs."""

from importlib import import_module

import pytest

from conftest import assert_accessible, assert_usable, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many lines the first text of an element takes (one rect per line of a text node's range).
_LINES_OF_FIRST_TEXT = """e => {
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (!walker.currentNode.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(walker.currentNode);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  }
  return 0;
}"""


@pytest.fixture
def budget_figures(transactional_db):
    from django.apps import apps

    from budget.models import FiscalYear

    if not FiscalYear.objects.filter(year=2023).exists():
        import_module("budget.migrations.0002_fy2023_newsletter_figures").forwards(apps, None)


def test_public_pages_fit_a_phone_and_a_desktop(page, budget_figures):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("navigation", name="サービスの分野").get_by_role("link", name="市の財政").count() == 1
    assert "0166-26-1111" in page.locator("main").inner_text()  # the city's contact, labelled sample
    assert "サンプル" in page.locator(".contact-card").inner_text()
    assert_usable(page, screenshot="home")

    page.goto("/budget/")
    current = page.get_by_role("navigation", name="サービスの分野").locator("[aria-current]")
    assert current.inner_text() == "市の財政"
    assert_usable(page, screenshot="budget")
    # On a phone an amount never wraps inside its cell, and the first column stays in view.
    page.set_viewport_size({"width": 360, "height": 740})
    cells = page.locator(".table-scroll td.num")
    assert cells.count() > 0
    for index in range(min(cells.count(), 20)):
        cell = cells.nth(index)
        if cell.inner_text().strip():
            lines = cell.evaluate(_LINES_OF_FIRST_TEXT)
            assert lines == 1, f"{cell.inner_text()!r} wraps on {lines} lines"
    first = page.locator(".table-scroll").first
    assert first.locator("tr > :first-child").first.evaluate("e => getComputedStyle(e).position") == "sticky"
    for url in (
        "/budget/years/",
        "/budget/2023/purpose/03/",
        "/budget/calculator/?mode=tax&amount=50000&year=2023",
        "/budget/data/",
    ):
        page.goto(url)
        assert_usable(page)

    for url in ("/privacy/", "/community/garbage/", "/grants/"):
        page.goto(url)
        assert_usable(page)

    # The same in English (longer words in the header and the navigation).
    page.goto("/")
    page.select_option("#language-select", "en")
    page.locator(".language-form button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".footer-title").first.inner_text() == "Asahikawa City Portal"
    assert_usable(page, screenshot="home-en")
    page.goto("/budget/")
    assert_usable(page)


def test_sign_in_and_sign_up_pages(page):
    page.goto("/accounts/signup/")
    main = page.locator("main").inner_text()
    assert "パスワードは最低 10 文字以上必要です" in main  # the rules are on the page before typing
    password = page.locator("#id_password1")
    rules = page.locator("#id_password1_helptext")
    assert rules.bounding_box()["y"] < password.bounding_box()["y"]
    policy = page.get_by_role("region", name="登録の前にお読みください")  # the policy, readable in place
    assert "要配慮個人情報" in policy.inner_text()
    assert "(" not in page.locator("main label").all_inner_texts()[2]  # full-width 「（」 in Japanese labels
    assert_usable(page)
    page.get_by_role("button", name="登録する").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert "入力内容を確認してください" in summary.inner_text()
    assert summary.get_by_role("link").count() >= 3  # one per field in error, each to its field
    assert_usable(page)

    page.fill("#id_email", "new-resident@example.jp")
    page.fill("#id_password1", "snow-in-kamikawa-2023")
    page.fill("#id_password2", "snow-in-kamikawa-2023")
    page.check("#id_privacy_consent")
    page.get_by_role("button", name="登録する").click()
    page.wait_for_load_state()
    assert "確認のメールを送りました" in page.locator("main").inner_text()  # email confirmation, next step
    assert_usable(page)

    for url in ("/accounts/login/", "/accounts/password/reset/"):
        page.goto(url)
        assert ":" not in " ".join(page.locator("main label").all_inner_texts())  # no half-width colon
        assert "?" not in page.locator("main").inner_text()
        assert_usable(page)
    page.fill("#id_email", "new-resident@example.jp")
    page.get_by_role("button", name="再設定のメールを送る").click()
    page.wait_for_url("**/accounts/password/reset/done/")
    assert "メールを送りました" in page.locator("main").inner_text()
    assert_usable(page)


def test_signed_in_home_dashboard_wellness_and_account_pages(browser_clock, page, resident):
    login_in_browser(page, resident)
    page.goto("/")
    assert page.get_by_role("heading", name="スマートウエルネス").count() >= 1  # the dashboard's panels
    assert_usable(page)
    page.goto("/wellness/")
    assert_usable(page, screenshot="wellness")
    page.check("#agree")
    page.click("text=同意して始める")
    page.wait_for_url("**/wellness/records/")
    assert_usable(page, screenshot="wellness-records")
    for url in (
        "/dashboard/",
        "/accounts/profile/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate",
        "/accounts/email/",
        "/accounts/devices/",
        "/notifications/",
    ):
        page.goto(url)
        assert_usable(page)


def test_print_hides_navigation_and_prints_the_address(page):
    page.goto("/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".global-nav").is_hidden()
    url = page.locator(".print-url")
    assert url.is_visible() and url.inner_text().endswith("/")
    assert url.inner_text().startswith("http")
    page.emulate_media(media="screen")
    assert url.is_hidden() and page.locator(".site-header").is_visible()


def test_api_docs_declare_their_language_and_pass_axe(page):
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-summary")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".opblock-summary a[href]").count() == 0  # no link nested in an operation's button
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
