import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from asahikawa.accounts.models import AccessLog, District, Profile
from asahikawa.accounts.tests.factories import UserFactory
from asahikawa.testing import TODAY, assert_not_shown, count_queries, counted_get, days_ago
from conftest import client_for
from wellness.points import selectors, services
from wellness.points.models import HealthRecord, Participant, Redemption

from .factories import HealthRecordFactory, RewardFactory, StepsRuleFactory, fund

pytestmark = pytest.mark.django_db


def test_dashboard_asks_for_consent_first_and_records_it(resident):
    client = client_for(resident)
    page = client.get("/wellness/")
    assert "健康情報の取扱いについて" in page.content.decode()
    assert client.get("/wellness/records/").status_code == 302
    unticked = client.post("/wellness/consent/", {}, follow=True)  # not ticked: nothing recorded
    assert unticked.status_code == 200 and "同意する場合は、チェックを入れてから送信してください。" in unticked.content.decode()
    assert not Participant.objects.filter(user=resident).exists()
    response = client.post("/wellness/consent/", {"agree": "yes"})
    assert response.status_code == 302
    assert Participant.objects.get(user=resident).consented_at is not None


def test_dashboard_shows_today_week_and_balance(web, participant):
    HealthRecordFactory(user=participant.user, day=TODAY, steps=4321, steps_source="app")
    Participant.objects.filter(pk=participant.pk).update(balance=77)
    html = web.get("/wellness/").content.decode()
    assert "4,321" in html and "77 ポイント" in html and "スマートフォンアプリ" in html


def test_dashboard_reads_the_week_in_one_query_whatever_was_recorded(web, participant):
    def dashboard():
        web.get("/wellness/")  # the session in the cache
        with count_queries() as sql:
            html = web.get("/wellness/").content.decode()
        return sql, html

    empty, html = dashboard()
    assert "今日はまだ記録がありません。" in html
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    for n in range((TODAY - monday).days + 1):
        HealthRecordFactory(user=participant.user, day=monday + datetime.timedelta(days=n), steps=1000 * (n + 1))
    HealthRecordFactory(user=participant.user, day=monday - datetime.timedelta(days=1), steps=99999)  # last week
    full, html = dashboard()
    assert len(full) == len(empty) <= 4, [s[:120] for s in full]
    days = (TODAY - monday).days + 1
    total = sum(1000 * (n + 1) for n in range(days))
    assert f"{total:,}歩" in html and f"{days}日" in html and f"{round(total / days):,}歩" in html
    assert f"{1000 * days:,}歩" in html  # today's record


def test_the_ledger_shows_credits_and_vouchers(web, participant):
    rule = StepsRuleFactory()
    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=5000)
    services.points_settle(since=days_ago(2))
    reward = RewardFactory(cost=1, name="旭山動物園 入園券")
    redemption = services.reward_redeem(user=participant.user, reward_id=reward.pk)
    html = web.get("/wellness/points/").content.decode()
    assert f'<td role="cell" data-label="内容">{days_ago(1):%Y-%m-%d} · {rule.name}</td>' in html
    assert f"旭山動物園 入園券（{redemption.code}）" in html
    assert '<td role="cell" data-label="種類">ポイント付与</td>' in html
    assert '<td role="cell" data-label="種類">特典と交換</td>' in html
    assert '<td role="cell" data-label="ポイント" class="num">-1</td>' in html


@pytest.mark.parametrize(
    "language, columns",
    [("ja", ["記帳日時", "種類", "内容", "ポイント"]), ("en", ["Posted at", "Kind", "Details", "Points"])],
)
def test_each_ledger_cell_carries_its_column_name_for_the_phone_layout(participant, language, columns):
    """On a phone the rows are stacked (portal.css, .table-stack) and each cell shows its column's
    name from data-label; the table keeps its roles in ARIA, since display: block may drop them."""
    participant.user.profile.language = language
    participant.user.profile.save()
    StepsRuleFactory()
    for n in (1, 2):
        HealthRecordFactory(user=participant.user, day=days_ago(n), steps=5000)
    services.points_settle(since=days_ago(3))
    services.reward_redeem(user=participant.user, reward_id=RewardFactory(cost=1).pk)
    html = client_for(participant.user).get("/wellness/points/").content.decode()
    assert f'<html lang="{language}">' in html
    assert '<table class="table-stack" role="table">' in html and html.count('<tbody role="rowgroup">') == 1
    assert re.findall(r'<th scope="col" role="columnheader"[^>]*>([^<]*)</th>', html) == columns
    header, *rows = re.findall(r'<tr role="row">(.*?)</tr>', html, flags=re.S)
    assert len(rows) == 3  # two credits and the reward
    for row in rows:
        assert re.findall(r'<td role="cell" data-label="([^"]*)"', row) == columns


def test_record_form_saves_today_and_backfill(web, participant):
    response = web.post("/wellness/records/", {"day": days_ago(30).isoformat(), "steps": "5000", "systolic": "", "diastolic": ""})
    assert response.status_code == 302
    record = HealthRecord.objects.get(user=participant.user)
    assert (record.day, record.steps, record.steps_source) == (days_ago(30), 5000, "web")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"day": days_ago(31).isoformat(), "steps": "1"}, "day"),
        ({"day": (TODAY + datetime.timedelta(days=1)).isoformat(), "steps": "1"}, "day"),
        ({"day": TODAY.isoformat(), "steps": "100001"}, "steps"),
        ({"day": TODAY.isoformat(), "weight_kg": "19"}, "weight_kg"),
        ({"day": TODAY.isoformat(), "body_fat_pct": "80"}, "body_fat_pct"),
        ({"day": TODAY.isoformat(), "systolic": "120"}, "diastolic"),
        ({"day": TODAY.isoformat(), "systolic": "80", "diastolic": "90"}, "systolic"),
    ],
)
def test_record_form_errors_field_by_field_in_japanese(web, participant, data, field):
    response = web.post("/wellness/records/", data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert "入力内容を確認してください" in response.content.decode()
    assert not HealthRecord.objects.exists()


def test_record_form_needs_one_value(web):
    response = web.post("/wellness/records/", {"day": TODAY.isoformat()})
    assert response.status_code == 400 and "少なくとも1つ" in response.content.decode()
    assert not HealthRecord.objects.exists()


def test_csv_upload_writes_all_rows(web, participant):
    content = "date,steps,weight_kg,body_fat_pct,systolic,diastolic\n" + "\n".join(
        f"{days_ago(n).isoformat()},{1000 * n},60.{n % 10},,120,80" for n in range(1, 11)
    )
    response = web.post("/wellness/records/upload/", {"file": SimpleUploadedFile("r.csv", content.encode(), "text/csv")})
    assert response.status_code == 302
    assert HealthRecord.objects.filter(user=participant.user, steps_source="csv", bp_source="csv").count() == 10


def test_csv_with_bad_rows_writes_nothing_and_lists_errors_by_row_and_column(web, participant):
    content = (
        "date,steps,weight_kg,body_fat_pct,systolic,diastolic\n"
        f"{days_ago(1).isoformat()},5000,,,,\n"
        f"{days_ago(2).isoformat()},abc,,,,\n"  # line 3: steps not a number
        f"{days_ago(3).isoformat()},5000,500,,,\n"  # line 4: weight out of range
        "2023-13-01,5000,,,,\n"  # line 5: bad date
        f"{days_ago(5).isoformat()},,,,90,100\n"  # line 6: systolic below diastolic
        f"{days_ago(1).isoformat()},100,,,,\n"  # line 7: the same day as line 2
    )
    response = web.post("/wellness/records/upload/", {"file": SimpleUploadedFile("r.csv", content.encode(), "text/csv")})
    assert response.status_code == 400
    errors = {(e.file, e.row, e.column) for e in response.context["errors"]}
    assert errors == {("r.csv", 3, "steps"), ("r.csv", 4, "weight_kg"), ("r.csv", 5, "date"), ("r.csv", 6, "systolic"), ("r.csv", 7, "date")}
    assert not HealthRecord.objects.exists()


def test_csv_with_a_wrong_header_is_refused(web):
    response = web.post("/wellness/records/upload/", {"file": SimpleUploadedFile("r.csv", b"day,steps\n2023-01-01,1\n")})
    assert response.status_code == 400 and not HealthRecord.objects.exists()
    (error,) = response.context["errors"]
    assert (error.row, error.message) == (1, "1行目（見出し）は date,steps,weight_kg,body_fat_pct,systolic,diastolic にしてください。")


def test_trends_render_svg_charts_with_a_data_table(web, participant):
    for n in range(0, 10):
        HealthRecordFactory(user=participant.user, day=days_ago(n), steps=3000 + n, weight_kg=Decimal("60.0") + n,
                            systolic=120, diastolic=80)
    for days in (7, 30, 90, 365):
        html = web.get(f"/wellness/trends/?days={days}").content.decode()
        assert html.count('<svg viewBox="0 0 640 220" role="img"') == 3  # steps, weight, blood pressure
        recorded = min(days, 10)
        assert html.count('<rect class="series-1"') == recorded  # a bar a day with steps
        assert '<polyline class="series-1"' in html and '<polyline class="series-2"' in html  # diastolic dashed
        assert html.count("<tr>") == 1 + recorded  # the one data table: its header and a row a recorded day
        assert f"{days_ago(3):%Y-%m-%d}" in html and "3,003" in html
    assert 'style="' not in html and "<script" not in html


def test_ledger_and_vouchers_query_counts_do_not_grow(web, participant):
    StepsRuleFactory()

    def counts():
        return tuple(counted_get(web, url)[0] for url in ("/wellness/points/", "/wellness/vouchers/", "/wellness/records/"))

    def grow(n):
        for i in range(n):
            HealthRecordFactory(user=participant.user, day=days_ago(1 + i + grow.offset), steps=5000)
        grow.offset += n
        services.points_settle(since=days_ago(60))
        for _ in range(n):
            services.reward_redeem(user=participant.user, reward_id=RewardFactory(cost=1).pk)

    grow.offset = 0
    grow(2)
    small = counts()
    grow(20)
    assert counts() == small


def test_the_records_table_labels_each_source_and_links_each_day(web, participant):
    from django.urls import reverse

    record = HealthRecordFactory(user=participant.user, day=days_ago(2), steps=12345, steps_source="app",
                                 weight_kg=Decimal("61.5"), weight_source="csv", systolic=120, diastolic=80, bp_source="staff")
    html = web.get("/wellness/records/").content.decode()
    day = f"{days_ago(2):%Y-%m-%d}"
    assert '<td class="num">12,345</td>' in html and '<td class="num">61.5</td>' in html and '<td class="num">—</td>' in html
    assert "歩数: スマートフォンアプリ 体重: CSVアップロード 血圧: 窓口（職員が入力）</td>" in html
    assert f'href="{reverse("wellness:record")}?day={day}">直す<span class="visually-hidden"> {day}</span>' in html
    assert f'action="{reverse("wellness:record_delete", args=[record.pk])}"' in html  # built from the records page's URL
    participant.user.profile.language = "en"
    participant.user.profile.save()
    english = web.get("/wellness/trends/?days=7").content.decode()
    assert "Steps: Smartphone app" in english and "12,345" in english


def test_trends_and_the_counter_query_counts_do_not_grow(web, participant, make_staff):
    staff = client_for(make_staff("wellness"))

    def counts():
        return counted_get(web, "/wellness/trends/?days=365")[0], counted_get(staff, f"/wellness/staff/counter/{participant.user.pk}/")[0]

    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=5000)
    small = counts()
    for n in range(2, 300):
        HealthRecordFactory(user=participant.user, day=days_ago(n), steps=5000 + n, steps_source=("app", "csv")[n % 2],
                            weight_kg=Decimal("60.0"), weight_source="web")
    assert counts() == small


def test_the_vouchers_page_counts_its_pages_without_the_rewards(web, participant):
    fund(participant.user, 100)
    reward = RewardFactory(cost=1, name="旭山動物園 入園券", partner="旭山動物園", stock=50)
    codes = [services.reward_redeem(user=participant.user, reward_id=reward.pk).code for _ in range(31)]
    with count_queries() as queries:
        first = web.get("/wellness/vouchers/").content.decode()
    counts = [sql for sql in queries if "COUNT(" in sql and "wellness_redemption" in sql]
    assert len(counts) == 1 and "wellness_reward" not in counts[0], counts
    assert "1 / 2 ページ" in first and codes[-1] in first and codes[0] not in first
    second = web.get("/wellness/vouchers/?page=2").content.decode()
    assert codes[0] in second and "<td>旭山動物園 入園券</td><td>旭山動物園</td>" in second and "<td>有効</td>" in second


def test_redeem_through_the_page(web, participant):
    fund(participant.user, 100)
    reward = RewardFactory(cost=60)
    response = web.post(f"/wellness/rewards/{reward.pk}/redeem/")
    assert response.status_code == 302 and response.url == "/wellness/vouchers/"
    code = Redemption.objects.get().code
    assert code in web.get("/wellness/vouchers/").content.decode()
    again = web.post(f"/wellness/rewards/{reward.pk}/redeem/", follow=True)
    assert "ポイントが足りません" in again.content.decode()


def test_the_rewards_page_costs_the_same_queries_for_few_and_many_rewards(web, participant):
    """The catalog is read in one query and its labels translated once, whatever its length; each
    reward still posts to its own redeem URL and says why it cannot be exchanged."""
    fund(participant.user, 150)
    zoo = RewardFactory(cost=100, name="旭山動物園 入園券", stock=5, valid_from=datetime.date(2026, 4, 1))

    def page():
        queries, response = counted_get(web, "/wellness/rewards/")
        return queries, response.content.decode()

    few, html = page()
    RewardFactory.create_batch(10, cost=200)
    sold_out = RewardFactory(cost=10, stock=0)
    many, html = page()
    assert few == many, (few, many)
    assert html.count('/redeem/">') == 1 and html.count("ポイントが足りません。") == 10
    assert f'<form method="post" action="{reverse("wellness:redeem", args=[zoo.pk])}">' in html
    assert f"<li class=\"card\">\n    <h2 class=\"h3\">{sold_out.name}" in html and html.count("在庫がありません。") == 1
    assert "2026-04-01〜2099-12-31" in html


def test_another_resident_cannot_reach_records_by_guessing_ids(web, participant, other_resident):
    record = HealthRecordFactory(user=participant.user, day=days_ago(1), steps=12345)
    outsider = client_for(other_resident)
    services.participant_consent(user=other_resident)
    assert outsider.post(f"/wellness/records/{record.pk}/delete/").status_code == 404
    assert HealthRecord.objects.filter(pk=record.pk).exists()
    for url in ("/wellness/", "/wellness/records/", f"/wellness/records/?day={days_ago(1)}", "/wellness/trends/",
                "/wellness/my-data/wellness.json", "/wellness/my-data/wellness.csv"):
        assert_not_shown(outsider.get(url), 12345)  # neither 12345 nor 12,345
    # and the owner can delete it
    assert web.post(f"/wellness/records/{record.pk}/delete/").status_code == 302
    assert not HealthRecord.objects.filter(pk=record.pk).exists()


def test_download_all_my_data_as_json_and_csv(web, participant):
    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=4321)
    data = json.loads(web.get("/wellness/my-data/wellness.json").content)
    assert data["records"][0]["steps"] == 4321 and data["consented_at"]
    csv_text = b"".join(web.get("/wellness/my-data/wellness.csv").streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("date,steps,weight_kg,body_fat_pct,systolic,diastolic")
    assert "4321" in csv_text


def test_delete_all_my_data(web, participant):
    HealthRecordFactory(user=participant.user)
    unconfirmed = web.post("/wellness/my-data/delete/", {})
    assert (unconfirmed.status_code, unconfirmed["Location"]) == (302, "/wellness/my-data/delete/")
    assert HealthRecord.objects.exists()
    assert web.post("/wellness/my-data/delete/", {"confirm": "yes"}).status_code == 302
    assert not HealthRecord.objects.exists() and not Participant.objects.exists()
    assert AccessLog.objects.filter(action="delete", object_type="wellness.participant").exists()


# --- staff ---------------------------------------------------------------------------

def test_counter_entry_by_staff_is_access_logged(make_staff, participant):
    staff = make_staff("wellness")
    client = client_for(staff)
    response = client.post("/wellness/staff/counter/", {"email": participant.user.email})
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert AccessLog.objects.filter(actor=staff, action="view", object_id=str(participant.user.pk)).count() == 1
    client.post(response.url, {"day": TODAY.isoformat(), "steps": "2500"})
    assert HealthRecord.objects.get(user=participant.user).steps_source == "staff"
    assert AccessLog.objects.filter(actor=staff, action="change").exists()


def test_counter_needs_paper_consent_for_a_new_participant(make_staff, other_resident):
    client = client_for(make_staff("wellness"))
    url = f"/wellness/staff/counter/{other_resident.pk}/"
    refused = client.post(url, {"day": TODAY.isoformat(), "steps": "2500"}, follow=True)
    assert refused.status_code == 200 and "本人の書面での同意を確認してから記録してください。" in refused.content.decode()
    assert not HealthRecord.objects.exists()
    assert client.post(url, {"paper_consent": "yes"}).status_code == 302
    assert Participant.objects.filter(user=other_resident).exists()


def test_statistics_suppress_small_groups_and_export_csv(make_staff):
    district = District.objects.create(code="nagayama-test", name="永山")
    small_district = District.objects.create(code="kagura-test", name="神楽")
    StepsRuleFactory()
    day = days_ago(1)
    for i in range(6):
        user = UserFactory()
        Profile.objects.filter(user=user).update(district=district, birth_year=TODAY.year - 45)
        services.participant_consent(user=user)
        HealthRecordFactory(user=user, day=day, steps=6000 + i * 100)
    lonely = UserFactory()
    Profile.objects.filter(user=lonely).update(district=small_district, birth_year=TODAY.year - 45)
    services.participant_consent(user=lonely)
    HealthRecordFactory(user=lonely, day=day, steps=15000)
    services.points_settle()
    client = client_for(make_staff("wellness"))
    page = client.get("/wellness/staff/statistics/")
    rows = {(r["district"], r["age_band"]): r for r in page.context["rows"]}
    big = rows[("永山", "40代")]
    assert (big["participants"], big["average_steps"], big["points"]) == (6, 6250, 36)
    assert rows[("神楽", "40代")]["suppressed"]
    assert "6,250" in assert_not_shown(page, 15000)  # the lonely resident's steps, in neither form
    assert "永山" in assert_not_shown(client.get("/wellness/staff/statistics.csv"), 15000)


def test_the_statistics_query_count_does_not_grow(make_staff):
    StepsRuleFactory()
    client = client_for(make_staff("wellness"))

    def count():
        queries, response = counted_get(client, "/wellness/staff/statistics/")
        return queries, len(response.context["rows"])

    district = District.objects.create(code="nagayama-test", name="永山")
    user = UserFactory()
    Profile.objects.filter(user=user).update(district=district, birth_year=TODAY.year - 45)
    services.participant_consent(user=user)
    HealthRecordFactory(user=user, day=days_ago(1), steps=6000)
    services.points_settle()
    few, rows = count()
    for n in range(12):
        district = District.objects.create(code=f"stats-{n}", name=f"地区{n}")
        for i in range(5 if n % 2 else 1):
            user = UserFactory()
            Profile.objects.filter(user=user).update(district=district, birth_year=TODAY.year - 25 - 10 * (n % 5))
            services.participant_consent(user=user)
            for day in (1, 40, 80):
                HealthRecordFactory(user=user, day=days_ago(day), steps=7000 + i)
    services.points_settle(since=days_ago(90))
    many, many_rows = count()
    assert (rows, few) == (1, many) and many_rows > 12


def test_staff_cancel_a_redemption_in_the_admin_console(make_staff, participant):
    fund(participant.user, 50)
    redemption = services.reward_redeem(user=participant.user, reward_id=RewardFactory(cost=50, stock=1).pk)
    client = client_for(make_staff("wellness"))
    response = client.post("/admin/wellness/redemption/",
                           {"action": "cancel_redemptions", "_selected_action": [redemption.pk]})
    assert response.status_code == 302
    redemption.refresh_from_db()
    assert redemption.cancelled_at is not None
    assert Participant.objects.get(pk=participant.pk).balance == 50
    assert selectors.balances_reconcile() == []
    # another department cannot
    other = client_for(make_staff("finance"))
    assert other.get("/admin/wellness/redemption/").status_code == 403


def test_the_portal_dashboard_shows_the_wellness_balance(resident):
    before = client_for(resident).get("/dashboard/")
    assert before.status_code == 200 and "スマートウエルネス" in before.content.decode() and "はじめる" in before.content.decode()
    services.participant_consent(user=resident)
    Participant.objects.filter(user=resident).update(balance=1234)
    after = client_for(resident).get("/dashboard/").content.decode()
    assert "ポイント残高: 1,234 ポイント" in after
    assert "スマートウエルネス" in assert_not_shown(client_for(UserFactory()).get("/dashboard/"), 1234)


def test_statistics_csv_does_not_let_a_spreadsheet_run_a_district_name(make_staff):
    district = District.objects.create(code="formula", name="=HYPERLINK(\"http://evil.example\",\"x\")")
    StepsRuleFactory()
    for _ in range(5):
        user = UserFactory()
        Profile.objects.filter(user=user).update(district=district, birth_year=TODAY.year - 45)
        services.participant_consent(user=user)
        HealthRecordFactory(user=user, day=days_ago(1), steps=5000)
    csv_text = b"".join(client_for(make_staff("wellness")).get("/wellness/staff/statistics.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
