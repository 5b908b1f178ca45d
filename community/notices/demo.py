"""Demo notices: one in each category, one urgent snow-removal notice to the 永山 district with a
やさしい日本語 version, and sample opens for the reach page. Idempotent; every notice is labeled サンプル."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from asahikawa.accounts.models import District
from asahikawa.notifications.models import Notification

from . import services
from .models import Category, Notice, Open, Reading

SAMPLES = [
    (
        Category.DISASTER,
        "防災訓練のご案内（サンプル）",
        "## 市民防災訓練\n\n9月の第1日曜日、**午前9時**から各地区の避難場所で訓練を行います。\n\n- 動きやすい服装で\n- 飲み物を持って\n\n（サンプル）",
        "ぼうさいの れんしゅう（サンプル）",
        "9月の 日曜日に、ひなんの れんしゅうを します。あさ 9じから です。（サンプル）",
    ),
    (
        Category.CRIME,
        "特殊詐欺にご注意ください（サンプル）",
        "市役所の職員を名のる電話で、ATMへ行くよう求める詐欺が増えています。**電話で口座番号を聞くことはありません。**（サンプル）",
        "",
        "",
    ),
    (
        Category.HEALTH,
        "特定健診の受診期限が近づいています（サンプル）",
        "40歳から74歳の方の特定健診は、今年度は2月末までです。（サンプル）",
        "",
        "",
    ),
    (
        Category.CHILDCARE,
        "子育て支援センターの冬のひろば（サンプル）",
        "0歳から3歳のお子さんと保護者の方が自由に遊べるひろばを開きます。（サンプル）",
        "",
        "",
    ),
    (
        Category.GARBAGE,
        "年末年始のごみ収集日（サンプル）",
        "12月31日から1月3日まで、ごみの収集はお休みです。（サンプル）",
        "",
        "",
    ),
    (
        Category.EVENT,
        "旭川冬まつりのボランティア募集（サンプル）",
        "冬まつりの会場案内のボランティアを募集します。詳しくは[市のホームページ](https://www.city.asahikawa.hokkaido.jp/)をご覧ください。（サンプル）",
        "",
        "",
    ),
    (
        Category.OTHER,
        "市民アンケートへのご協力のお願い（サンプル）",
        "市政についてのアンケートにご協力ください。（サンプル）",
        "",
        "",
    ),
]


def load(stdout):
    if Notice.objects.filter(is_sample=True).exists():
        return
    User = get_user_model()
    author = (
        User.objects.filter(email__startswith="staff-community").first() or User.objects.filter(is_staff=True).first()
    )
    Reading.objects.get_or_create(word="永山", defaults={"reading": "ながやま"})
    now = timezone.now()
    for category, title, body, easy_title, easy_body in SAMPLES:
        sample = services.notice_save(
            author=author,
            category=category,
            title=title,
            body=body,
            easy_title=easy_title,
            easy_body=easy_body,
            public=True,
            everyone=True,
            publish_at=now,
            is_sample=True,
            publish_now=True,
        )
        services.notice_publish(notice_id=sample.pk)  # at once (the task queued on commit finds it sent)
    nagayama = District.objects.filter(code="nagayama").first() or District.objects.first()
    if nagayama is not None:
        snow = services.notice_save(
            author=author,
            category=Category.SNOW,
            urgent=True,
            public=True,
            is_sample=True,
            publish_now=True,
            title="【除雪】永山地区で排雪作業を行います（サンプル）",
            body="大雪のため、今夜22時から明日朝6時まで、永山地区の道路で**排雪作業**を行います。\n\n"
            "- 道路に車を止めないでください\n- 除雪車に近づかないでください\n\n（サンプル）",
            easy_title="ながやまで ゆきを はこびます（サンプル）",
            easy_body="ゆきが たくさん ふりました。こんや 10じから あしたの あさ 6じまで、ながやまの みちの ゆきを はこびます。\n\n"
            "- みちに くるまを とめないで ください\n- じょせつしゃに ちかづかないで ください\n\n（サンプル）",
            title_en="Snow hauling in Nagayama tonight (sample)",
            body_en="Because of heavy snow, snow will be hauled from the roads of Nagayama from 22:00 tonight to 6:00 "
            "tomorrow. Please do not park on the road. (sample)",
            district_ids=[nagayama.pk],
            expires_at=now + datetime.timedelta(days=2),
        )
        services.notice_publish(notice_id=snow.pk)
        # Sample opens spread over the first hours, so that the reach page has something to show.
        readers = (
            Notification.objects.filter(dedupe_key=snow.dedupe_key).order_by("pk").values_list("user_id", flat=True)
        )
        Open.objects.bulk_create(
            [
                Open(notice=snow, user_id=user_id, opened_at=now + datetime.timedelta(minutes=20 + 35 * index))
                for index, user_id in enumerate(list(readers)[::2])
            ],
            ignore_conflicts=True,
        )
    stdout.write("notices: sample notices in each category, one urgent snow-removal notice (サンプル)\n")
