"""Demo data of the wellness area: sample point rules, rewards and a month of the demo resident's
records. Idempotent; every invented value is labeled サンプル."""
import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .models import HealthRecord, PointRule, Reward, RuleKind

RULES_FROM = datetime.date(2023, 4, 1)  # the start of FY2023 (令和5年度)
SAMPLE_RULES = [
    {"code": "steps", "kind": RuleKind.STEPS, "name": "歩数ポイント：1,000歩ごとに1ポイント、1日10ポイントまで（サンプル）",
     "points": 1, "step_unit": 1000, "daily_cap": 10},
    {"code": "streak7", "kind": RuleKind.STREAK, "name": "7日連続8,000歩ボーナス 5ポイント（サンプル）",
     "points": 5, "goal_steps": 8000, "streak_days": 7},
    {"code": "weight", "kind": RuleKind.WEIGHT, "name": "体重の記録 1ポイント（サンプル）", "points": 1},
    {"code": "bp", "kind": RuleKind.BLOOD_PRESSURE, "name": "血圧の記録 1ポイント（サンプル）", "points": 1},
]
SAMPLE_REWARDS = [
    {"name": "市内協力店で使える100円券（サンプル）", "partner": "旭川市健康づくり協力店（サンプル）", "cost": 50, "stock": 200,
     "description": "協力店のレジで引換コードを見せてください。"},
    {"name": "市民プール1回券（サンプル）", "partner": "旭川市スポーツ施設（サンプル）", "cost": 80, "stock": 100,
     "description": "市内の市民プールで1回利用できます。"},
    {"name": "旭山動物園 入園券（サンプル）", "partner": "旭川市旭山動物園（サンプル）", "cost": 300, "stock": 20,
     "description": "入園口で引換コードを見せてください。"},
]


def rules_ensure():
    for rule in SAMPLE_RULES:
        PointRule.objects.get_or_create(code=rule["code"], valid_from=RULES_FROM, defaults={**rule, "is_sample": True})


def load(stdout):
    rules_ensure()
    today = timezone.localdate()
    for reward in SAMPLE_REWARDS:
        Reward.objects.get_or_create(
            name=reward["name"],
            defaults={**reward, "valid_from": RULES_FROM, "valid_until": datetime.date(today.year + 1, 3, 31), "is_sample": True},
        )
    resident = get_user_model().objects.filter(email="resident@example.jp").first()
    if resident is None:
        return
    services.participant_consent(user=resident)
    if HealthRecord.objects.filter(user=resident).exists():
        return
    rng = random.Random(3)
    rows = []
    for n in range(1, 31):
        day = today - datetime.timedelta(days=n)
        row = {"day": day, "steps": rng.randint(3000, 12000)}
        if n % 3 == 0:
            row["weight_kg"] = Decimal(f"{58 + rng.random() * 2:.1f}")
        if n % 2 == 0:
            row.update(systolic=rng.randint(110, 130), diastolic=rng.randint(70, 85))
        rows.append(row)
    services.records_upsert(user=resident, rows=rows, source="app")
    services.points_settle(since=today - datetime.timedelta(days=30))
    stdout.write("wellness: sample rules, rewards and 30 days of records for resident@example.jp (サンプル)")
