import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asahikawa.accounts.models import Profile
from asahikawa.accounts.tests.factories import AssociationFactory, DistrictFactory, UserFactory
from asahikawa.errors import ApplicationError
from asahikawa.notifications.models import Notification
from asahikawa.uploads import MAX_DOCUMENT_BYTES, private_storage
from community.circulars import roles, services
from community.circulars.models import (
    Attachment,
    Circular,
    JoinCode,
    Membership,
    OfficerRole,
    Receipt,
    Reminder,
    RetentionPolicy,
)

from .factories import PDF, GroupFactory, HouseholdFactory, make_officer, member, pdf, publish

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def town():
    """An association with two groups: A (3 households, one on paper) and B (2 households)."""
    association = AssociationFactory()
    officer = make_officer(association)
    a, b = GroupFactory(association=association, name="A班"), GroupFactory(association=association, name="B班")
    households = [HouseholdFactory(group=a), HouseholdFactory(group=a), HouseholdFactory(group=a, paper_only=True),
                  HouseholdFactory(group=b), HouseholdFactory(group=b)]
    members = [member(household=households[0]), member(household=households[0]), member(household=households[1]),
               member(household=households[3])]
    return type("Town", (), {"association": association, "officer": officer, "a": a, "b": b,
                             "households": households, "members": members})


def stored_files():
    storage = private_storage()
    try:
        folders, _files = storage.listdir("circulars")
    except FileNotFoundError:
        return 0
    count = 0
    for year in folders:
        for month in storage.listdir(f"circulars/{year}")[0]:
            count += len(storage.listdir(f"circulars/{year}/{month}")[1])
    return count


def test_publishing_writes_one_receipt_per_household_and_tells_every_member(town):
    circular = publish(town.association, town.officer, title="清掃のお知らせ")
    assert circular.published_at is not None
    assert Receipt.objects.filter(circular=circular).count() == 5
    assert set(Notification.objects.filter(dedupe_key=f"circular:{circular.pk}").values_list("user_id", flat=True)) == {
        m.user_id for m in town.members}
    assert services.circular_publish(circular_id=circular.pk) is False  # once
    assert Receipt.objects.filter(circular=circular).count() == 5


def test_a_circular_to_some_groups_reaches_only_their_households(town):
    circular = publish(town.association, town.officer, everyone=False, groups=[town.b])
    assert set(Receipt.objects.filter(circular=circular).values_list("household_id", flat=True)) == {
        town.households[3].pk, town.households[4].pk}
    notified = set(Notification.objects.filter(dedupe_key=f"circular:{circular.pk}").values_list("user_id", flat=True))
    assert notified == {town.members[3].user_id}


def test_publishing_is_a_fixed_number_of_queries_whatever_the_roster(town):
    def count(extra):
        for _ in range(extra):
            member(household=HouseholdFactory(group=town.a))
        with CaptureQueriesContext(connection) as queries:
            services.circular_publish(circular_id=Circular.objects.create(association=town.association, title="x").pk)
        return len(queries)

    assert count(0) == count(40)


def test_a_scheduled_circular_is_published_by_the_beat_when_due(town):
    with time_machine.travel(NOW, tick=False):
        circular = publish(town.association, town.officer, publish_at=NOW + datetime.timedelta(hours=2))
        assert circular.published_at is None and not circular.receipts.exists()
        assert services.circulars_publish_due() == 0
    with time_machine.travel(NOW + datetime.timedelta(hours=2, minutes=1), tick=False):
        assert services.circulars_publish_due() == 1
        assert services.circulars_publish_due() == 0
    circular.refresh_from_db()
    assert circular.published_at is not None and circular.receipts.count() == 5


def test_the_first_member_to_open_marks_the_household_and_the_second_does_not_change_it(town):
    circular = publish(town.association, town.officer)
    first, second = town.members[0].user, town.members[1].user
    receipt, was_first = services.circular_open(user=first, circular=circular)
    assert was_first and receipt.read_by == first
    receipt, was_first = services.circular_open(user=second, circular=circular)
    assert not was_first and receipt.read_by == first
    assert Receipt.objects.filter(circular=circular, read_at__isnull=False).count() == 1


def test_an_outsider_cannot_open_or_answer(town):
    circular = publish(town.association, town.officer, question="yes_no", question_text="?")
    outsider = member().user  # a member of another association
    for call in (lambda: services.circular_open(user=outsider, circular=circular),
                 lambda: services.circular_answer(user=outsider, circular=circular, answer="yes")):
        with pytest.raises(ApplicationError) as error:
            call()
        assert error.value.status_code == 404
    assert not Receipt.objects.filter(circular=circular, read_at__isnull=False).exists()


def test_answers_are_checked_and_the_last_one_counts(town):
    circular = publish(town.association, town.officer, question="attendance", question_text="参加しますか")
    user = town.members[0].user
    with pytest.raises(ApplicationError) as error:
        services.circular_answer(user=user, circular=circular, answer="attend")
    assert "head_count" in error.value.extra["fields"]
    with pytest.raises(ApplicationError) as error:
        services.circular_answer(user=user, circular=circular, answer="maybe")
    assert "answer" in error.value.extra["fields"]
    services.circular_answer(user=user, circular=circular, answer="attend", head_count=3)
    services.circular_answer(user=town.members[1].user, circular=circular, answer="absent", head_count=9)
    receipt = Receipt.objects.get(circular=circular, household=town.households[0])
    assert (receipt.answer, receipt.head_count, receipt.answered_by) == ("absent", None, town.members[1].user)


def test_a_choice_question_needs_two_options_and_takes_only_them(town):
    with pytest.raises(ApplicationError) as error:
        publish(town.association, town.officer, question="choice", question_text="係", options=["受付"])
    assert "options" in error.value.extra["fields"]
    circular = publish(town.association, town.officer, question="choice", question_text="係", options=["受付", "片付け", ""])
    assert circular.options == ["受付", "片付け"]
    with pytest.raises(ApplicationError):
        services.circular_answer(user=town.members[0].user, circular=circular, answer="焼きとうきび")
    services.circular_answer(user=town.members[0].user, circular=circular, answer="片付け")


def test_only_officers_write_circulars(town):
    with pytest.raises(ApplicationError):
        publish(town.association, town.members[0].user)
    assert not Circular.objects.exists()


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all" * 10, "application/pdf"), "PDF・JPEG・PNG"),
    (SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES, "application/pdf"), "10MB"),
])
def test_a_refused_attachment_leaves_nothing_stored(town, upload, message):
    before = stored_files()
    with pytest.raises(ApplicationError) as error:
        publish(town.association, town.officer, attachments=[pdf(), upload])
    assert message in error.value.extra["fields"]["attachments"][0]
    assert not Circular.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == before


def test_at_most_five_attachments(town):
    with pytest.raises(ApplicationError) as error:
        publish(town.association, town.officer, attachments=[pdf(f"{n}.pdf") for n in range(6)])
    assert "attachments" in error.value.extra["fields"]
    circular = publish(town.association, town.officer, attachments=[pdf(f"{n}.pdf") for n in range(5)])
    attachment = circular.attachments.first()
    assert circular.attachments.count() == 5 and attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith("circulars/") and "お知らせ" not in attachment.file.name


def test_paper_households_are_marked_by_hand_and_only_within_the_leaders_group(town):
    circular = publish(town.association, town.officer)
    leader = UserFactory()
    services.officer_role_assign(association=town.association, user=leader, title="group_leader", group=town.b)
    paper, in_b = town.households[2], town.households[4]
    assert services.receipts_mark_paper(actor=leader, circular=circular, household_ids=[paper.pk, in_b.pk]) == 1
    assert services.receipts_mark_paper(actor=town.officer, circular=circular, household_ids=[paper.pk]) == 1
    assert set(Receipt.objects.filter(circular=circular, via="paper").values_list("household_id", flat=True)) == {
        paper.pk, in_b.pk}


def test_a_reminder_goes_only_to_unread_households_and_only_once(town):
    with time_machine.travel(NOW, tick=False):
        circular = publish(town.association, town.officer, remind_after_days=3)
        services.circular_open(user=town.members[0].user, circular=circular)  # household 0 has read it
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        assert services.reminders_send_due() == 0
    with time_machine.travel(NOW + datetime.timedelta(days=3, minutes=1), tick=False):
        assert services.reminders_send_due() == 1
        assert services.reminders_send_due() == 0  # once per reminder
        assert services.circular_remind(circular=circular, number=1) is None
    reminded = Notification.objects.filter(dedupe_key=f"circular:{circular.pk}:reminder:1")
    # the members of households 1 and 3 (unread); not the two members of household 0, who read it
    assert sorted(reminded.values_list("user_id", flat=True)) == sorted([town.members[2].user_id, town.members[3].user_id])
    reminder = Reminder.objects.get(circular=circular)
    assert (reminder.households, reminder.notified) == (4, 2)  # 4 unread households, one on paper, one without accounts


def test_a_second_reminder_is_its_own_and_a_reminder_is_set_based(town):
    circular = publish(town.association, town.officer)
    services.circular_remind(circular=circular)
    for _ in range(30):
        member(household=HouseholdFactory(group=town.a))
    big = publish(town.association, town.officer)
    with CaptureQueriesContext(connection) as small_queries:
        services.circular_remind(circular=circular)
    with CaptureQueriesContext(connection) as big_queries:
        services.circular_remind(circular=big)
    assert len(small_queries) == len(big_queries)
    assert list(circular.reminders.values_list("number", flat=True)) == [1, 2]


def test_a_join_code_works_once_and_not_after_it_expires(town):
    household = town.households[4]
    code = services.join_code_issue(household=household, actor=town.officer)
    user, other = UserFactory(), UserFactory()
    membership = services.join_code_redeem(user=user, code=code.code.lower()[:5] + "-" + code.code.lower()[5:])
    assert membership.household == household and roles.is_member(user, town.association)
    assert Profile.objects.get(user=user).association == town.association
    with pytest.raises(ApplicationError) as error:
        services.join_code_redeem(user=other, code=code.code)
    assert "すでに使われています" in error.value.message
    assert not Membership.objects.filter(user=other).exists()

    with time_machine.travel(NOW, tick=False):
        late = services.join_code_issue(household=household, actor=town.officer)
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        with pytest.raises(ApplicationError) as error:
            services.join_code_redeem(user=other, code=late.code)
    assert "有効期限" in error.value.message


def test_a_new_code_revokes_the_old_one(town):
    old = services.join_code_issue(household=town.households[4], actor=town.officer)
    new = services.join_code_issue(household=town.households[4], actor=town.officer)
    assert JoinCode.objects.get(pk=old.pk).revoked_at is not None
    with pytest.raises(ApplicationError):
        services.join_code_redeem(user=UserFactory(), code=old.code)
    services.join_code_redeem(user=UserFactory(), code=new.code)


def test_one_household_per_association(town):
    user = town.members[0].user
    code = services.join_code_issue(household=town.households[4], actor=town.officer)
    with pytest.raises(ApplicationError):
        services.join_code_redeem(user=user, code=code.code)
    assert JoinCode.objects.get(pk=code.pk).used_at is None  # the code was not spent


def test_a_join_request_is_approved_into_a_new_household(town):
    user = UserFactory()
    request = services.join_request_create(user=user, association=town.association, household_name="新井", address="9番地")
    with pytest.raises(ApplicationError):
        services.join_request_create(user=user, association=town.association, household_name="新井", address="9番地")
    services.join_request_decide(join_request=request, actor=town.officer, approve=True, group=town.b)
    membership = Membership.objects.get(user=user)
    assert membership.household.name == "新井" and membership.household.group == town.b
    assert Notification.objects.filter(user=user, kind="circular").exists()
    with pytest.raises(ApplicationError):
        services.join_request_decide(join_request=request, actor=town.officer, approve=False)


def test_moving_out_keeps_the_receipt_in_the_totals_without_the_person(town):
    circular = publish(town.association, town.officer, question="yes_no", question_text="?")
    mover = town.members[2]
    services.circular_answer(user=mover.user, circular=circular, answer="yes", note="私です")
    services.membership_end(membership=mover)
    receipt = Receipt.objects.get(circular=circular, household=mover.household)
    assert receipt.read_at is not None and receipt.answer == "yes"
    assert receipt.read_by is None and receipt.answered_by is None
    assert not roles.is_member(mover.user, town.association)
    services.household_move_out(household=mover.household)
    household = mover.household.__class__.objects.get(pk=mover.household_id)
    assert household.left_at is not None and household.address == "" and "転出" in household.name
    assert Receipt.objects.get(circular=circular, household=household).answer == "yes"
    later = publish(town.association, town.officer)
    assert not later.receipts.filter(household=household).exists()


def test_officer_titles_and_profile_officer_of_stay_one_truth(town):
    user = UserFactory()
    role = services.officer_role_assign(association=town.association, user=user, title="vice_chair")
    assert roles.officer_scope(user, town.association).all
    services.officer_role_remove(role=role)
    user = type(user).objects.get(pk=user.pk)
    assert not roles.officer_scope(user, town.association)
    leader = services.officer_role_assign(association=town.association, user=user, title="group_leader", group=town.a)
    scope = roles.officer_scope(user, town.association)
    assert not scope.all and scope.group_ids == {town.a.pk}
    assert Profile.objects.get(user=user).officer_of is None
    other = AssociationFactory()
    with pytest.raises(ApplicationError):
        services.officer_role_assign(association=other, user=town.officer, title="chair")
    with pytest.raises(ApplicationError):
        services.officer_role_assign(association=other, user=user, title="group_leader", group=town.a)
    assert OfficerRole.objects.filter(pk=leader.pk).exists()


def test_a_district_safety_check_reaches_every_association_in_a_fixed_number_of_queries():
    district = DistrictFactory()
    staff = UserFactory()

    def town_of(size):
        association = AssociationFactory(district=district)
        group = GroupFactory(association=association)
        for _ in range(size):
            member(household=HouseholdFactory(group=group))

    town_of(2)
    with CaptureQueriesContext(connection) as few:
        check = services.district_check_send(district=district, actor=staff, title="停電による安否確認")
    assert check.circulars.count() == 1 and Receipt.objects.filter(circular__district_check=check).count() == 2
    for _ in range(4):
        town_of(5)
    with CaptureQueriesContext(connection) as many:
        check = services.district_check_send(district=district, actor=staff, title="大雪")
    assert check.circulars.count() == 5 and Receipt.objects.filter(circular__district_check=check).count() == 22
    assert Notification.objects.filter(dedupe_key=f"circulars:district-check:{check.pk}", urgent=True).count() == 22
    assert len(few) == len(many)


def test_safety_answers_are_erased_after_the_retention_period_keeping_totals(town):
    RetentionPolicy.objects.create(safety_answer_days=30)
    with time_machine.travel(NOW, tick=False):
        check = services.safety_check_send(association=town.association, author=town.officer, title="地震")
        services.circular_answer(user=town.members[0].user, circular=check, answer="help", note="薬が切れた")
        services.circular_answer(user=town.members[3].user, circular=check, answer="safe")
    with time_machine.travel(NOW + datetime.timedelta(days=29), tick=False):
        assert services.safety_answers_erase_expired() == 0
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        assert services.safety_answers_erase_expired() == 1
        assert services.safety_answers_erase_expired() == 0
    check.refresh_from_db()
    assert check.erased_totals == {"households": 5, "answered": 2, "safe": 1, "help": 1, "away": 0}
    assert not Receipt.objects.filter(circular=check).exclude(answer="").exists()
    assert not Receipt.objects.filter(circular=check).exclude(note="").exists()
    with pytest.raises(ApplicationError):
        services.circular_answer(user=town.members[0].user, circular=check, answer="safe")


def test_erasing_an_account_leaves_receipts_in_the_totals_and_posts_visibly_removed(town):
    from community.circulars.models import Post

    circular = publish(town.association, town.officer, question="yes_no", question_text="?")
    user = town.members[2].user
    services.circular_answer(user=user, circular=circular, answer="no", note="note")
    post = services.post_create(user=user, association=town.association, title="t", body="私の投稿")
    exported = services_export(user)
    assert exported["answers"][0]["note"] == "note" and exported["posts"][0]["body"] == "私の投稿"
    assert exported["memberships"][0]["household"] == town.households[1].name
    services.circulars_data_erase(user=user)
    receipt = Receipt.objects.get(circular=circular, household=town.households[1])
    assert receipt.answer == "no" and receipt.read_by is None and receipt.answered_by is None and receipt.note == ""
    post = Post.objects.get(pk=post.pk)
    assert post.author is None and post.author_erased and "私の投稿" not in post.body


def services_export(user):
    from community.circulars.selectors import export_data

    return export_data(user)


def test_a_post_is_hidden_with_a_reason_the_author_is_told(town):
    author = town.members[0].user
    post = services.post_create(user=author, association=town.association, title="t", body="b")
    reporter = town.members[2].user
    services.report_create(user=reporter, post=post, reason="不適切")
    with pytest.raises(ApplicationError):
        services.report_create(user=reporter, post=post, reason="again")
    with pytest.raises(ApplicationError):
        services.item_hide(actor=author, item=post, reason="x")
    with pytest.raises(ApplicationError):
        services.item_hide(actor=town.officer, item=post, reason="")
    services.item_hide(actor=town.officer, item=post, reason="個人情報が含まれていたため")
    post.refresh_from_db()
    assert post.hidden_at is not None and post.hidden_reason == "個人情報が含まれていたため"
    told = Notification.objects.get(user=author, kind="board")
    assert "個人情報が含まれていたため" in told.body
    assert not post.reports.filter(resolved_at=None).exists()


def test_outsiders_cannot_post_on_the_board(town):
    with pytest.raises(ApplicationError):
        services.post_create(user=member().user, association=town.association, title="t", body="b")
    with pytest.raises(ApplicationError):
        services.post_create(user=UserFactory(), association=town.association, title="t", body="b")


def test_time_is_kept_as_aware_utc(town):
    circular = publish(town.association, town.officer)
    assert timezone.is_aware(circular.published_at)


def test_the_account_download_and_deletion_include_the_circular_board(town):
    from asahikawa.accounts.services import user_delete, user_export

    circular = publish(town.association, town.officer, question="yes_no", question_text="?")
    user = town.members[3].user
    services.circular_answer(user=user, circular=circular, answer="yes")
    data = user_export(user=user)["circulars"]
    assert data["answers"][0]["answer"] == "はい" and data["memberships"][0]["ended_at"] is None
    user_delete(user=user)
    receipt = Receipt.objects.get(circular=circular, household=town.households[3])
    assert receipt.answer == "yes" and receipt.read_at is not None and receipt.answered_by is None
    assert not Membership.objects.filter(user_id=user.pk).exists()
