"""The public notices list, cached (views.index, asahikawa/caching.py scope "notices"): a cached
answer runs no query; every write of what it shows is seen at the next request, the clock's too
(a notice sent for a later moment, one that expires); a signed-in resident's list is never cached,
so nothing sent to a district reaches the public through the cache, nor the public's list a resident."""

import datetime
import io

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from asahikawa.testing import count_queries
from community.notices import demo, services, tasks
from community.notices.models import Category, Notice, Open
from conftest import client_for

from .factories import notice

pytestmark = pytest.mark.django_db

URL = "/community/notices/"


def public(url=URL, **headers) -> str:
    response = client_for(None).get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def the_list(page: str) -> str:
    return page[page.index("<h1>"):page.index("ニュースリーダー")]


def shown(title, url=URL, **headers) -> bool:
    return f"{title}</a>" in public(url, **headers)


# --- what is cached, and what a cached answer costs ---


def test_a_cached_public_list_runs_no_query():
    notice(title="除雪のお知らせ", public=True)
    with count_queries() as first:
        assert shown("除雪のお知らせ")
    assert len(first) == 2  # the list and the moment it next changes
    with count_queries() as cached:
        assert shown("除雪のお知らせ")
    assert cached == []  # the layout runs none for the public
    with count_queries() as snow:
        assert shown("除雪のお知らせ", f"{URL}?category=snow")
    assert len(snow) == 2  # a category is a list of its own
    with count_queries() as cached:
        assert shown("除雪のお知らせ", f"{URL}?category=snow")
    assert cached == []


def test_each_category_and_language_has_its_own_body():
    notice(title="除雪のお知らせ", category=Category.SNOW, public=True)
    notice(title="防犯のお知らせ", category=Category.CRIME, public=True)
    assert shown("除雪のお知らせ") and shown("防犯のお知らせ")
    snow = public(f"{URL}?category=snow")
    assert "除雪のお知らせ" in snow and "防犯のお知らせ" not in snow
    crime = public(f"{URL}?category=crime")
    assert "防犯のお知らせ" in crime and "除雪のお知らせ" not in crime
    assert the_list(public(f"{URL}?category=nonsense")) == the_list(public())  # an unknown one: the whole list
    english = public(HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>City notices</h1>" in english and ">All</a>" in english and "除雪のお知らせ</a>" in english
    japanese = public(HTTP_ACCEPT_LANGUAGE="ja")
    assert "<h1>暮らしのお知らせ</h1>" in japanese and "City notices" not in japanese
    assert "<h1>City notices</h1>" in public(f"{URL}?category=snow", HTTP_ACCEPT_LANGUAGE="en")
    # A change reaches every cached body.
    notice(title="ごみのお知らせ", category=Category.GARBAGE, public=True)
    assert shown("ごみのお知らせ") and shown("ごみのお知らせ", HTTP_ACCEPT_LANGUAGE="en")
    assert not shown("ごみのお知らせ", f"{URL}?category=snow")


# --- every write of what the list shows ---


def test_a_notice_sent_at_once_shows():
    assert public()
    notice(title="新しいお知らせ", public=True)
    assert shown("新しいお知らせ")


def test_a_notice_staff_write_on_the_staff_page_shows(make_staff, django_capture_on_commit_callbacks):
    assert public()
    client = client_for(make_staff("community"))
    with django_capture_on_commit_callbacks(execute=True):  # the publish task is queued on commit
        response = client.post(
            "/community/notices/staff/new/",
            {"category": "snow", "title": "職員のお知らせ", "body": "本文", "everyone": "on", "public": "on"},
        )
    assert response.status_code == 302
    assert shown("職員のお知らせ")


def test_a_changed_title_shows():
    n = notice(title="古い件名", public=True)
    assert shown("古い件名")
    n.title = "新しい件名"
    n.save()
    assert shown("新しい件名") and not shown("古い件名")


def test_a_notice_made_not_public_or_ended_leaves_the_list():
    n = notice(title="公開のお知らせ", public=True)
    assert shown("公開のお知らせ")
    n.public = False
    n.save()
    assert not shown("公開のお知らせ")
    n.public = True
    n.save()
    assert shown("公開のお知らせ")
    n.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    n.publish_at = n.expires_at - datetime.timedelta(hours=1)
    n.save()
    assert not shown("公開のお知らせ")


def test_a_deleted_notice_leaves_the_list():
    n = notice(title="消すお知らせ", public=True)
    assert shown("消すお知らせ")
    n.delete()
    assert not shown("消すお知らせ")


def test_notices_deleted_in_the_admin_console_leave_the_list(make_staff):
    one = notice(title="ひとつめ", public=True)
    two = notice(title="ふたつめ", public=True)
    three = notice(title="みっつめ", public=True)
    assert shown("ひとつめ") and shown("ふたつめ") and shown("みっつめ")
    admin = client_for(make_staff("community"))
    response = admin.post(f"/admin/notices/notice/{one.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Notice.objects.filter(pk=one.pk).exists()
    assert not shown("ひとつめ") and shown("ふたつめ")
    # The list's action deletes a queryset: each row still sends its signal (the scope is watched).
    response = admin.post(
        "/admin/notices/notice/", {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"}
    )
    assert response.status_code == 302 and not Notice.objects.filter(pk__in=[two.pk, three.pk]).exists()
    assert LogEntry.objects.count() == 3
    page = public()
    assert "ふたつめ" not in page and "みっつめ" not in page


def test_a_notice_saved_in_the_admin_console_shows_once_the_beat_sends_it(make_staff):
    assert public()
    admin = client_for(make_staff("community"))
    now = timezone.localtime()
    response = admin.post(
        "/admin/notices/notice/add/",
        {
            "category": "snow", "title": "管理画面のお知らせ", "body": "本文", "public": "on", "everyone": "on",
            "age_bands": "[]", "publish_at_0": now.strftime("%Y-%m-%d"), "publish_at_1": now.strftime("%H:%M:%S"),
            "targeted": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not shown("管理画面のお知らせ")  # saved, not sent
    tasks.publish_due()
    assert shown("管理画面のお知らせ")


def test_a_scheduled_notice_shows_when_the_beat_sends_it():
    start = timezone.now().replace(microsecond=0)
    later = start + datetime.timedelta(hours=1)
    with time_machine.travel(start, tick=False) as clock:
        notice(title="予定のお知らせ", public=True, publish=False, publish_at=later)
        assert not shown("予定のお知らせ")
        assert tasks.publish_due() == 0  # not due
        clock.move_to(later)
        assert not shown("予定のお知らせ")  # not sent yet: the same as without the cache
        assert tasks.publish_due() == 1
        assert shown("予定のお知らせ")


def test_a_notice_sent_for_a_later_moment_shows_exactly_then():
    """The clock alone changes the list: a cached body expires at the next published_at."""
    start = timezone.now().replace(microsecond=0)
    moment = start + datetime.timedelta(minutes=10)
    with time_machine.travel(start, tick=False) as clock:
        n = notice(title="十分後のお知らせ", public=True, publish=False, publish_at=start)
        services.notice_publish(notice_id=n.pk, now=moment)
        notice(title="いまのお知らせ", public=True)
        assert not shown("十分後のお知らせ") and shown("いまのお知らせ")  # cached now, until the moment
        clock.move_to(moment - datetime.timedelta(seconds=2))
        assert not shown("十分後のお知らせ")
        clock.move_to(moment)
        assert shown("十分後のお知らせ")


def test_an_expiring_notice_leaves_exactly_when_it_ends():
    start = timezone.now().replace(microsecond=0)
    end = start + datetime.timedelta(hours=2)
    with time_machine.travel(start, tick=False) as clock:
        notice(title="期限つきのお知らせ", public=True, expires_at=end)
        notice(title="期限なしのお知らせ", public=True, category=Category.CRIME)
        assert shown("期限つきのお知らせ")
        assert shown("期限つきのお知らせ", f"{URL}?category=snow")
        assert not shown("期限つきのお知らせ", f"{URL}?category=crime")
        clock.move_to(end - datetime.timedelta(seconds=2))
        with count_queries() as cached:
            assert shown("期限つきのお知らせ")
        assert cached == []
        clock.move_to(end)
        page = public()
        assert "期限つきのお知らせ" not in page and "期限なしのお知らせ</a>" in page
        assert not shown("期限つきのお知らせ", f"{URL}?category=snow")


def test_the_demo_notices_show_once_loaded():
    assert "いま掲載中のお知らせはありません。" in public()
    demo.load(io.StringIO())
    assert shown("防災訓練のご案内（サンプル）")


# --- the public's list and a resident's never cross ---


def test_a_district_notice_never_reaches_the_public_through_the_cache(local, district):
    notice(title="みんなのお知らせ", public=True)
    notice(title="永山だけのお知らせ", district_ids=[district.pk])
    # The resident first, then the public: the resident's list was not cached for them.
    mine = client_for(local).get(URL).content.decode()
    assert "永山だけのお知らせ</a>" in mine and "みんなのお知らせ</a>" in mine
    page = public()
    assert "みんなのお知らせ</a>" in page and "永山だけのお知らせ" not in page
    assert "ログインすると、お住まいの地区や年代に向けたお知らせも届きます。" in page
    # The public first, then the resident: they get their own list, not the public's.
    mine = client_for(local).get(URL).content.decode()
    assert "永山だけのお知らせ</a>" in mine and "ログインすると" not in mine
    assert "永山だけのお知らせ" not in public()


def test_a_residents_list_is_read_each_time(local, district):
    """Nothing the public's cache watches changes when a resident opens a notice: their list still
    shows it opened (it is not cached)."""
    n = notice(title="永山のお知らせ", district_ids=[district.pk])
    client = client_for(local)
    assert '<span class="tag">未読</span> 永山のお知らせ' in client.get(URL).content.decode()
    Open.objects.create(notice=n, user=local)
    page = client.get(URL).content.decode()
    assert "永山のお知らせ</a>" in page and '<span class="tag">未読</span>' not in page
    assert "永山のお知らせ" not in public()


# --- the public's urgent banners on the home page ---


def test_the_publics_urgent_banners_are_cached_and_follow_every_change():
    with count_queries() as first:
        assert "お知らせを読む" not in public("/")
    assert len(first) == 2  # the urgent ones and the moment they next change
    with count_queries() as cached:
        public("/")
    assert cached == []
    urgent = notice(title="断水のお知らせ", public=True, urgent=True)
    assert "断水のお知らせ" in public("/")
    Notice.objects.get(pk=urgent.pk).delete()
    assert "断水のお知らせ" not in public("/")
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        notice(title="停電のお知らせ", public=True, urgent=True, expires_at=start + datetime.timedelta(hours=1))
        assert "停電のお知らせ" in public("/")
        clock.move_to(start + datetime.timedelta(hours=1))
        assert "停電のお知らせ" not in public("/")


def test_an_urgent_notice_to_a_district_is_no_banner_for_the_public(local, district):
    notice(title="永山の断水", district_ids=[district.pk], urgent=True)
    assert "永山の断水" in client_for(local).get("/").content.decode()
    assert "永山の断水" not in public("/")
