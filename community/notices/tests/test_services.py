"""The notices' rules: targeting, fan-out once, opens counted once, small groups suppressed, safe
Markdown, furigana."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from asahikawa.accounts.tests.factories import AssociationFactory, DistrictFactory, UserFactory
from asahikawa.errors import ApplicationError
from asahikawa.notifications.models import Notification
from community.notices import selectors, services
from community.notices.markup import render_markdown, with_furigana
from community.notices.models import Notice, Open

from .factories import notice

pytestmark = pytest.mark.django_db


def resident(email, *, district=None, association=None, age=None):
    user = UserFactory(email=email)
    profile = user.profile
    profile.district = district
    profile.association = association
    profile.birth_year = timezone.localdate().year - age if age is not None else None
    profile.save()
    return user


@pytest.fixture
def town():
    """Two districts, three associations, residents of every kind (hand-built table)."""
    north, south = DistrictFactory(name="北"), DistrictFactory(name="南")
    n1, n2, s1 = (
        AssociationFactory(district=north),
        AssociationFactory(district=north),
        AssociationFactory(district=south),
    )
    table = [
        # email, district, association, age
        ("n1-35@x.jp", north, n1, 35),
        ("n1-72@x.jp", north, n1, 72),
        ("n2-38@x.jp", north, n2, 38),
        ("n2-95@x.jp", north, n2, 95),
        ("n-noage@x.jp", north, None, None),
        ("s1-31@x.jp", south, s1, 31),
        ("s1-70@x.jp", south, s1, 79),
        ("nowhere-30@x.jp", None, None, 30),
    ]
    users = {email: resident(email, district=d, association=a, age=age) for email, d, a, age in table}
    return {"north": north, "south": south, "n1": n1, "n2": n2, "s1": s1, "users": users}


def targeted(n) -> set[str]:
    return set(Notification.objects.filter(dedupe_key=n.dedupe_key).values_list("user__email", flat=True))


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ({"district_ids": "north"}, {"n1-35@x.jp", "n1-72@x.jp", "n2-38@x.jp", "n2-95@x.jp", "n-noage@x.jp"}),
        ({"age_bands": [30]}, {"n1-35@x.jp", "n2-38@x.jp", "s1-31@x.jp", "nowhere-30@x.jp"}),
        ({"age_bands": [70, 90]}, {"n1-72@x.jp", "n2-95@x.jp", "s1-70@x.jp"}),
        ({"district_ids": "north", "age_bands": [30]}, {"n1-35@x.jp", "n2-38@x.jp"}),
        ({"association_ids": "n2"}, {"n2-38@x.jp", "n2-95@x.jp"}),
        ({"district_ids": "north,south", "age_bands": [70], "association_ids": "n1,s1"}, {"n1-72@x.jp", "s1-70@x.jp"}),
        ({"district_ids": "south", "association_ids": "n1"}, set()),
    ],
)
def test_a_notice_reaches_exactly_its_target_set(town, audience, expected):
    kwargs = dict(audience)
    for key in ("district_ids", "association_ids"):
        if key in kwargs:
            kwargs[key] = [town[name].pk for name in kwargs[key].split(",")]
    n = notice(**kwargs)
    assert targeted(n) == expected
    assert n.targeted == len(expected)


def test_everyone_reaches_every_active_resident(town):
    town["users"]["s1-31@x.jp"].is_active = False
    town["users"]["s1-31@x.jp"].save()
    n = notice()
    assert targeted(n) == set(town["users"]) - {"s1-31@x.jp"}


def test_delivering_twice_gives_nobody_a_second_copy(town):
    n = notice(district_ids=[town["north"].pk])
    before = Notification.objects.filter(dedupe_key=n.dedupe_key).count()
    assert before == 5
    services.notice_publish(notice_id=n.pk)  # a retried task
    services._fan_out(n)  # and the fan-out itself, again
    assert Notification.objects.filter(dedupe_key=n.dedupe_key).count() == before
    n.refresh_from_db()
    assert n.targeted == before


def test_reach_by_district_and_age_band(town):
    n = notice(district_ids=[town["north"].pk])
    services.notice_open(user=town["users"]["n1-35@x.jp"], notice=n)
    reach = selectors.reach(n)
    assert reach["districts"] == [{"label": "北", "targeted": 5, "delivered": 0, "opened": 1}]
    bands = {group["label"]: (group["targeted"], group["opened"]) for group in reach["bands"]}
    assert bands == {"30〜39歳": (2, 1), "70〜79歳": (1, 0), "90歳以上": (1, 0), "不明": (1, 0)}


def test_delivered_counts_the_emails_sent(town, django_capture_on_commit_callbacks):
    n = notice(district_ids=[town["north"].pk])  # emails queued on commit, never sent here
    assert selectors.reach(n)["total"] == {"targeted": 5, "delivered": 0, "opened": 0}
    with django_capture_on_commit_callbacks(execute=True):
        m = notice(district_ids=[town["north"].pk], title="送られる")
    assert selectors.reach(m)["total"] == {"targeted": 5, "delivered": 5, "opened": 0}


def test_urgent_notices_are_emailed_at_once_whatever_the_preference(town, django_capture_on_commit_callbacks):
    from asahikawa.notifications.models import NotificationPreference

    user = town["users"]["n1-35@x.jp"]
    NotificationPreference.objects.create(user=user, kind="city_notice", channel="inbox")
    with django_capture_on_commit_callbacks(execute=True):
        n = notice(district_ids=[town["north"].pk], urgent=True, title="大雪で排雪します")
    assert Notification.objects.get(user=user, dedupe_key=n.dedupe_key).delivery == "email"
    assert any(user.email in m.to and "排雪" in m.subject for m in mail.outbox)


def test_ordinary_notices_follow_the_preference(town, django_capture_on_commit_callbacks):
    from asahikawa.notifications.models import NotificationPreference

    user = town["users"]["n1-35@x.jp"]
    NotificationPreference.objects.create(user=user, kind="city_notice", channel="inbox")
    with django_capture_on_commit_callbacks(execute=True):
        n = notice(district_ids=[town["north"].pk], title="ふつうのお知らせ")
    assert Notification.objects.get(user=user, dedupe_key=n.dedupe_key).delivery == "inbox"
    assert not any(user.email in m.to for m in mail.outbox)


def test_reach_counts_an_open_once(town):
    n = notice(district_ids=[town["north"].pk])
    user = town["users"]["n1-35@x.jp"]
    assert services.notice_open(user=user, notice=n) is True
    assert services.notice_open(user=user, notice=n) is False
    assert selectors.reach(n)["total"]["opened"] == 1 and Open.objects.filter(notice=n).count() == 1
    # the inbox copy is read too
    assert Notification.objects.get(user=user, dedupe_key=n.dedupe_key).read_at is not None


def test_an_open_by_someone_not_targeted_is_not_counted(town):
    n = notice(district_ids=[town["north"].pk], public=True)
    assert services.notice_open(user=town["users"]["s1-31@x.jp"], notice=n) is False
    assert selectors.reach(n)["total"]["opened"] == 0


@pytest.mark.parametrize(("count", "text"), [(0, "<5"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1,234")])
def test_groups_under_5_never_show_a_number(count, text):
    assert selectors.shown(count) == text


def test_reach_csv_suppresses_small_groups(town):
    n = notice(district_ids=[town["north"].pk])
    rows = list(selectors.reach_csv_rows([n]))
    assert rows and all(cell == "<5" for row in rows for cell in row[6:])


def test_opens_by_hour(town):
    n = notice(district_ids=[town["north"].pk])
    users = list(Notification.objects.filter(dedupe_key=n.dedupe_key).values_list("user_id", flat=True))
    for user_id, hours in zip(users, [0.5, 0.7, 2.2, 71.9, 80]):
        Open.objects.create(notice=n, user_id=user_id, opened_at=n.published_at + datetime.timedelta(hours=hours))
    counts = selectors.opens_by_hour(n)
    assert len(counts) == 72 and counts[0] == 2 and counts[2] == 1 and counts[71] == 1 and sum(counts) == 4


def test_a_notice_waits_for_its_time_then_the_beat_sends_it(town):
    later = timezone.now() + datetime.timedelta(hours=2)
    n = notice(district_ids=[town["north"].pk], publish=False, publish_at=later)
    assert services.notices_publish_due() == 0
    assert not Notification.objects.filter(dedupe_key=n.dedupe_key).exists()
    assert services.notices_publish_due(now=later + datetime.timedelta(minutes=1)) == 1
    n.refresh_from_db()
    assert n.published_at is not None and n.targeted == 5
    assert services.notices_publish_due(now=later + datetime.timedelta(minutes=2)) == 0


def test_expired_notices_leave_the_list_and_the_banner(town):
    n = notice(district_ids=[town["north"].pk], urgent=True)
    user = town["users"]["n1-35@x.jp"]
    assert list(selectors.urgent_for(user)) == [n]
    Notice.objects.filter(pk=n.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert list(selectors.urgent_for(user)) == []


def test_urgent_notices_come_first(town):
    ordinary = notice(title="ふつう")
    urgent = notice(title="緊急", urgent=True)
    later = notice(title="あとのふつう")
    user = town["users"]["n1-35@x.jp"]
    assert list(selectors.notices_for(user)) == [urgent, later, ordinary]


def test_a_notice_needs_an_audience_and_a_whole_easy_version():
    with pytest.raises(ApplicationError) as error:
        services.notice_save(author=None, category="snow", title="t", body="b", everyone=False)
    assert "everyone" in error.value.extra["fields"]
    with pytest.raises(ApplicationError) as error:
        services.notice_save(author=None, category="snow", title="t", body="b", everyone=True, easy_title="やさしい")
    assert "easy_body" in error.value.extra["fields"]
    assert not Notice.objects.exists()


def test_a_sent_notice_cannot_be_changed(town):
    n = notice()
    with pytest.raises(ApplicationError):
        services.notice_save(author=None, notice=n, category="snow", title="x", body="y", everyone=True)


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        '<a href="https://evil.example" onclick="steal()">raw</a>',
        "[x](JaVaScRiPt:alert(1))",
        "<iframe src=https://evil.example></iframe>",
        "![img](javascript:alert(1))",
        "<style>body{display:none}</style>",
    ],
)
def test_unsafe_markdown_renders_inert(source):
    """Parsed as a browser would: only whitelisted elements, no event handler, no script URL."""
    elements = _elements(str(render_markdown(source)))
    for tag, attributes in elements:
        assert tag in {"p", "a", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "br", "hr", "code"}, tag
        for name, value in attributes:
            assert not name.startswith("on") and name in {"href", "rel"}, name
            if name == "href":
                assert value.split(":")[0].lower() in {"http", "https", "mailto", "tel"}, value


def _elements(html: str) -> list:
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Parser().feed(html)
    return found


def test_markdown_keeps_what_it_should():
    html = str(render_markdown("## 見出し\n\n**太字** と [市](https://www.city.asahikawa.hokkaido.jp/)\n\n- 一\n- 二"))
    assert "<h2>見出し</h2>" in html and "<strong>太字</strong>" in html and "<li>一</li>" in html
    assert 'href="https://www.city.asahikawa.hokkaido.jp/"' in html and "noopener" in html


@pytest.mark.parametrize(
    ("word", "reading"),
    [
        ("旭川", "あさひかわ"),
        ("除雪", "じょせつ"),
        ("防災", "ぼうさい"),
        ("避難", "ひなん"),
        ("地震", "じしん"),
        ("市役所", "しやくしょ"),
    ],
)
def test_furigana_of_hand_checked_words(word, reading):
    html = str(with_furigana(str(render_markdown(word))))
    assert f"<ruby>{word}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>" in html


def test_staff_correct_a_reading(db):
    services.reading_save(word="永山", reading="ながやま")
    html = str(with_furigana("永山地区", selectors.overrides()))
    assert "<ruby>永山<rp>(</rp><rt>ながやま</rt>" in html


def test_furigana_never_touches_the_tags_and_escapes_text():
    html = str(with_furigana(str(render_markdown("[旭川](https://example.jp/旭川) &lt;b&gt;"))))
    assert 'href="https://example.jp/' in html and "<rt>あさひかわ</rt>" in html and "<b>" not in html


def test_export_and_erase(town):
    n = notice(district_ids=[town["north"].pk])
    user = town["users"]["n1-35@x.jp"]
    services.notice_open(user=user, notice=n)
    services.reader_setting_save(user=user, easy=True, furigana=False)
    data = selectors.export_data(user)
    assert data["reader_setting"] == {"easy": True, "furigana": False}
    assert data["opened"][0]["notice"] == n.title and data["opened"][0]["opened_at"]
    services.notices_data_erase(user=user)
    assert selectors.export_data(user) == {"reader_setting": None, "opened": []}


def test_the_beat_sends_due_notices_every_minute():
    from asahikawa.areas import beat_schedule
    from asahikawa.celery import app

    entry = beat_schedule()["notices-publish-due"]
    assert entry["task"] == "community.notices.tasks.publish_due"
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([12, 7, 3], ["12", "＊", "<5"]),  # 3 alone would be the total minus 12 and 7
        ([12, 7, 3, 0], ["12", "7", "<5", "<5"]),
        ([12, 7], ["12", "7"]),
        ([4], ["<5"]),
    ],
)
def test_a_lone_small_group_takes_another_with_it(counts, shown):
    assert selectors.suppressed_column(counts) == shown
