"""Shared fixtures: one user per role, so every permission test reads the same, and the
markers for tests that need PostgreSQL, Redis or a browser (skipped without them; in CI,
where REQUIRE_SERVICES=1, a missing one fails the run instead)."""
import itertools
import os
import shutil

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from asahikawa.accounts.tests.factories import AssociationFactory, HelperAgencyFactory, UserFactory, with_totp
from asahikawa.testing import FIXED_NOW, body_text, this_morning  # noqa: F401 (body_text: `from conftest import body_text`)

_staff_numbers = itertools.count(1)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing(marker):
    if marker == "postgres":
        engine = settings.DATABASES["default"]["ENGINE"]
        return None if "postgresql" in engine else "needs PostgreSQL: set DATABASE_URL"
    if marker == "redis":
        return None if settings.REDIS_URL else "needs Redis: set REDIS_URL"
    if marker == "browser":
        return None if shutil.which(CHROMIUM) else f"needs Chromium at {CHROMIUM}"
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if marker in item.keywords and (reason := _missing(marker)):
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database rolls back after a test, the cache does not,
    and a page cached by one test (budget/caching.py) must not answer in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def resident(db):
    return UserFactory(email="resident@example.jp")


@pytest.fixture
def other_resident(db):
    return UserFactory(email="neighbor@example.jp")


@pytest.fixture
def association(db):
    return AssociationFactory()


@pytest.fixture
def officer(db, association):
    user = UserFactory(email="officer@example.jp")
    user.profile.officer_of = user.profile.association = association
    user.profile.save()
    return user


@pytest.fixture
def agency(db):
    return HelperAgencyFactory()


@pytest.fixture
def agency_user(db, agency):
    user = UserFactory(email="agency@example.jp")
    user.profile.agency = agency
    user.profile.save()
    return user


@pytest.fixture
def make_staff(db):
    """make_staff("finance") -> a staff user of that department, with TOTP."""

    def make(*departments, totp=True):
        user = UserFactory(email=f"staff-{'-'.join(departments) or 'none'}-{next(_staff_numbers)}@example.jp",
                           departments=list(departments))
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return with_totp(user) if totp else user

    return make


@pytest.fixture
def fixed_now():
    """The clock at asahikawa.testing.FIXED_NOW (and running on from there): TODAY, YESTERDAY and
    days_ago() of asahikawa.testing are the portal's today, yesterday... whenever the test runs."""
    with time_machine.travel(FIXED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def browser_clock():
    """The clock at 10:00 of the real day (running on), for browser tests: the day cannot change
    during the test, and the browser's cookies, which expire by its own clock, stay valid."""
    with time_machine.travel(this_morning(), tick=True) as traveller:
        yield traveller


def client_for(user):
    """A test client signed in as user (None: anonymous)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def api_client_for():
    """api_client_for(user) -> an APIClient signed in as the app is (a device token), or anonymous for None."""
    from rest_framework.test import APIClient

    from asahikawa.accounts.devices import device_sign_in

    def make(user):
        client = APIClient()
        if user is not None:
            _, key = device_sign_in(user=user, name="test client")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


# --- Browser (Playwright driving Debian's Chromium; never a downloaded browser) ---
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def chromium_browser():
    if _missing("browser"):
        pytest.skip(_missing("browser"))
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # sync Playwright beside live_server's thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    """A Japanese-locale browser tab whose relative URLs go to the live test server."""
    context = chromium_browser.new_context(locale="ja-JP", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def login_in_browser(page, user, password=None):
    """Sign in through the real sign-in form."""
    from asahikawa.accounts.tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password or PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_accessible(page):
    """axe-core (shipped inside axe-playwright-python, runs offline) finds no WCAG 2.x A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# What a resident on a phone needs of any page: nothing wider than the window, no text under
# 12 px, buttons and form controls (or the label that wraps a checkbox) at least 44 px high and wide.
_USABILITY_JS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) problems.push(`page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const name = (el) => `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}${el.className && typeof el.className === 'string' ? ' class="' + el.className + '"' : ''}> "${(el.textContent || el.value || '').trim().slice(0, 30)}"`;
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || seen.has(el) || !walker.currentNode.textContent.trim() || el.closest('svg')) continue;
    seen.add(el);
    if (visible(el) && parseFloat(getComputedStyle(el).fontSize) < 12) problems.push(`text under 12px: ${name(el)}`);
  }
  for (const el of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, [role=button], a.button')) {
    if (!visible(el)) continue;
    let box = el.getBoundingClientRect();
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) box = label.getBoundingClientRect();
    }
    if (box.height < 43.5 || box.width < 43.5) problems.push(`touch target ${Math.round(box.width)}x${Math.round(box.height)}px: ${name(el)}`);
  }
  return problems;
}"""


def artifacts_dir():
    """Where browser tests save screenshots for a person to look at: $PORTAL_ARTIFACTS, by default
    .var/artifacts (not committed)."""
    folder = os.environ.get("PORTAL_ARTIFACTS") or os.path.join(settings.BASE_DIR, ".var", "artifacts")
    os.makedirs(folder, exist_ok=True)
    return folder


def assert_usable(page, *, sizes=(PHONE, DESKTOP), axe=True, screenshot=None):
    """At each window size (a phone, a desktop): no sideways scrolling of the page, no text under
    12 px, touch targets of at least 44 px; and axe finds no WCAG 2.x A/AA violation.
    screenshot="home" also saves the whole page at each size as <artifacts>/home-390.png ..."""
    original = page.viewport_size
    try:
        for size in sizes:
            page.set_viewport_size(size)
            problems = page.evaluate(_USABILITY_JS)
            assert not problems, f"{page.url} at {size['width']}px:\n" + "\n".join(problems)
            if axe:
                assert_accessible(page)
            if screenshot:
                page.screenshot(path=os.path.join(artifacts_dir(), f"{screenshot}-{size['width']}.png"), full_page=True)
    finally:
        page.set_viewport_size(original)
