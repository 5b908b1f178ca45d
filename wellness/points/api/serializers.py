from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import HISTORY_DAYS, MAX_BATCH, HealthRecord, LedgerEntry, Redemption, Reward
from ..validation import RANGES, cross_field_errors, day_error


def _range(name, **kwargs):
    low, high = RANGES[name]
    return {"min_value": low, "max_value": high, "required": False, "allow_null": True, **kwargs}


class RecordSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="day")
    steps = serializers.IntegerField(**_range("steps"))
    weight_kg = serializers.DecimalField(max_digits=4, decimal_places=1, **_range("weight_kg"))
    body_fat_pct = serializers.DecimalField(max_digits=3, decimal_places=1, **_range("body_fat_pct"))
    systolic = serializers.IntegerField(**_range("systolic"))
    diastolic = serializers.IntegerField(**_range("diastolic"))

    class Meta:
        model = HealthRecord
        fields = [
            "date", "steps", "weight_kg", "body_fat_pct", "systolic", "diastolic",
            "steps_source", "weight_source", "body_fat_source", "bp_source", "updated_at",
        ]
        read_only_fields = ["steps_source", "weight_source", "body_fat_source", "bp_source", "updated_at"]
        validators = []  # the (user, day) uniqueness is the upsert's business, not a validation error

    def validate_date(self, value):
        if error := day_error(value, max_age_days=HISTORY_DAYS):
            raise serializers.ValidationError(error)
        return value

    def validate(self, attrs):
        errors = cross_field_errors(attrs)
        if errors:
            raise serializers.ValidationError(
                {("non_field_errors" if key == "__all__" else key): value for key, value in errors.items()}
            )
        return attrs


class RecordBatchSerializer(serializers.Serializer):
    records = RecordSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)

    def validate_records(self, records):
        days = [r["day"] for r in records]
        if len(days) != len(set(days)):
            raise serializers.ValidationError(_("同じ日付が2回以上含まれています。"))
        return records


class UpsertResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class LedgerEntrySerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule_code", allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "points", "day", "rule", "note", "created_at"]
        read_only_fields = fields


class PointsSerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    count = serializers.IntegerField(help_text="ledger entries in all pages")
    next = serializers.URLField(allow_null=True, help_text="the next page of the ledger")
    ledger = LedgerEntrySerializer(many=True)


class RewardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = ["id", "name", "partner", "description", "cost", "stock", "valid_from", "valid_until", "is_sample"]
        read_only_fields = fields


class RedemptionSerializer(serializers.ModelSerializer):
    reward = RewardSerializer(read_only=True)

    class Meta:
        model = Redemption
        fields = ["id", "code", "points", "reward", "created_at", "cancelled_at"]
        read_only_fields = fields


class ConsentSerializer(serializers.Serializer):
    consent = serializers.BooleanField()
    consented_at = serializers.DateTimeField(read_only=True)

    def validate_consent(self, value):
        if value is not True:
            raise serializers.ValidationError(_("同意する場合は true を送ってください。"))
        return value
