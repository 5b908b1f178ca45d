"""Browser journey of issue 3: log steps, settle, see points, redeem a reward (axe-clean pages)."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import assert_accessible, login_in_browser

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
    from wellness.points import services

    services.participant_consent(user=resident)
    page.set_viewport_size({"width": 375, "height": 740})
    login_in_browser(page, resident)
    for url in ("/wellness/", "/wellness/trends/?days=30", "/wellness/rewards/"):
        page.goto(url)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
