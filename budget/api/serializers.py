from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from budget import formatting
from budget.forms import MAX_AMOUNT
from budget.models import BudgetItem, FundBalance


class AccountRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["general", "special"])
    amount = serializers.IntegerField(help_text="予算額（円）")
    previous_amount = serializers.IntegerField(source="previous", allow_null=True, help_text="前年度の予算額（円）")
    change = serializers.IntegerField(allow_null=True, help_text="前年度比（円）")
    is_sample = serializers.BooleanField()
    name_is_sample = serializers.BooleanField()


class YearTotalsSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="年度（西暦、4月始まり）")
    era = serializers.CharField(source="era_label", help_text="和暦の年度（例: 令和5年度）")
    general_total = serializers.IntegerField(source="general", help_text="一般会計（円）")
    special_total = serializers.IntegerField(source="special", help_text="特別会計の計（円）")
    total = serializers.IntegerField(help_text="合計（円）")
    general_change = serializers.IntegerField(allow_null=True, help_text="一般会計の前年度比（円）")
    special_change = serializers.IntegerField(allow_null=True, help_text="特別会計の前年度比（円）")
    total_change = serializers.IntegerField(allow_null=True, help_text="合計の前年度比（円）")
    total_display = serializers.SerializerMethodField(help_text="市の書き方の合計（例: 2,929億5,713万円）")
    is_sample = serializers.BooleanField()

    def get_total_display(self, obj) -> str:
        return formatting.oku_man(obj.total)


class YearDetailSerializer(YearTotalsSerializer):
    special_count = serializers.IntegerField(help_text="特別会計の数")
    accounts = AccountRowSerializer(many=True)


class BudgetItemSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="fiscal_year.year")
    account = serializers.CharField(source="account.code")
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)

    class Meta:
        model = BudgetItem
        fields = ["year", "account", "breakdown", "code", "parent", "name", "amount", "is_sample"]


class FundBalanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundBalance
        fields = ["year", "amount", "note", "is_sample"]


class ItemsQuerySerializer(serializers.Serializer):
    breakdown = serializers.ChoiceField(choices=BudgetItem.Breakdown.choices, default=BudgetItem.Breakdown.PURPOSE)
    parent = serializers.CharField(required=False, help_text="この区分の子（項など）を返す。省略時は最上位（款など）")
    account = serializers.CharField(required=False, default="general")


class CalculatorQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, help_text="年度（省略時は最新）")
    income = serializers.IntegerField(required=False, min_value=0, max_value=MAX_AMOUNT, help_text="年収（給与、円）")
    tax = serializers.IntegerField(required=False, min_value=0, max_value=MAX_AMOUNT, help_text="市民税の年額（円）")

    def validate(self, attrs):
        if ("income" in attrs) == ("tax" in attrs):
            raise serializers.ValidationError({"income": [_("income か tax のどちらか一方を指定してください。")]})
        return attrs


class SliceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    budget = serializers.IntegerField(help_text="市の予算額（円）")
    per_year = serializers.IntegerField(help_text="あなたの税金のうち1年あたり（円）")
    per_day = serializers.FloatField(help_text="1日あたり（円、小数1桁）")
    is_sample = serializers.BooleanField()


class CalculatorResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    tax = serializers.IntegerField(help_text="按分した市民税の年額（円）")
    estimated_from_income = serializers.IntegerField(allow_null=True, help_text="年収から概算したときの年収（円）")
    days = serializers.IntegerField(help_text="年度の日数")
    per_day = serializers.FloatField()
    is_sample = serializers.BooleanField()
    slices = SliceSerializer(many=True)
