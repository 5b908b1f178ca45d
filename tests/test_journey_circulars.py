"""Browser journey of issue 11: an officer posts a circular with a question, a resident opens and
answers it on a phone-sized window, the officer sees the receipt and exports the CSV. Every page
of the circular board is usable (phone and desktop, axe-clean) in Japanese and in English."""
import csv
import io

import pytest
from django.conf import settings
from django.test import Client

from conftest import PHONE, assert_usable, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(officer, association, resident):
    from community.circulars.tests.factories import GroupFactory, HouseholdFactory, member

    group = GroupFactory(association=association, name="1班")
    member(resident, HouseholdFactory(group=group, name="旭川"))
    HouseholdFactory(group=group, name="紙谷", paper_only=True)
    return group


def new_context(chromium_browser, live_server, user, language="ja"):
    context = chromium_browser.new_context(locale="ja-JP" if language == "ja" else "en-US", base_url=live_server.url,
                                           viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    if user is not None:
        user.profile.language = language
        user.profile.save()
        if user.is_staff:  # staff sign in with TOTP (tests/test_journey_accounts.py): here, their session
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        else:
            login_in_browser(page, user)
    return context, page


def test_officer_posts_resident_answers_on_a_phone_officer_sees_and_exports(chromium_browser, live_server, officer,
                                                                            association, resident, town):
    from community.circulars.models import Circular, Receipt

    context, page = new_context(chromium_browser, live_server, officer)
    page.goto(f"/community/circulars/manage/{association.pk}/new/")
    assert_usable(page)
    page.fill("#id_title", "防災訓練のお知らせ")
    page.fill("#id_body", "9月1日の朝9時から、公園で防災訓練を行います。")
    page.check("input[name=question][value=attendance]")
    page.fill("#id_question_text", "訓練に参加しますか")
    page.set_input_files("#id_attachments", files=[{"name": "地図.pdf", "mimeType": "application/pdf",
                                                    "buffer": b"%PDF-1.4\n%%EOF\n"}])
    page.click("form.circular-form button[type=submit]")
    page.wait_for_url("**/manage/circulars/**")
    circular = Circular.objects.get(title="防災訓練のお知らせ")
    assert page.locator("#progress-figure").inner_text() == "0 / 2 世帯 既読"
    assert_usable(page)

    # the resident, on a phone
    phone, tab = new_context(chromium_browser, live_server, resident)
    tab.set_viewport_size(PHONE)
    tab.goto("/community/circulars/")
    assert "防災訓練のお知らせ" in tab.locator(".circular-list li.unread").inner_text()
    assert_usable(tab)
    tab.click("text=防災訓練のお知らせ")
    tab.wait_for_url(f"**/community/circulars/{circular.pk}/")
    assert "既読を記録しました" in tab.locator("#receipt-status").inner_text()
    assert_usable(tab)
    tab.check("input[name=answer][value=attend]")
    tab.fill("#id_head_count", "2")
    tab.click("section.answer button[type=submit]")
    tab.wait_for_load_state()
    assert "回答を送りました" in tab.locator(".messages").inner_text()
    assert "出席" in tab.locator("#answer-status").inner_text()
    assert_usable(tab)
    phone.close()

    receipt = Receipt.objects.get(circular=circular, household__name="旭川")
    assert receipt.read_by == resident and receipt.answer == "attend" and receipt.head_count == 2

    page.reload()
    assert page.locator("#progress-figure").inner_text() == "1 / 2 世帯 既読"
    assert "出席" in page.locator("#answer-totals").inner_text()
    # the paper household, ticked by hand
    page.check("#households input[name=household]")
    page.click("text=チェックした世帯を紙で既読として記録")
    page.wait_for_load_state()
    assert page.locator("#progress-figure").inner_text() == "2 / 2 世帯 既読"
    with page.expect_download() as download_info:
        page.click("text=CSVで出力")
    content = download_info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1][:3] == ["1班", "旭川", "既読"] and rows[1][5] == "出席" and rows[1][6] == "2"
    assert rows[2][:3] == ["1班", "紙谷", "既読"]
    page.goto(f"/community/circulars/manage/circulars/{circular.pk}/print/")
    assert page.locator(".qr img").count() == 1
    assert_usable(page)
    context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_is_usable_in_japanese_and_english(chromium_browser, live_server, officer, association, resident,
                                                     town, make_staff, language):
    from community.circulars import services
    from community.circulars.models import JoinRequest
    from community.circulars.tests.factories import member

    circular = services.circular_create(
        association=association, author=officer,
        data=services.CircularInput(title="回覧", body="本文", question="choice", question_text="どれ",
                                    options=["赤", "青"]))
    check = services.safety_check_send(association=association, author=officer, title="安否")
    services.circular_answer(user=resident, circular=check, answer="help", note="けが")
    post = services.post_create(user=resident, association=association, title="投稿", body="本文")
    services.comment_create(user=resident, post=post, body="コメント")
    household = town.households.first()
    services.join_code_issue(household=household, actor=officer)
    outsider = member().user
    JoinRequest.objects.create(association=association, user=outsider, household_name="新井", address="1番地")
    district = services.district_check_send(district=association.district, actor=None, title="地区の安否確認")

    pages = {
        resident: ["/community/circulars/", f"/community/circulars/{circular.pk}/", f"/community/circulars/{check.pk}/",
                   f"/community/circulars/board/{association.pk}/", f"/community/circulars/board/posts/{post.pk}/",
                   "/community/circulars/join/", "/dashboard/"],
        officer: [f"/community/circulars/manage/{association.pk}/", f"/community/circulars/manage/{association.pk}/roster/",
                  f"/community/circulars/manage/{association.pk}/safety/new/",
                  f"/community/circulars/manage/{association.pk}/requests/",
                  f"/community/circulars/manage/households/{household.pk}/",
                  f"/community/circulars/manage/circulars/{check.pk}/",
                  f"/community/circulars/board/posts/{post.pk}/"],
        make_staff("community"): ["/community/circulars/staff/safety/",
                                  f"/community/circulars/staff/safety/{district.pk}/"],
        outsider: ["/community/circulars/board/"],
    }
    for user, urls in pages.items():
        context, page = new_context(chromium_browser, live_server, user, language)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            assert page.locator("html").get_attribute("lang") == language
            assert_usable(page)
        context.close()
