import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asahikawa.notifications import services
from asahikawa.notifications.models import Channel, Notification, NotificationPreference
from asahikawa.notifications.tasks import send_daily_digests
from asahikawa.testing import assert_queries_do_not_grow, queries_of
from conftest import client_for

pytestmark = pytest.mark.django_db


def test_notify_puts_it_in_the_inbox_and_emails_after_commit(resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = services.notify(user_ids=[resident.pk], kind="subsidy", title="申請が承認されました")
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[resident.email]]
    assert "申請が承認されました" in mail.outbox[0].subject
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_an_email_is_sent_once_even_if_the_task_runs_twice(resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = services.notify(user_ids=[resident.pk], kind="account", title="once")
    assert services.notification_emails_send(notification_ids=[notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_inbox_only_and_digest_are_not_emailed_at_once(resident, other_resident, django_capture_on_commit_callbacks):
    services.preferences_save(user=resident, channels={"circular": Channel.INBOX})
    services.preferences_save(user=other_resident, channels={"circular": Channel.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[resident.pk, other_resident.pk], kind="circular", title="回覧板")
    assert mail.outbox == []
    assert Notification.objects.filter(kind="circular").count() == 2


def test_daily_digest_gathers_a_users_notifications_in_one_email_and_is_never_empty(
    resident, other_resident, django_capture_on_commit_callbacks
):
    services.preferences_save(user=resident, channels={"circular": Channel.DIGEST, "city_notice": Channel.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[resident.pk], kind="circular", title="回覧その1")
        services.notify(user_ids=[resident.pk], kind="city_notice", title="お知らせその2")
        services.notify(user_ids=[other_resident.pk], kind="circular", title="回覧その1")  # other: email at once
    mail.outbox.clear()

    send_daily_digests.delay()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    assert "回覧その1" in mail.outbox[0].body and "お知らせその2" in mail.outbox[0].body

    mail.outbox.clear()
    send_daily_digests.delay()  # nothing new: no empty digest
    assert mail.outbox == []


def test_urgent_notices_go_at_once_whatever_the_preference(resident, django_capture_on_commit_callbacks):
    services.preferences_save(user=resident, channels={"city_notice": Channel.INBOX})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user_ids=[resident.pk], kind="city_notice", title="避難指示", urgent=True)
    assert len(mail.outbox) == 1


def test_reminders_are_opt_in(resident, other_resident, django_capture_on_commit_callbacks):
    services.preferences_save(user=resident, channels={"garbage_reminder": Channel.EMAIL})
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify(user_ids=[resident.pk, other_resident.pk], kind="garbage_reminder", title="明日は燃やすごみ")
    assert [n.user_id for n in created] == [resident.pk]
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_preferences_page_saves_choices_and_refuses_switching_off_a_non_reminder(resident):
    client = client_for(resident)
    response = client.get("/notifications/settings/")
    assert response.status_code == 200
    data = {code: field.initial if field.initial else response.context["form"].initial[code]
            for code, field in response.context["form"].fields.items()}
    data["garbage_reminder"] = "digest"
    assert client.post("/notifications/settings/", data).status_code == 302
    assert NotificationPreference.objects.get(user=resident, kind="garbage_reminder").channel == "digest"

    data["city_notice"] = "off"
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 400
    assert NotificationPreference.objects.filter(user=resident, kind="city_notice").count() == 1
    assert NotificationPreference.objects.get(user=resident, kind="city_notice").channel == "email"


def test_marking_read_only_touches_ones_own(resident, other_resident):
    (mine,) = services.notify(user_ids=[resident.pk], kind="account", title="mine")
    (theirs,) = services.notify(user_ids=[other_resident.pk], kind="account", title="theirs")
    assert client_for(resident).post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client_for(resident).post(f"/notifications/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_mark_read_never_redirects_off_site(resident):
    (notification,) = services.notify(user_ids=[resident.pk], kind="account", title="x", url="https://evil.example/")
    response = client_for(resident).post(f"/notifications/{notification.pk}/read/")
    assert response["Location"] == "/notifications/"


def test_the_inbox_forms_post_to_mark_read(resident):
    (unread,) = services.notify(user_ids=[resident.pk], kind="account", title="unread")
    (linked,) = services.notify(user_ids=[resident.pk], kind="account", title="linked", url="/wellness/")
    page = client_for(resident).get("/notifications/").content.decode()
    for notification in (unread, linked):
        assert f'action="{reverse("notifications:mark_read", args=[notification.pk])}"' in page


def test_inbox_query_count_does_not_grow_with_rows(resident):
    client = client_for(resident)
    services.notify(user_ids=[resident.pk], kind="account", title="1")
    client.get("/notifications/")

    def inbox():
        assert client.get("/notifications/").status_code == 200

    def grow():
        for i in range(30):
            services.notify(user_ids=[resident.pk], kind="account", title=f"n{i}")

    assert_queries_do_not_grow(inbox, grow)


def test_each_user_gets_a_translatable_message_in_their_own_language(resident, other_resident):
    from django.utils.translation import gettext as _
    from django.utils.translation import gettext_lazy

    other_resident.profile.language = "en"
    other_resident.profile.save()
    created = services.notify(
        user_ids=[resident.pk, other_resident.pk],
        kind="account",
        title=gettext_lazy("新しいお知らせ"),
        body=lambda: _("%(count)s件未読") % {"count": 3},
    )
    texts = {n.user_id: (n.title, n.body) for n in created}
    assert texts[resident.pk] == ("新しいお知らせ", "3件未読")
    assert texts[other_resident.pk] == ("New notices", "3 unread")


def test_one_failing_digest_does_not_hold_back_the_others(resident, other_resident, monkeypatch):
    # A mailbox the server refuses today must not stop everyone else's digest; its own stays pending.
    for user in (resident, other_resident):
        services.preferences_save(user=user, channels={"circular": Channel.DIGEST})
        services.notify(user_ids=[user.pk], kind="circular", title="回覧")
    real_send_mail = services.send_mail

    def send_mail(**kwargs):
        if kwargs["recipient_list"] == [resident.email]:
            raise OSError("mailbox unavailable")
        return real_send_mail(**kwargs)

    monkeypatch.setattr(services, "send_mail", send_mail)
    mail.outbox.clear()
    with pytest.raises(OSError):
        services.daily_digests_send()  # the failure is reported, not swallowed
    assert [message.to for message in mail.outbox] == [[other_resident.email]]
    assert Notification.objects.get(user=resident).emailed_at is None
    assert Notification.objects.get(user=other_resident).emailed_at is not None


def test_the_sweep_sends_what_the_immediate_path_lost_and_nothing_twice(resident, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):  # the task never ran: as if the broker lost it
        (lost,) = services.notify(user_ids=[resident.pk], kind="account", title="失われたメール", url="/dashboard/")
    assert services.pending_emails_send() == 0  # too recent: the normal path may still deliver it
    Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert services.pending_emails_send() == 1
    assert services.pending_emails_send() == 0
    assert [m.subject for m in mail.outbox] == ["[旭川市ポータル] 失われたメール"]


def test_digest_links_are_absolute_once(resident, django_capture_on_commit_callbacks):
    services.preferences_save(user=resident, channels={"account": Channel.DIGEST})
    services.notify(user_ids=[resident.pk], kind="account", title="a", url="/dashboard/")
    services.notify(user_ids=[resident.pk], kind="account", title="b", url="https://www.city.asahikawa.hokkaido.jp/")
    services.daily_digests_send()
    body = mail.outbox[-1].body
    from django.conf import settings

    assert f"\n{settings.PORTAL_BASE_URL}/dashboard/" in body
    assert "\nhttps://www.city.asahikawa.hokkaido.jp/" in body


# --- notify_selected: the set-based send -------------------------------------------------------

def _people(count, **profile):
    from asahikawa.accounts.tests.factories import UserFactory

    users = [UserFactory() for _ in range(count)]
    for user in users:
        for field, value in profile.items():
            setattr(user.profile, field, value)
        user.profile.save()
    return users


def test_notify_selected_reaches_exactly_the_selected_users_in_their_language(resident, other_resident,
                                                                            django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext_lazy

    english = _people(1, language="en")[0]
    left_out = _people(1)[0]
    users = get_user_model().objects.filter(pk__in=[resident.pk, other_resident.pk, english.pk])
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_selected(users=users, kind="account", title=gettext_lazy("プロフィール"),
                                           url="/x/", dedupe_key="test:1")
    assert created == 3
    rows = {n.user_id: n for n in Notification.objects.filter(dedupe_key="test:1")}
    assert set(rows) == {resident.pk, other_resident.pk, english.pk} and left_out.pk not in rows
    assert rows[english.pk].title == "Profile" and rows[resident.pk].title == "プロフィール"
    assert {n.url for n in rows.values()} == {"/x/"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (resident, other_resident, english))
    assert all(n.emailed_at for n in Notification.objects.filter(dedupe_key="test:1"))


def test_notify_selected_twice_gives_nobody_a_second_copy(resident, other_resident):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=[resident.pk, other_resident.pk])
    assert services.notify_selected(users=users, kind="account", title="a", dedupe_key="test:twice") == 2
    assert services.notify_selected(users=users, kind="account", title="a", dedupe_key="test:twice") == 0
    assert Notification.objects.filter(dedupe_key="test:twice").count() == 2


def test_notify_selected_follows_preferences_and_urgent_overrides_them(resident, other_resident):
    from django.contrib.auth import get_user_model

    services.preferences_save(user=resident, channels={"wellness_reminder": Channel.DIGEST})
    # other_resident never chose: a reminder kind is opt-in (off by default)
    users = get_user_model().objects.filter(pk__in=[resident.pk, other_resident.pk])
    assert services.notify_selected(users=users, kind="wellness_reminder", title="r", dedupe_key="test:r") == 1
    assert Notification.objects.get(dedupe_key="test:r").delivery == Channel.DIGEST
    services.notify_selected(users=users, kind="wellness_reminder", title="u", urgent=True, dedupe_key="test:u")
    assert set(Notification.objects.filter(dedupe_key="test:u").values_list("delivery", flat=True)) == {Channel.EMAIL}
    assert Notification.objects.filter(dedupe_key="test:u").count() == 2


def test_notify_selected_is_one_statement_whatever_the_number_of_users():
    from django.contrib.auth import get_user_model

    def queries_for(count, key):
        _people(count)
        users = get_user_model().objects.filter(profile__district__isnull=True)
        return queries_of(lambda: services.notify_selected(users=users, kind="account", title="t", dedupe_key=key))

    assert queries_for(2, "test:q2") == queries_for(20, "test:q20")


def _badge(page: str) -> str:
    nav = page[page.index('class="account-nav"'):]
    nav = nav[: nav.index("</nav>")]
    return nav[nav.index('class="badge"'):].split("</span>")[0] if 'class="badge"' in nav else ""


@pytest.mark.parametrize("path", ["/notifications/", "/dashboard/", "/notifications/?page=2", "/", "/privacy/", "/wellness/"])
def test_the_headers_unread_count_counts_every_unread_one_on_each_page(resident, other_resident, path):
    """The inbox and the dashboard read the count with their own rows (issue 9); it is still all
    of the user's unread ones (25, over two inbox pages), never another user's."""
    services.notify(user_ids=[resident.pk], kind="account", title="read")
    services.notifications_mark_read(user=resident)
    for n in range(25):
        services.notify(user_ids=[resident.pk], kind="account", title=f"n{n}")
    services.notify(user_ids=[other_resident.pk], kind="account", title="not mine")
    assert "25件未読" in _badge(client_for(resident).get(path).content.decode())
    services.notifications_mark_read(user=resident)
    assert _badge(client_for(resident).get(path).content.decode()) == ""


def _mine(user):
    return Notification.objects.filter(user=user)


def _write_bulk_update(user, other):
    rows = list(_mine(user))
    for row in rows:
        row.read_at = timezone.now()
    Notification.objects.bulk_update(rows, ["read_at"])
    return 0


def _write_save(user, other):
    row = _mine(user).get()
    row.read_at = timezone.now()
    row.save()
    return 0


# Each way a user's notifications are written, and the count the header shows after it (one
# unread notification before). The count is read from the cache until one of them happens.
WRITES = {
    "notify (bulk_create)": lambda user, other: services.notify(user_ids=[user.pk, other.pk], kind="account", title="2") and 2,
    "notify_selected (INSERT ... SELECT)": lambda user, other: services.notify_selected(
        users=get_user_model().objects.filter(pk=user.pk), kind="account", title="2", dedupe_key="test:count") and 2,
    "mark one read (update)": lambda user, other: services.notifications_mark_read(
        user=user, notification_ids=list(_mine(user).values_list("pk", flat=True))) and 0,
    "mark all read (update)": lambda user, other: services.notifications_mark_read(user=user) and 0,
    "create (save)": lambda user, other: Notification.objects.create(user=user, kind="account", title="2", delivery="inbox") and 2,
    "read and save (save)": _write_save,
    "delete (signals)": lambda user, other: _mine(user).delete() and 0,
    "bulk_update of read_at": _write_bulk_update,
    "another user's (nothing of mine)": lambda user, other: services.notify(user_ids=[other.pk], kind="account", title="x") and 1,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_the_headers_cached_count_follows_every_write_to_the_users_notifications(resident, other_resident, write):
    client = client_for(resident)
    services.notify(user_ids=[resident.pk], kind="account", title="1")
    assert "1件未読" in _badge(client.get("/privacy/").content.decode())  # counted and cached
    expected = write(resident, other_resident)
    badge = _badge(client.get("/privacy/").content.decode())
    assert (f"{expected}件未読" in badge) if expected else badge == ""


def test_a_write_that_reaches_many_users_changes_everyones_count(resident, other_resident, monkeypatch):
    from asahikawa.notifications import unread

    services.notify(user_ids=[resident.pk, other_resident.pk], kind="account", title="1")
    client = client_for(resident)
    assert "1件未読" in _badge(client.get("/privacy/").content.decode())
    monkeypatch.setattr(unread, "PER_USER_LIMIT", 1)  # two users are "many"
    with CaptureQueriesContext(connection) as queries:
        Notification.objects.update(read_at=timezone.now())
    assert len(queries) == 2  # the users touched (at most the limit and one), then the update
    assert _badge(client.get("/privacy/").content.decode()) == ""


def test_a_signed_in_page_reads_the_headers_count_from_the_cache(resident):
    services.notify(user_ids=[resident.pk], kind="account", title="n")
    client = client_for(resident)
    client.get("/privacy/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/privacy/").content.decode()
    assert "1件未読" in _badge(page)
    assert not any("notifications_notification" in query["sql"] for query in queries)  # the user's query only


def test_the_inbox_reads_its_rows_and_counts_in_one_query(resident):
    client = client_for(resident)
    for n in range(25):
        services.notify(user_ids=[resident.pk], kind="account", title=f"n{n}")
    client.get("/notifications/")
    assert queries_of(lambda: client.get("/notifications/")) <= 2  # the user, the page with its counts
    assert queries_of(lambda: client.get("/notifications/?page=2")) <= 2
    assert queries_of(lambda: client.get("/notifications/?page=9")) <= 4  # past the end: counts, then the last page
