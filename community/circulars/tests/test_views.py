import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asahikawa.accounts.models import AccessLog
from asahikawa.accounts.tests.factories import AssociationFactory, UserFactory
from asahikawa.testing import counted_get
from community.circulars import services
from community.circulars.models import Attachment, Circular, Receipt
from conftest import body_text, client_for

from .factories import PNG, GroupFactory, HouseholdFactory, make_officer, member, pdf, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(make_staff):
    association = AssociationFactory()
    officer = make_officer(association)
    group = GroupFactory(association=association, name="1班")
    reader = member(household=HouseholdFactory(group=group, name="佐藤"))
    paper = HouseholdFactory(group=group, name="鈴木", paper_only=True)
    circular = publish(association, officer, title="清掃のお知らせ", body="朝8時から", question="yes_no",
                       question_text="参加しますか", attachments=[pdf("案内.pdf")])
    outsiders = {
        "another association's member": member().user,
        "another association's officer": make_officer(AssociationFactory()),
        "a resident of no association": UserFactory(),
        "staff of another department": make_staff("wellness"),
        "the public": None,
    }
    return type("Setting", (), {"association": association, "officer": officer, "group": group, "reader": reader,
                                "paper": paper, "circular": circular, "outsiders": outsiders})


def urls_of(setting):
    circular, attachment = setting.circular, setting.circular.attachments.get()
    base = "/community/circulars"
    return [
        f"{base}/{circular.pk}/", f"{base}/attachments/{attachment.pk}/",
        f"{base}/manage/circulars/{circular.pk}/", f"{base}/manage/circulars/{circular.pk}/receipts.csv",
        f"{base}/manage/circulars/{circular.pk}/print/", f"{base}/manage/{setting.association.pk}/roster/",
        f"{base}/manage/households/{setting.paper.pk}/", f"/api/v1/circulars/circulars/{circular.pk}/",
        f"{base}/board/{setting.association.pk}/",
    ]


def test_outsiders_read_nothing_of_a_circular_even_with_the_url(setting):
    services.circular_answer(user=setting.reader.user, circular=setting.circular, answer="yes", note="秘密のひとこと")
    for who, user in setting.outsiders.items():
        client = client_for(user)
        for url in urls_of(setting):
            response = client.get(url)
            assert response.status_code in (302, 401, 403, 404), (who, url, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], (who, url)
            text = body_text(response) if not response.streaming else ""
            for secret in ("清掃のお知らせ", "秘密のひとこと", "佐藤", "鈴木", "%PDF"):
                assert secret not in text, (who, url, secret)
    assert Receipt.objects.filter(circular=setting.circular, read_at__isnull=False).count() == 1


def test_a_member_opens_sees_the_attachment_and_answers(setting):
    client = client_for(setting.reader.user)
    inbox = client.get("/community/circulars/").content.decode()
    assert f'href="{reverse("circulars:detail", args=[setting.circular.pk])}"' in inbox  # built from the list's URL
    page = client.get(f"/community/circulars/{setting.circular.pk}/")
    assert page.status_code == 200 and "清掃のお知らせ" in page.content.decode()
    assert "既読を記録しました" in page.content.decode()
    download = client.get(f"/community/circulars/attachments/{setting.circular.attachments.get().pk}/")
    assert download.status_code == 200 and body_text(download, "latin-1").startswith("%PDF")
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    response = client.post(f"/community/circulars/{setting.circular.pk}/answer/", {"answer": "maybe"})
    assert response.status_code == 400 and "maybe は候補にありません" in response.content.decode()
    response = client.post(f"/community/circulars/{setting.circular.pk}/answer/", {"answer": "yes"})
    assert response.status_code == 302
    assert Receipt.objects.get(circular=setting.circular, household=setting.reader.household).answer == "yes"


def test_the_inbox_runs_a_fixed_number_of_queries_and_shows_every_row(setting):
    from asahikawa.testing import count_queries

    client = client_for(setting.reader.user)

    def inbox():
        client.get("/community/circulars/")  # the session in the cache
        with count_queries() as sql:
            response = client.get("/community/circulars/")
        assert response.status_code == 200
        return sql, response.content.decode()

    few, _ = inbox()
    circulars = [publish(setting.association, setting.officer, title=f"回覧{n}", question="yes_no", question_text="?")
                 for n in range(12)]
    for circular in circulars[::2]:
        services.circular_answer(user=setting.reader.user, circular=circular, answer="yes")
    many, page = inbox()
    assert len(many) == len(few), [s[:120] for s in many]
    # the user with their profile, memberships, receipts, whether they lead a group, the header's count
    assert len(many) <= 5, [s[:120] for s in many]
    for circular in circulars:
        assert f'href="{reverse("circulars:detail", args=[circular.pk])}"' in page
    assert page.count("回答済み：はい") == 6 and "役員のページ（回覧の作成" not in page


def test_the_inbox_links_officers_and_group_leaders_to_their_pages(setting):
    link = "役員のページ（回覧の作成・受け取りの確認・名簿）"
    leader = member(household=HouseholdFactory(group=setting.group)).user
    services.officer_role_assign(association=setting.association, user=leader, title="group_leader", group=setting.group)
    assert link in client_for(leader).get("/community/circulars/").content.decode()
    assert link in client_for(setting.officer).get("/community/circulars/").content.decode()
    assert link not in client_for(setting.reader.user).get("/community/circulars/").content.decode()


def test_the_officer_sees_progress_by_group_exports_csv_and_marks_paper(setting):
    services.circular_answer(user=setting.reader.user, circular=setting.circular, answer="yes")
    client = client_for(setting.officer)
    page = client.get(f"/community/circulars/manage/circulars/{setting.circular.pk}/").content.decode()
    assert "1 / 2 世帯 既読" in page
    response = client.post(f"/community/circulars/manage/circulars/{setting.circular.pk}/paper/",
                           {"household": [setting.paper.pk]})
    assert response.status_code == 302
    export = client.get(f"/community/circulars/manage/circulars/{setting.circular.pk}/receipts.csv")
    rows = list(csv.reader(io.StringIO(body_text(export))))
    assert rows[0][:3] == ["班", "世帯", "既読"]
    assert ["1班", "佐藤", "既読"] == rows[1][:3] and rows[1][5] == "はい"
    assert ["1班", "鈴木", "既読"] == rows[2][:3] and rows[2][4] == "紙（役員が記録）"
    assert AccessLog.objects.filter(actor=setting.officer, action="export").exists()


def test_the_progress_page_runs_a_fixed_number_of_queries(setting):
    client = client_for(setting.officer)
    url = "/community/circulars/manage/circulars/{}/"

    def queries(circular):
        client.get(url.format(circular.pk))  # warm the session and the officer's profile
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url.format(circular.pk)).status_code == 200
        return len(captured)

    few = queries(setting.circular)
    readers = [member(household=HouseholdFactory(
        group=GroupFactory(association=setting.association) if n % 5 == 0 else setting.group)) for n in range(25)]
    bigger = publish(setting.association, setting.officer, title="多い", question="yes_no", question_text="?")
    for n, reader in enumerate(readers):
        if n % 2:
            services.circular_answer(user=reader.user, circular=bigger, answer="yes", note=f"{n}")
    assert bigger.receipts.count() == 27
    assert few == queries(bigger)


def test_the_print_page_has_the_roster_to_tick_and_a_qr_code_made_here(setting):
    page = client_for(setting.officer).get(f"/community/circulars/manage/circulars/{setting.circular.pk}/print/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in text and "佐藤" in text and "鈴木" in text
    assert "<script" not in text and "style=" not in text  # the CSP forbids inline script and style


def test_the_form_refuses_a_file_that_is_not_a_document_and_stores_nothing(setting):
    client = client_for(setting.officer)
    fake = SimpleUploadedFile("写真.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = client.post(f"/community/circulars/manage/{setting.association.pk}/new/", {
        "title": "新しい回覧", "question": "", "everyone": "1", "attachments": [pdf(), fake]})
    assert response.status_code == 400
    assert "写真.png: PDF・JPEG・PNGのファイルを選んでください" in response.content.decode()
    assert not Circular.objects.filter(title="新しい回覧").exists()
    assert Attachment.objects.count() == 1  # the fixture's


def test_the_officer_writes_a_circular_with_an_image_for_some_groups(setting):
    other = GroupFactory(association=setting.association, name="2班")
    HouseholdFactory(group=other)
    client = client_for(setting.officer)
    response = client.post(f"/community/circulars/manage/{setting.association.pk}/new/", {
        "title": "2班だけ", "question": "choice", "question_text": "どれ", "options": "赤\n青", "everyone": "0",
        "groups": [other.pk], "attachments": [SimpleUploadedFile("地図.png", PNG, "image/png")],
        "remind_after_days": "3"})
    assert response.status_code == 302, response.content.decode()[:2000]
    circular = Circular.objects.get(title="2班だけ")
    assert circular.receipts.count() == 1 and circular.options == ["赤", "青"]
    assert circular.attachments.get().content_type == "image/png"


def test_a_join_code_page_joins_once(setting):
    code = services.join_code_issue(household=setting.paper, actor=setting.officer)
    household_page = client_for(setting.officer).get(f"/community/circulars/manage/households/{setting.paper.pk}/")
    assert code.code in household_page.content.decode() and "data:image/svg+xml" in household_page.content.decode()
    first, second = UserFactory(), UserFactory()
    assert client_for(first).post("/community/circulars/join/", {"code": code.code}).status_code == 302
    response = client_for(second).post("/community/circulars/join/", {"code": code.code})
    assert response.status_code == 400 and "すでに使われています" in response.content.decode()
    assert client_for(first).get(f"/community/circulars/{setting.circular.pk}/").status_code == 200


def test_a_hidden_post_shows_its_reason_to_its_author_only(setting):
    neighbor = member(household=HouseholdFactory(group=setting.group)).user
    post = services.post_create(user=setting.reader.user, association=setting.association, title="売ります",
                                body="中身")
    client_for(neighbor).post(f"/community/circulars/board/posts/{post.pk}/report/", {"reason": "宣伝"})
    officer = client_for(setting.officer)
    assert "通報 1件" in officer.get(f"/community/circulars/board/{setting.association.pk}/").content.decode()
    officer.post(f"/community/circulars/board/posts/{post.pk}/hide/", {"reason": "宣伝のため"})
    author_view = client_for(setting.reader.user).get(f"/community/circulars/board/posts/{post.pk}/").content.decode()
    neighbor_view = client_for(neighbor).get(f"/community/circulars/board/posts/{post.pk}/").content.decode()
    assert "宣伝のため" in author_view and "中身" in author_view
    assert "非表示にしました" in neighbor_view and "中身" not in neighbor_view and "宣伝のため" not in neighbor_view


def test_the_board_list_runs_a_fixed_number_of_queries(setting):
    client = client_for(setting.reader.user)
    url = f"/community/circulars/board/{setting.association.pk}/"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    services.post_create(user=setting.reader.user, association=setting.association, title="1", body="b")
    few = queries()
    for n in range(10):
        post = services.post_create(user=member(household=HouseholdFactory(group=setting.group)).user,
                                    association=setting.association, title=str(n), body="b")
        services.comment_create(user=setting.reader.user, post=post, body="c")
    assert queries() == few


def test_staff_send_a_district_check_and_see_the_rates(setting, make_staff):
    staff = make_staff("community")
    client = client_for(staff)
    response = client.post("/community/circulars/staff/safety/", {
        "district": setting.association.district_id, "title": "停電", "body": ""})
    assert response.status_code == 302
    circular = Circular.objects.get(title="停電")
    services.circular_answer(user=setting.reader.user, circular=circular, answer="help", note="発電機がない")
    page = client.get(response["Location"]).content.decode()
    assert "1 / 2 世帯 回答" in page and "発電機がない" in page
    assert AccessLog.objects.filter(actor=staff, action="view").exists()


def test_the_safety_check_page_lists_whom_to_visit_first(setting):
    check = services.safety_check_send(association=setting.association, author=setting.officer, title="地震")
    home = client_for(setting.reader.user).get("/").content.decode()
    assert "safety-banner" in home and "地震" in home  # the banner, first on the home page, until answered
    services.circular_answer(user=setting.reader.user, circular=check, answer="help", note="けが")
    page = client_for(setting.officer).get(f"/community/circulars/manage/circulars/{check.pk}/").content.decode()
    assert "1 / 2 世帯 回答" in page
    visit = page.split('id="visit-first"')[1].split("</table>")[0]
    assert "佐藤" in visit and "けが" in visit and "鈴木" in visit and "紙の世帯：訪問して確認" in visit
    assert visit.index("佐藤") < visit.index("鈴木")  # who needs help first
    assert "safety-banner" not in client_for(setting.reader.user).get("/").content.decode()


def test_the_dashboard_counts_the_unread_and_bans_the_three_latest_unanswered_safety_checks(setting):
    import datetime

    import time_machine
    from django.utils import timezone

    from asahikawa.testing import count_queries

    with time_machine.travel(timezone.now() - datetime.timedelta(days=4)):
        services.safety_check_send(association=setting.association, author=setting.officer, title="先週の地震")
    checks = [services.safety_check_send(association=setting.association, author=setting.officer, title=f"地震{n}")
              for n in range(5)]
    services.circular_answer(user=setting.reader.user, circular=checks[4], answer="safe")
    for n in range(4):
        publish(setting.association, setting.officer, title=f"回覧{n}")
    unread = Receipt.objects.filter(household=setting.reader.household, read_at=None,
                                    circular__published_at__isnull=False).count()
    assert unread >= 9
    client = client_for(setting.reader.user)
    client.get("/dashboard/")
    with count_queries() as sql:
        page = client.get("/dashboard/").content.decode()
    assert f"未読の回覧が{unread}件あります。" in page
    banners = " ".join(part.split("</div>", 1)[0] for part in page.split('role="alert"')[1:])
    assert banners.count('class="safety-banner"') == 3  # the three latest unanswered of the last three days
    assert "地震3" in banners and "地震2" in banners and "地震1" in banners
    assert "地震0" not in banners and "地震4" not in banners and "先週の地震" not in banners
    circulars = [q for q in sql if "circulars_" in q]
    assert len(circulars) == 2, circulars  # the memberships, then the receipts with their count


def test_the_households_list_filters_by_group_and_unread_and_pages(setting, monkeypatch):
    from community.circulars import views

    monkeypatch.setattr(views, "PROGRESS_PAGE_SIZE", 2)
    other = GroupFactory(association=setting.association, name="2班")
    HouseholdFactory(group=other, name="高橋")
    HouseholdFactory(group=setting.group, name="田中")
    circular = publish(setting.association, setting.officer, title="班ごと")
    services.circular_open(user=setting.reader.user, circular=circular)
    client = client_for(setting.officer)
    url = f"/community/circulars/manage/circulars/{circular.pk}/"

    def households(query):
        page = client.get(url + query).content.decode()
        return page.split('id="households"')[1].split("</table>")[0], page

    table, page = households("")
    assert "佐藤" in table and "鈴木" in table and "田中" not in table and "2 / 3 ページ" not in page
    assert 'rel="next"' in page
    table, _page = households("?page=2")
    assert "田中" in table and "佐藤" not in table
    table, _page = households(f"?group={other.pk}")
    assert "高橋" in table and "佐藤" not in table
    table, _page = households("?show=unread")
    assert "佐藤" not in table and "鈴木" in table


def test_a_group_leader_manages_only_the_households_of_their_group(setting):
    other = GroupFactory(association=setting.association, name="2班")
    theirs = HouseholdFactory(group=other, name="高橋")
    circular = publish(setting.association, setting.officer, title="全体へ")
    leader = member(household=theirs).user
    services.officer_role_assign(association=setting.association, user=leader, title="group_leader", group=other)
    client = client_for(leader)
    assert client.get("/community/circulars/manage/").status_code == 302
    page = client.get(f"/community/circulars/manage/circulars/{circular.pk}/").content.decode()
    assert "0 / 1 世帯 既読" in page and "高橋" in page and "佐藤" not in page and "鈴木" not in page
    roster = client.get(f"/community/circulars/manage/{setting.association.pk}/roster/").content.decode()
    assert "高橋" in roster and "鈴木" not in roster  # (佐藤 is also the form's example name)
    assert client.get(f"/community/circulars/manage/households/{setting.paper.pk}/").status_code == 404
    assert client.get(f"/community/circulars/manage/households/{theirs.pk}/").status_code == 200
    assert client.get(f"/community/circulars/manage/{setting.association.pk}/new/").status_code == 403
    client.post(f"/community/circulars/manage/circulars/{circular.pk}/paper/", {"household": [setting.paper.pk]})
    assert not Receipt.objects.filter(circular=circular, household=setting.paper, read_at__isnull=False).exists()
    csv_text = body_text(client.get(f"/community/circulars/manage/circulars/{circular.pk}/receipts.csv"))
    assert "高橋" in csv_text and "佐藤" not in csv_text


# --- Finding one's association among the city's hundreds (the join request) ---

def _options(page: str) -> list[str]:
    select = page.split('name="association"', 1)[1].split("</select>", 1)[0]
    return [option.split(">", 1)[1].split("</option>", 1)[0] for option in select.split("<option")[1:]]


@pytest.fixture
def towns():
    from asahikawa.accounts.tests.factories import DistrictFactory

    nagayama, kagura = DistrictFactory(name="永山"), DistrictFactory(name="神楽")
    resident = UserFactory()
    resident.profile.district = nagayama
    resident.profile.save()
    return type("Towns", (), {
        "nagayama": nagayama, "kagura": kagura, "resident": resident,
        "third": AssociationFactory(name="永山3条町内会", district=nagayama),
        "suehiro": AssociationFactory(name="末広東町内会", furigana="すえひろひがし", district=nagayama),
        "kagura_oka": AssociationFactory(name="神楽岡町内会", district=kagura),
    })


def test_a_resident_is_offered_the_associations_of_their_own_district_first(towns):
    for url in ("/community/circulars/", "/community/circulars/join/"):  # a resident of no association sees the forms on both
        options = _options(client_for(towns.resident).get(url).content.decode())
        assert options[1:] == ["末広東町内会（永山）", "永山3条町内会（永山）"], url  # すえひろ, ながやま: 五十音順


@pytest.mark.parametrize("typed, found", [
    ("末広", ["末広東町内会（永山）"]),                      # part of the name
    ("すえひろ", ["末広東町内会（永山）"]),                   # the furigana staff gave
    ("ながやま", ["永山3条町内会（永山）"]),                  # the dictionary's reading of the name
    ("ﾅｶﾞﾔﾏ", ["永山3条町内会（永山）"]),                    # whatever the script and width
    ("町内会", ["神楽岡町内会（神楽）", "末広東町内会（永山）", "永山3条町内会（永山）"]),  # by reading
    ("札幌", []),
])
def test_a_resident_finds_an_association_by_name_or_reading_in_every_district(towns, typed, found):
    response = client_for(towns.resident).get("/community/circulars/join/", {"district": "", "q": typed})
    page = response.content.decode()
    assert response.status_code == 200 and _options(page)[1:] == found
    assert ("見つかりませんでした" in page) == (not found)
    chosen = [option for option in page.split('name="association"', 1)[1].split("</select>")[0].split("<option")
              if "selected>" in option and 'value=""' not in option]
    assert len(chosen) == (len(found) == 1)  # the one association found is chosen


def test_a_request_for_an_association_outside_the_search_is_accepted_and_a_bad_search_is_named(towns):
    client = client_for(towns.resident)
    response = client.post("/community/circulars/join/request/?q=末広",
                           {"association": towns.kagura_oka.pk, "household_name": "新井", "address": "9番地"})
    assert response.status_code == 302 and towns.kagura_oka.join_requests.get().user == towns.resident
    response = client.get("/community/circulars/join/", {"district": "nowhere"})
    assert response.status_code == 400
    assert "地区：" in response.content.decode() and _options(response.content.decode())[1:] == []
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/community/circulars/join/", {"district": "nowhere"}).content.decode()
    assert "District:" in english and "Select a valid choice" in english


def test_the_join_forms_show_at_most_fifty_associations_in_a_fixed_number_of_queries(towns):
    from asahikawa.accounts.tests.factories import AssociationFactory as Factory

    client = client_for(towns.resident)

    def queries_and_options():
        queries, response = counted_get(client, "/community/circulars/")
        page = response.content.decode()
        return queries, _options(page), page

    few_queries, few, _page = queries_and_options()
    Factory.create_batch(60, district=towns.nagayama)
    many_queries, many, page = queries_and_options()
    assert len(few) == 3 and len(many) == 51 and many_queries == few_queries  # the empty choice and 50
    assert "最初の 50 件を表示しています" in page
