"""The checks every entry path shares (web form, CSV upload, API, staff counter)."""
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    BODY_FAT_RANGE,
    DIASTOLIC_RANGE,
    STEPS_RANGE,
    SYSTOLIC_RANGE,
    WEIGHT_RANGE,
)

VALUE_FIELDS = ("steps", "weight_kg", "body_fat_pct", "systolic", "diastolic")
RANGES = {
    "steps": STEPS_RANGE,
    "weight_kg": WEIGHT_RANGE,
    "body_fat_pct": BODY_FAT_RANGE,
    "systolic": SYSTOLIC_RANGE,
    "diastolic": DIASTOLIC_RANGE,
}


def range_message(field):
    low, high = RANGES[field]
    return _("%(low)s〜%(high)sの範囲で入力してください。") % {"low": f"{low:,}", "high": f"{high:,}"}


def cross_field_errors(values: dict) -> dict:
    """Errors that involve more than one value: at least one value; blood pressure as a pair."""
    errors = {}
    if all(values.get(name) is None for name in VALUE_FIELDS):
        errors["__all__"] = [_("歩数・体重・体脂肪率・血圧のうち、少なくとも1つを入力してください。")]
    systolic, diastolic = values.get("systolic"), values.get("diastolic")
    if (systolic is None) != (diastolic is None):
        missing = "diastolic" if diastolic is None else "systolic"
        errors[missing] = [_("血圧は最高と最低の両方を入力してください。")]
    elif systolic is not None and systolic <= diastolic:
        errors["systolic"] = [_("最高血圧は最低血圧より大きい値にしてください。")]
    return errors


def day_error(day: datetime.date, *, max_age_days: int, today=None):
    today = today or timezone.localdate()
    if day > today:
        return _("未来の日付は記録できません。")
    if (today - day).days > max_age_days:
        return _("記録できるのは%(days)s日前までです。") % {"days": max_age_days}
    return None
