"""Electronic circular board (電子回覧板), member board (町内会員の掲示板) and safety check (安否確認).

The roster: an association (accounts.Association) has groups (班) in their walking order, and
member households (世帯) in each group. A household has one or more resident accounts
(memberships); a "paper only" household has none and its receipts are recorded by hand.

A circular's roster is fixed when it is published: one Receipt row per household of its audience
(INSERT ... SELECT, whatever the size). The first member of a household to open it sets the
receipt's read_at (compare-and-set), so a household is counted once, as on paper. Answers to a
circular's question, and to a safety check, are kept on the same row (one per household).

Moving out: a membership ends (ended_at) and the receipts it opened lose the person (read_by
NULL); a household that leaves the association keeps its receipts, anonymous, in the totals.
"""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asahikawa.uploads import document_path, private_storage

MAX_ATTACHMENTS = 5
MAX_OPTIONS = 10
JOIN_CODE_DAYS = 30
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


class Group(models.Model):
    """A group (班) of an association; `position` is the order in which a paper board walks."""

    association = models.ForeignKey("accounts.Association", verbose_name=_("町内会"), on_delete=models.CASCADE,
                                    related_name="circular_groups")
    name = models.CharField(_("班の名前"), max_length=64)
    position = models.PositiveIntegerField(_("順番"), default=0)

    class Meta:
        ordering = ["association", "position", "id"]
        verbose_name = _("班")
        verbose_name_plural = _("班")
        constraints = [models.UniqueConstraint(fields=["association", "name"], name="circulars_group_name_unique")]

    def __str__(self):
        return self.name


class Household(models.Model):
    """A member household (世帯). Its receipts outlive it: a household that leaves is anonymised."""

    association = models.ForeignKey("accounts.Association", verbose_name=_("町内会"), on_delete=models.CASCADE,
                                    related_name="households")
    group = models.ForeignKey(Group, verbose_name=_("班"), on_delete=models.PROTECT, related_name="households")
    name = models.CharField(_("名簿の表示名"), max_length=64, help_text=_("例：佐藤（名簿と回覧のチェック欄に表示します）"))
    address = models.CharField(_("住所（番地など）"), max_length=128, blank=True)
    position = models.PositiveIntegerField(_("班の中の順番"), default=0)
    paper_only = models.BooleanField(_("紙で回覧"), default=False,
                                     help_text=_("アカウントを持たない世帯。役員が受け取りを手で記録します。"))
    joined_at = models.DateTimeField(_("入会日時"), default=timezone.now)
    left_at = models.DateTimeField(_("退会（転出）日時"), null=True, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["group__position", "position", "id"]
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")
        indexes = [models.Index(fields=["association", "group"], name="circulars_household_roster",
                                condition=Q(left_at__isnull=True))]

    def __str__(self):
        return self.name

    @property
    def active(self):
        return self.left_at is None


class Membership(models.Model):
    """A resident account in a household; a family shares the household's receipt."""

    household = models.ForeignKey(Household, verbose_name=_("世帯"), on_delete=models.CASCADE, related_name="memberships")
    # Denormalised from the household, so that the database can say "one household per association".
    association = models.ForeignKey("accounts.Association", verbose_name=_("町内会"), on_delete=models.CASCADE,
                                    related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("会員"), on_delete=models.CASCADE,
                             related_name="circular_memberships")
    joined_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    ended_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("世帯の会員")
        verbose_name_plural = _("世帯の会員")
        constraints = [
            models.UniqueConstraint(fields=["user", "association"], condition=Q(ended_at__isnull=True),
                                    name="circulars_one_household_per_association"),
        ]
        indexes = [models.Index(fields=["household"], name="circulars_membership_active",
                                condition=Q(ended_at__isnull=True))]

    def __str__(self):
        return f"{self.user} / {self.household}"


class OfficerTitle(models.TextChoices):
    CHAIR = "chair", _("会長")
    VICE_CHAIR = "vice_chair", _("副会長")
    TREASURER = "treasurer", pgettext_lazy("officer title", "会計")
    SECRETARY = "secretary", _("書記")
    GROUP_LEADER = "group_leader", _("班長")


class OfficerRole(models.Model):
    """A title held in an association. 班長 (group_leader) is bound to one group and manages its
    households; the association-wide titles name what Profile.officer_of grants (see roles.py)."""

    association = models.ForeignKey("accounts.Association", verbose_name=_("町内会"), on_delete=models.CASCADE,
                                    related_name="officer_roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("役員"), on_delete=models.CASCADE,
                             related_name="circular_roles")
    title = models.CharField(_("役職"), max_length=16, choices=OfficerTitle.choices)
    group = models.ForeignKey(Group, verbose_name=_("班（班長のみ）"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="leaders")

    class Meta:
        ordering = ["association", "title"]
        verbose_name = _("役職")
        verbose_name_plural = _("役職")
        constraints = [
            models.CheckConstraint(
                condition=Q(title="group_leader", group__isnull=False) | (~Q(title="group_leader") & Q(group__isnull=True)),
                name="circulars_role_group_iff_leader",
            ),
            models.UniqueConstraint(fields=["association", "user", "title"], condition=Q(group__isnull=True),
                                    name="circulars_role_once"),
            models.UniqueConstraint(fields=["user", "group"], condition=Q(group__isnull=False),
                                    name="circulars_leader_once_per_group"),
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.group or ''}".strip()


def _join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(10))


class JoinCode(models.Model):
    """A single-use code that lets a resident join one household (printed or sent by an officer)."""

    household = models.ForeignKey(Household, verbose_name=_("世帯"), on_delete=models.CASCADE, related_name="join_codes")
    code = models.CharField(_("参加コード"), max_length=16, unique=True, default=_join_code)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"))
    used_at = models.DateTimeField(_("使用日時"), null=True, blank=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    revoked_at = models.DateTimeField(_("無効にした日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("参加コード")
        verbose_name_plural = _("参加コード")
        constraints = [
            # one live code per household: issuing a new one revokes the old
            models.UniqueConstraint(fields=["household"], condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                                    name="circulars_one_live_code_per_household"),
        ]

    def __str__(self):
        return self.code

    @property
    def live(self):
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class JoinRequest(models.Model):
    """A resident asks to join; an officer approves (into a household) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        APPROVED = "approved", _("承認")
        DECLINED = "declined", _("見送り")

    association = models.ForeignKey("accounts.Association", verbose_name=_("町内会"), on_delete=models.CASCADE,
                                    related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申請者"), on_delete=models.CASCADE,
                             related_name="circular_join_requests")
    household_name = models.CharField(_("世帯の表示名"), max_length=64)
    address = models.CharField(_("住所（番地など）"), max_length=128)
    message = models.CharField(_("役員へのひとこと"), max_length=500, blank=True)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("申請日時"), default=timezone.now)
    decided_at = models.DateTimeField(_("判断日時"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("入会の申請")
        verbose_name_plural = _("入会の申請")
        constraints = [models.UniqueConstraint(fields=["association", "user"], condition=Q(status="pending"),
                                               name="circulars_one_pending_request")]


class Kind(models.TextChoices):
    CIRCULAR = "circular", _("回覧板")
    SAFETY = "safety", _("安否確認")


class Question(models.TextChoices):
    NONE = "", _("質問なし")
    YES_NO = "yes_no", _("はい／いいえ")
    CHOICE = "choice", _("選択肢から1つ")
    ATTENDANCE = "attendance", _("出欠と人数")


class Safety(models.TextChoices):
    SAFE = "safe", _("無事")
    HELP = "help", _("支援が必要")
    AWAY = "away", _("不在")


class DistrictCheck(models.Model):
    """A safety check that city staff sent to every association of a district (one circular each)."""

    district = models.ForeignKey("accounts.District", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("件名"), max_length=120)
    body = models.TextField(_("本文"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("送信日時"), default=timezone.now)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("地区の安否確認")
        verbose_name_plural = _("地区の安否確認")

    def __str__(self):
        return self.title


class Circular(models.Model):
    """A circular (回覧) or a safety check (安否確認) to the households of one association."""

    association = models.ForeignKey("accounts.Association", verbose_name=_("町内会"), on_delete=models.CASCADE,
                                    related_name="circulars")
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices, default=Kind.CIRCULAR)
    title = models.CharField(_("件名"), max_length=120)
    body = models.TextField(_("本文"), blank=True)
    due_date = models.DateField(_("回覧の期限"), null=True, blank=True)
    question = models.CharField(_("質問の形式"), max_length=16, choices=Question.choices, blank=True, default="")
    question_text = models.CharField(_("質問"), max_length=200, blank=True)
    options = models.JSONField(_("選択肢"), default=list, blank=True)
    everyone = models.BooleanField(_("町内会の全世帯へ"), default=True)
    groups = models.ManyToManyField(Group, verbose_name=_("回覧する班"), blank=True, related_name="circulars")
    publish_at = models.DateTimeField(_("公開日時"), null=True, blank=True,
                                      help_text=_("空欄なら保存と同時に公開します。"))
    published_at = models.DateTimeField(_("公開した日時"), null=True, blank=True)
    remind_after_days = models.PositiveSmallIntegerField(
        _("未読の世帯へのリマインド（日後）"), null=True, blank=True,
        help_text=_("公開から何日たっても未読の世帯にお知らせを送るか。空欄なら送りません。"),
    )
    district_check = models.ForeignKey(DistrictCheck, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="circulars")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    answers_erased_at = models.DateTimeField(_("回答を消去した日時"), null=True, blank=True)
    erased_totals = models.JSONField(_("消去前の回答の集計"), default=dict, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("回覧")
        verbose_name_plural = _("回覧")
        indexes = [
            models.Index(fields=["association", "-published_at"]),
            models.Index(fields=["publish_at"], name="circulars_due_to_publish",
                         condition=Q(published_at__isnull=True, publish_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(remind_after_days__isnull=True) | Q(remind_after_days__gte=1,
                                                                                   remind_after_days__lte=60),
                                   name="circulars_remind_days_range"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_safety(self):
        return self.kind == Kind.SAFETY

    @property
    def is_published(self):
        return self.published_at is not None


def attachment_path(instance, filename):
    """A random name under circulars/<yyyy>/<mm>/ (a module-level function: migrations name it)."""
    return document_path("circulars")(instance, filename)


class Attachment(models.Model):
    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")

    def __str__(self):
        return self.filename


class Via(models.TextChoices):
    WEB = "web", _("ポータル")
    APP = "app", _("アプリ")
    PAPER = "paper", _("紙（役員が記録）")


class Receipt(models.Model):
    """One household on one circular's roster: read or not, by whom and when, and its answer."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="receipts")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="receipts")
    group = models.ForeignKey(Group, null=True, on_delete=models.SET_NULL, related_name="+")  # at publication
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    via = models.CharField(_("既読の方法"), max_length=8, choices=Via.choices, blank=True, default="")
    answer = models.CharField(_("回答"), max_length=100, blank=True, default="")
    head_count = models.PositiveSmallIntegerField(_("人数"), null=True, blank=True)
    note = models.CharField(_("ひとこと"), max_length=500, blank=True, default="")
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("受け取り（世帯ごと）")
        verbose_name_plural = _("受け取り（世帯ごと）")
        constraints = [
            models.UniqueConstraint(fields=["circular", "household"], name="circulars_one_receipt_per_household"),
            models.CheckConstraint(condition=Q(head_count__isnull=True) | Q(head_count__lte=99),
                                   name="circulars_head_count_range"),
        ]
        indexes = [models.Index(fields=["circular", "read_at"])]


class Reminder(models.Model):
    """One reminder of a circular's unread households (sent at most once: its number is unique)."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    households = models.PositiveIntegerField(default=0)
    notified = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["circular", "number"], name="circulars_reminder_once")]


class RetentionPolicy(models.Model):
    """How long answers to safety checks are kept (set by community staff; one row)."""

    safety_answer_days = models.PositiveSmallIntegerField(
        _("安否確認の回答を保存する日数"), default=90,
        help_text=_("送信からこの日数が過ぎた安否確認は、世帯ごとの回答とひとことを消去し、集計だけを残します。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("安否確認の回答の保存期間")
        verbose_name_plural = _("安否確認の回答の保存期間")
        constraints = [models.CheckConstraint(condition=Q(safety_answer_days__gte=1, safety_answer_days__lte=3650),
                                              name="circulars_retention_range")]

    def __str__(self):
        return str(self.safety_answer_days)

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls(safety_answer_days=90)


# --- member board ------------------------------------------------------------------------

class Post(models.Model):
    association = models.ForeignKey("accounts.Association", on_delete=models.CASCADE, related_name="board_posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="board_posts")
    title = models.CharField(_("タイトル"), max_length=120)
    body = models.TextField(_("本文"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.CharField(_("非表示の理由"), max_length=300, blank=True)
    author_erased = models.BooleanField(default=False)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("掲示板の投稿")
        verbose_name_plural = _("掲示板の投稿")
        indexes = [models.Index(fields=["association", "-created_at"])]
        constraints = [models.CheckConstraint(condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                                              name="circulars_post_hidden_with_reason")]

    def __str__(self):
        return self.title


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="board_comments")
    body = models.TextField(_("コメント"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.CharField(_("非表示の理由"), max_length=300, blank=True)
    author_erased = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("掲示板のコメント")
        verbose_name_plural = _("掲示板のコメント")
        constraints = [models.CheckConstraint(condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                                              name="circulars_comment_hidden_with_reason")]


class Report(models.Model):
    """A member reports a post or a comment to the officers (once per member and item)."""

    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("通報の理由"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通報")
        verbose_name_plural = _("通報")
        constraints = [
            models.CheckConstraint(condition=Q(post__isnull=False, comment__isnull=True)
                                   | Q(post__isnull=True, comment__isnull=False), name="circulars_report_one_target"),
            models.UniqueConstraint(fields=["reporter", "post"], condition=Q(post__isnull=False),
                                    name="circulars_report_post_once"),
            models.UniqueConstraint(fields=["reporter", "comment"], condition=Q(comment__isnull=False),
                                    name="circulars_report_comment_once"),
        ]
