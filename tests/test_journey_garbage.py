"""Browser journey of the garbage calendar on a phone-sized window: find the area, pick the
district, see tomorrow, search an item, the subscribe link; the reminder for a signed-in resident;
every page usable at phone and desktop sizes and axe-clean, in Japanese and in English.
(GARBAGE_SCREENSHOTS=/some/dir saves a screenshot of each page for a person to look at.)"""
import datetime
import io
import os

import pytest
from django.utils import timezone

from conftest import PHONE, assert_usable, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    folder = os.environ.get("GARBAGE_SCREENSHOTS")
    if folder:
        for label, size in (("phone", PHONE), ("desktop", {"width": 1280, "height": 900})):
            page.set_viewport_size(size)
            page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
        page.set_viewport_size(PHONE)


@pytest.fixture
def demo(transactional_db):
    from asahikawa.accounts.demo import DISTRICTS
    from asahikawa.accounts.models import District
    from community.garbage import demo

    for code, name in DISTRICTS:
        District.objects.get_or_create(code=code, defaults={"name": name, "is_sample": True})
    demo.load(io.StringIO())


def tomorrows_names(code):
    from community.garbage import schedule
    from community.garbage.models import Category, CollectionDistrict

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    district = CollectionDistrict.objects.get(code=code)
    names = dict(Category.objects.values_list("pk", "name"))
    return [names[c.category_id] for c in schedule.on_day([district], tomorrow)[district.pk]]


def test_pick_a_district_see_tomorrow_search_and_subscribe(page, demo):
    page.set_viewport_size(PHONE)
    page.goto("/community/garbage/")
    assert_usable(page)
    shot(page, "home")
    page.get_by_label("地名から探す").fill("永山")
    page.get_by_role("button", name="探す", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="永山3条1〜10丁目（収集地区 3-A）").click()
    page.wait_for_url("**/community/garbage/d/3-a/")
    tomorrow = page.locator("#tomorrow").inner_text()
    expected = tomorrows_names("3-a")
    assert all(name in tomorrow for name in expected) and (expected or "収集はありません" in tomorrow)
    link = page.locator("#webcal-link")
    assert link.get_attribute("href").startswith("webcal://") and link.get_attribute("href").endswith("/community/garbage/3-a.ics")
    assert_usable(page)
    shot(page, "district")

    page.get_by_label("燃やせないごみ").check()
    page.get_by_label("前日の19時に通知する（カレンダーアプリのアラーム）").check()
    page.get_by_role("button", name="登録用のリンクを作る").click()
    page.wait_for_load_state()
    assert page.locator("#webcal-link").get_attribute("href").endswith("3-a.ics?categories=non-burnable&alarm=1")

    page.goto("/community/garbage/")  # remembered
    assert "収集地区 3-A" in page.locator("main").inner_text()

    page.get_by_role("link", name="分別を調べる").first.click()
    page.get_by_label("品目の名前").fill("でんち")
    page.get_by_role("button", name="調べる").click()
    page.wait_for_load_state()
    result = page.locator(".results").inner_text()
    assert "乾電池" in result and "燃やせないごみ" in result
    assert_usable(page)
    shot(page, "search")

    page.goto("/community/garbage/d/3-a/month/")
    assert page.locator("table.month-grid").count() == 1
    assert_usable(page)
    shot(page, "month")
    page.goto(f"/community/garbage/d/3-a/{timezone.localdate().year - (timezone.localdate().month < 4)}/")
    assert_usable(page)
    shot(page, "year")


def test_the_pages_in_english(chromium_browser, live_server, demo):
    context = chromium_browser.new_context(locale="en-US", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto("/community/garbage/d/3-a/")
        assert "Tomorrow" in page.locator("#tomorrow").inner_text()
        assert "Subscribe in my calendar app" in page.locator("main").inner_text()
        assert_usable(page)
        shot(page, "district-en")
        page.goto("/community/garbage/search/?q=ぺっと")
        assert "PET" in page.locator(".results").inner_text() or "ペットボトル" in page.locator(".results").inner_text()
        assert_usable(page)
        page.goto("/community/garbage/d/3-a/month/")
        assert_usable(page)
        page.goto("/community/garbage/")
        assert_usable(page)
    finally:
        context.close()


def test_a_resident_switches_the_reminder_on(page, demo, resident):
    from asahikawa.notifications.models import NotificationPreference

    login_in_browser(page, resident)
    page.set_viewport_size(PHONE)
    page.goto("/community/garbage/d/3-a/")
    page.get_by_role("button", name="この地区を自分の収集地区にする").click()
    page.wait_for_url("**/community/garbage/d/3-a/")
    page.get_by_role("button", name="リマインダーを受け取る").click()
    page.wait_for_load_state()
    assert "19時" in page.locator(".messages").inner_text()
    assert NotificationPreference.objects.get(user=resident, kind="garbage_reminder").channel == "email"
    assert_usable(page)
    page.goto("/dashboard/")
    assert "3-A" in page.locator("#garbage-panel-heading + p").inner_text()
    assert_usable(page)
