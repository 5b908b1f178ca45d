"""Browser journey of issue 3: log steps, settle, see points, redeem a reward (axe-clean pages)."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import assert_accessible, assert_usable, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_steps_settle_see_points_and_redeem(browser_clock, page, resident):
    from wellness.points.models import HealthRecord, Redemption
    from wellness.points.tests.factories import RewardFactory, StepsRuleFactory

    StepsRuleFactory()
    RewardFactory(name="市民プール1回券（サンプル）", cost=8, stock=3, is_sample=True)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    login_in_browser(page, resident)
    page.goto("/wellness/")
    assert_accessible(page)
    page.check("#agree")
    page.click("text=同意して始める")
    page.wait_for_url("**/wellness/records/")

    # a wrong value first: the error is shown by the field, in Japanese
    page.fill("#id_day", yesterday.isoformat())
    page.fill("#id_steps", "123456")
    page.click("form.narrow button[type=submit]")
    assert "100,000の範囲で入力してください" in page.locator("#id_steps_errors").inner_text()
    assert_accessible(page)

    page.fill("#id_steps", "9500")
    page.fill("#id_systolic", "118")
    page.fill("#id_diastolic", "76")
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state()
    assert "保存しました" in page.locator(".messages").inner_text()
    assert HealthRecord.objects.get(user=resident, day=yesterday).steps == 9500
    assert_accessible(page)

    call_command("settle_points")  # the nightly settlement

    page.goto("/wellness/")
    assert page.locator("#balance").inner_text() == "9 ポイント"
    assert_accessible(page)
    page.goto("/wellness/points/")
    assert "+9" in page.locator("table").inner_text()
    assert_accessible(page)
    page.goto("/wellness/trends/?days=7")
    assert page.locator("figure.chart svg[role=img]").count() == 2  # steps and blood pressure; no weight was recorded
    assert page.locator("figure.chart", has_text="この期間の記録はありません").count() == 1
    assert "9,500" in page.locator("#data-table + .table-scroll table").inner_text()
    assert_accessible(page)

    page.goto("/wellness/rewards/")
    assert_accessible(page)
    page.click("text=交換する")
    page.wait_for_url("**/wellness/vouchers/")
    code = Redemption.objects.get(user=resident).code
    assert code in page.locator(".voucher-code").inner_text()
    assert "引換コード" in page.locator(".messages").inner_text()
    assert_accessible(page)
    page.goto("/wellness/")
    assert page.locator("#balance").inner_text() == "1 ポイント"

    for url in ("/wellness/records/upload/", "/wellness/my-data/delete/"):
        page.goto(url)
        assert_accessible(page)


def test_phone_width_dashboard_and_trends_are_accessible(page, resident):
    """Nothing widens the page on a phone: the records table (whose row actions carry visually
    hidden dates, positioned absolutely) scrolls inside its box."""
    from wellness.points import services
    from wellness.points.tests.factories import HealthRecordFactory

    services.participant_consent(user=resident)
    for n in (1, 2):
        HealthRecordFactory(user=resident, day=timezone.localdate() - datetime.timedelta(days=n), steps=8000,
                            weight_kg=60, weight_source="web", body_fat_pct=20, body_fat_source="web",
                            systolic=120, diastolic=80, bp_source="web")
    page.set_viewport_size({"width": 375, "height": 740})
    login_in_browser(page, resident)
    for url in ("/wellness/", "/wellness/trends/?days=30", "/wellness/rewards/", "/wellness/records/"):
        page.goto(url)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url


def test_the_points_history_reads_as_stacked_items_on_a_phone(browser_clock, page, resident):
    """At 390 px each ledger line is a stacked item, each value under its column's name, with nothing
    to scroll sideways (before, the table scrolled in its box and the details column was one word
    wide); the table's rows, column headers and cells stay in the accessibility tree; at 1280 px it
    is a table again. In Japanese and in English."""
    from wellness.points import services
    from wellness.points.tests.factories import HealthRecordFactory, RewardFactory, StepsRuleFactory

    services.participant_consent(user=resident)
    StepsRuleFactory(name="歩数ポイント：1,000歩ごとに1ポイント、1日10ポイントまで（サンプル）")
    today = timezone.localdate()
    for n in (1, 2, 3):
        HealthRecordFactory(user=resident, day=today - datetime.timedelta(days=n), steps=8000)
    services.points_settle(since=today - datetime.timedelta(days=4))
    services.reward_redeem(user=resident, reward_id=RewardFactory(name="市民プール1回券（サンプル）", cost=5).pk)

    login_in_browser(page, resident)
    page.goto("/wellness/points/")
    for language, columns in (("ja", ["記帳日時", "種類", "内容", "ポイント"]), ("en", ["Posted at", "Kind", "Details", "Points"])):
        if language == "en":
            page.select_option("#language-select", "en")
            page.locator(".language-form button").click()
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        assert_usable(page, screenshot=f"wellness-points-{language}")  # 390 and 1280: no page scroll, axe clean
        page.set_viewport_size({"width": 390, "height": 844})
        table = page.locator("main table")
        assert page.evaluate("document.documentElement.scrollWidth <= 390")
        box = page.locator("main .table-scroll")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "the ledger scrolls sideways on a phone"
        rows = table.locator("tbody tr")
        assert rows.count() == 4  # three days' credits and the reward
        for index in range(rows.count()):
            cells = rows.nth(index).locator("td")
            labels = [cells.nth(i).evaluate("e => getComputedStyle(e, '::before').content") for i in range(cells.count())]
            assert labels == [f'"{column}" / ""' for column in columns]  # shown, with no text for a screen reader
            width = rows.nth(index).bounding_box()["width"]
            assert all(cells.nth(i).bounding_box()["width"] > width * 0.8 for i in range(4))  # one cell a line
        # still a table for a screen reader: its name, one row a line, column headers, cells
        assert page.get_by_role("table", name=page.locator("main caption").inner_text()).count() == 1
        assert page.get_by_role("columnheader").all_inner_texts() == columns
        assert page.get_by_role("row").count() == 5 and page.get_by_role("cell").count() == 16
        page.set_viewport_size({"width": 1280, "height": 900})
        assert table.evaluate("e => getComputedStyle(e).display") == "table"
        assert rows.first.locator("td").nth(2).bounding_box()["y"] == rows.first.locator("td").nth(0).bounding_box()["y"]
