"""Demo data of the circular board: two sample associations (the platform's 永山3条町内会（サンプル）
and one more), their groups and households (some paper only), circulars with answers, a past
safety check and a few board posts. Idempotent; every invented value is labeled サンプル."""
import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from asahikawa.accounts.models import Association, District

from . import services
from .models import Circular, Group, Membership, OfficerTitle, Post, Question, Receipt, Safety, Via

FIRST = "永山3条町内会（サンプル）"
SECOND = "神楽岡2条町内会（サンプル）"
SURNAMES = ["佐藤", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "松本",
            "井上", "木村", "林", "清水", "山崎", "森", "池田"]


def _roster(association, groups, per_group, paper_every, start=0):
    made = []
    number = start
    for position, name in enumerate(groups, start=1):
        group, _created = Group.objects.get_or_create(association=association, name=name,
                                                      defaults={"position": position})
        for index in range(per_group):
            surname = SURNAMES[number % len(SURNAMES)]
            household = services.household_save(
                association=association, group=group, name=f"{surname}（サンプル）",
                address=f"{number + 1}番地（サンプル）", paper_only=(index % paper_every == paper_every - 1),
                is_sample=True,
            )
            made.append(household)
            number += 1
    return made


def _shift(circular, days):
    """Move a sample circular (and its receipts) into the past."""
    published = timezone.now() - datetime.timedelta(days=days)
    Circular.objects.filter(pk=circular.pk).update(published_at=published, created_at=published)
    Receipt.objects.filter(circular=circular, read_at__isnull=False).update(read_at=published + datetime.timedelta(hours=5))
    Receipt.objects.filter(circular=circular, answered_at__isnull=False).update(
        answered_at=published + datetime.timedelta(hours=6))


def _answer_sample(circular, households, answers, *, head_counts=None):
    for index, (household, answer) in enumerate(zip(households, answers)):
        if answer is None:
            continue
        Receipt.objects.filter(circular=circular, household=household).update(
            read_at=timezone.now(), via=Via.PAPER if household.paper_only else Via.WEB, answer=answer,
            head_count=(head_counts or {}).get(index), answered_at=timezone.now(),
            note="（サンプル）" if answer == Safety.HELP else "",
        )


def load(stdout):
    User = get_user_model()
    first = Association.objects.filter(name=FIRST).first()
    officer = User.objects.filter(email="officer@example.jp").first()
    resident = User.objects.filter(email="resident@example.jp").first()
    if first is None or officer is None or Group.objects.filter(association=first).exists():
        return
    district = District.objects.filter(code="kagura").first() or first.district
    second, _created = Association.objects.get_or_create(name=SECOND, defaults={"district": district, "is_sample": True})

    households = _roster(first, ["1班（サンプル）", "2班（サンプル）", "3班（サンプル）"], per_group=6, paper_every=4)
    others = _roster(second, ["東班（サンプル）", "西班（サンプル）"], per_group=5, paper_every=3, start=7)

    services.officer_role_assign(association=first, user=officer, title=OfficerTitle.CHAIR)
    Membership.objects.get_or_create(user=officer, association=first, ended_at=None,
                                     defaults={"household": households[1]})
    if resident is not None:
        Membership.objects.get_or_create(user=resident, association=first, ended_at=None,
                                         defaults={"household": households[0]})

    cleanup = services.circular_create(
        association=first, author=officer, is_sample=True,
        data=services.CircularInput(
            title="ごみステーション清掃のお知らせ（サンプル）",
            body="6月の第1日曜日、朝8時からごみステーションの清掃を行います。軍手をお持ちください。（サンプル）",
            due_date=timezone.localdate() + datetime.timedelta(days=7), question=Question.ATTENDANCE,
            question_text="清掃に参加しますか", remind_after_days=3,
        ),
    )
    _answer_sample(cleanup, households[1:], ["attend", "absent", None, "attend", "attend", None, "absent"],
                   head_counts={0: 2, 3: 1, 4: 3})
    _shift(cleanup, 2)

    dues = services.circular_create(
        association=first, author=officer, is_sample=True,
        data=services.CircularInput(
            title="町内会費の集金について（サンプル）", body="今年度の町内会費の集金日をお知らせします。（サンプル）",
            question=Question.YES_NO, question_text="口座振替を希望しますか",
        ),
    )
    _answer_sample(dues, households, ["yes", "no", "yes", None, "yes", "no", "yes", "yes", None, "no"])
    _shift(dues, 9)

    blizzard = services.safety_check_send(association=first, author=officer, is_sample=True,
                                          title="大雪による安否確認（サンプル）",
                                          body="昨夜からの大雪で、除雪が必要な世帯や支援が必要な世帯を確認しています。（サンプル）")
    answers = [Safety.SAFE, Safety.SAFE, Safety.HELP, None, Safety.SAFE, Safety.AWAY, Safety.SAFE, None, Safety.SAFE,
               Safety.HELP, Safety.SAFE, None, Safety.SAFE, Safety.SAFE, Safety.AWAY, Safety.SAFE]
    _answer_sample(blizzard, households, answers)
    _shift(blizzard, 20)

    festival = Circular.objects.create(
        association=second, title="夏祭りの出店の希望（サンプル）", body="夏祭りの出店を募集します。（サンプル）",
        question=Question.CHOICE, question_text="手伝える係を選んでください",
        options=["焼きとうきび", "受付", "片付け"], is_sample=True,
    )
    services.circular_publish(circular_id=festival.pk)
    _answer_sample(festival, others, ["受付", "片付け", None, "焼きとうきび", "受付", None, None, "受付"])
    _shift(festival, 4)

    post = Post.objects.create(association=first, author=officer, title="雪はねボランティアの募集（サンプル）",
                               body="高齢の世帯の玄関前の雪はねを手伝ってくださる方を募集します。（サンプル）", is_sample=True)
    if resident is not None:
        services.comment_create(user=resident, post=post, body="土曜日の午前なら手伝えます。（サンプル）")
        Post.objects.create(association=first, author=resident, title="子ども用スキーのおさがり（サンプル）",
                            body="小学生用のスキー板をお譲りします。（サンプル）", is_sample=True)
    stdout.write(f"Circular board: {FIRST} and {SECOND} with groups, households (some on paper), circulars "
                 "and a past safety check (サンプル).")
