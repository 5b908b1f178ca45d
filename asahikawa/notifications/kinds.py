"""The kinds of things the portal tells a user. Each area adds its kinds here.

A reminder kind is opt-in: nobody gets it until they choose a channel for it.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    label: str
    reminder: bool = False


KINDS = {
    "account": Kind(_("アカウントに関するお知らせ")),
    "city_notice": Kind(_("市からのお知らせ")),
    "circular": Kind(_("回覧板")),
    "subsidy": Kind(_("補助金申請の状況")),
    "young_carer": Kind(_("家事支援ヘルパー派遣")),
    "wellness_reminder": Kind(_("記録忘れのリマインダー（夕方）"), reminder=True),
    "wellness_summary": Kind(_("健康ポイントの週間まとめ"), reminder=True),
    "garbage_reminder": Kind(_("ごみ出しの前日リマインダー"), reminder=True),
    "visit_reminder": Kind(_("ヘルパー訪問のリマインダー"), reminder=True),
}


def kind_choices():
    return [(code, kind.label) for code, kind in KINDS.items()]
