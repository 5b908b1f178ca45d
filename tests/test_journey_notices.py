"""Browser journey of issue 12: staff publish an urgent district notice; a resident of that district
sees the banner on a phone and opens it (with furigana); a resident of another district does not
see it; staff see the reach figures. Every page of the notices is usable (phone and desktop,
axe-clean) in Japanese and in English."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import PHONE, assert_usable, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/notices-shots")


def new_context(chromium_browser, live_server, user, language="ja"):
    context = chromium_browser.new_context(
        locale="ja-JP" if language == "ja" else "en-US",
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    if user is not None:
        user.profile.language = language
        user.profile.save()
        if user.is_staff:  # staff sign in with TOTP (tests/test_journey_accounts.py): here, their session
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "url": live_server.url,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    }
                ]
            )
        else:
            login_in_browser(page, user)
    return context, page


@pytest.fixture
def districts(resident, other_resident):
    from asahikawa.accounts.tests.factories import DistrictFactory, UserFactory

    nagayama, kagura = DistrictFactory(name="永山"), DistrictFactory(name="神楽")
    for user, district in ((resident, nagayama), (other_resident, kagura)):
        user.profile.district = district
        user.profile.birth_year = 1985
        user.profile.save()
    for _ in range(5):  # neighbours, so that the reach figures are shown (not "<5")
        neighbour = UserFactory()
        neighbour.profile.district = nagayama
        neighbour.profile.save()
    return nagayama, kagura


def test_staff_publish_urgent_notice_resident_sees_banner_and_opens_staff_see_reach(
    chromium_browser, live_server, make_staff, resident, other_resident, districts
):
    from community.notices.models import Notice, Open

    SHOTS.mkdir(exist_ok=True)
    nagayama, _kagura = districts
    staff, page = new_context(chromium_browser, live_server, make_staff("community"))
    page.goto("/community/notices/staff/new/")
    assert_usable(page)
    page.select_option("#id_category", "snow")
    page.fill("#id_title", "永山地区で今夜排雪します")
    page.fill("#id_body", "今夜22時から**排雪作業**を行います。道路に車を止めないでください。")
    page.fill("#id_easy_title", "こんや ゆきを はこびます")
    page.fill("#id_easy_body", "こんや 10じから、みちの ゆきを はこびます。くるまを みちに とめないで ください。")
    page.check("#id_urgent")
    page.check(f"input[name=districts][value='{nagayama.pk}']")
    page.click("form.notice-form button[type=submit]")
    page.wait_for_url("**/community/notices/staff/*/")
    notice = Notice.objects.get(title="永山地区で今夜排雪します")
    assert notice.published_at is not None and notice.urgent
    assert page.locator("#reach-targeted").inner_text() == "6"
    assert page.locator("#reach-opened").inner_text() == "<5"

    # the resident of 永山, on a phone: the banner first on the home page, then the notice
    phone, tab = new_context(chromium_browser, live_server, resident)
    tab.set_viewport_size(PHONE)
    tab.goto("/")
    banner = tab.locator(".notice-banner")
    assert banner.count() == 1
    tab.screenshot(path=str(SHOTS / "home-banner-phone.png"), full_page=False)
    assert_usable(tab)
    banner.click()
    tab.wait_for_url(f"**/community/notices/{notice.pk}/")
    assert "排雪作業" in tab.locator("#notice-body").inner_text()
    tab.check("input[name=ruby][value='1']")
    tab.click("#reader-apply")
    tab.wait_for_load_state()
    assert tab.locator("#notice-body ruby").count() > 0
    tab.check("input[name=easy][value='1']")
    tab.click("#reader-apply")
    tab.wait_for_load_state()
    assert "ゆきを はこびます" in tab.locator("#notice-body").inner_text()
    tab.screenshot(path=str(SHOTS / "notice-easy-furigana-phone.png"), full_page=True)
    assert_usable(tab)
    phone.close()
    assert Open.objects.filter(notice=notice, user=resident).exists()

    # the resident of 神楽 sees no banner and cannot open it
    other, other_tab = new_context(chromium_browser, live_server, other_resident)
    other_tab.goto("/")
    assert other_tab.locator(".notice-banner").count() == 0
    assert "永山地区で今夜排雪します" not in other_tab.locator("main").inner_text()
    assert other_tab.goto(f"/community/notices/{notice.pk}/").status == 404
    other.close()

    # staff see the reach figures: 6 targeted, 6 delivered, 1 opened (shown as "<5")
    page.reload()
    assert page.locator("#reach-targeted").inner_text() == "6"
    assert page.locator("#reach-delivered").inner_text() == "6"
    assert page.locator("#reach-opened").inner_text() == "<5"
    assert "永山" in page.locator("#reach-districts").inner_text()
    assert page.locator("#chart-opens").count() == 1
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / "reach-phone.png"), full_page=True)
    assert_usable(page)
    staff.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_is_usable_in_japanese_and_english(
    chromium_browser, live_server, make_staff, resident, districts, language
):
    from community.notices import services
    from community.notices.tests.factories import notice

    nagayama, _kagura = districts
    urgent = notice(
        title="排雪のお知らせ",
        urgent=True,
        district_ids=[nagayama.pk],
        public=True,
        easy_title="ゆきを はこびます",
        easy_body="こんや ゆきを はこびます。",
        title_en="Snow hauling",
        body_en="Snow is hauled tonight.",
    )
    ordinary = notice(
        title="健診のお知らせ", category="health", everyone=True, body="## 健診\n\n- 40歳から\n- 74歳まで"
    )
    draft = notice(title="予定のお知らせ", publish=False, everyone=True)
    services.reading_save(word="永山", reading="ながやま")

    pages = {
        None: ["/", "/community/notices/", f"/community/notices/{urgent.pk}/"],
        resident: [
            "/",
            "/dashboard/",
            "/community/notices/",
            f"/community/notices/{urgent.pk}/?ruby=1&easy=1",
            f"/community/notices/{ordinary.pk}/?ruby=1",
        ],
        make_staff("community"): [
            "/community/notices/staff/",
            "/community/notices/staff/new/",
            f"/community/notices/staff/{urgent.pk}/",
            f"/community/notices/staff/{draft.pk}/edit/",
            f"/community/notices/staff/compare/?ids={urgent.pk}&ids={ordinary.pk}",
            "/community/notices/staff/readings/?text=永山の除雪",
        ],
    }
    for user, urls in pages.items():
        context, page = new_context(chromium_browser, live_server, user, language)
        if user is None and language == "en":
            page.goto("/")
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            if user is not None:
                assert page.locator("html").get_attribute("lang") == language
            assert_usable(page)
        context.close()
