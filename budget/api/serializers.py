from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from asahikawa import money
from budget.calculator import MAX_DEPENDANTS
from budget.forms import MAX_AMOUNT
from budget.models import MAX_YEAR, MIN_YEAR, BudgetItem, FundBalance


class AccountRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["general", "special"])
    amount = serializers.IntegerField(help_text="Budget amount (yen).")
    previous_amount = serializers.IntegerField(source="previous", allow_null=True, help_text="Budget amount of the year before (yen); null if there is none.")
    change = serializers.IntegerField(allow_null=True, help_text="Change on the year before (yen); null if there is no year before.")
    is_sample = serializers.BooleanField()
    name_is_sample = serializers.BooleanField()


class YearTotalsSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Fiscal year, as the calendar year it starts in (April to March).")
    era = serializers.CharField(source="era_text", help_text="The fiscal year in the Japanese era, as the city writes it (e.g. 令和5年度); always Japanese, whatever Accept-Language.")
    general_total = serializers.IntegerField(source="general", help_text="General account (yen).")
    special_total = serializers.IntegerField(source="special", help_text="Sum of the special accounts (yen); 0 when special_provided is false.")
    special_provided = serializers.BooleanField(help_text="Whether the year's figures include special accounts (false: not provided, not zero).")
    total = serializers.IntegerField(help_text="Total of all accounts (yen).")
    general_change = serializers.IntegerField(allow_null=True, help_text="Change of the general account on the year before (yen); null if there is no year before.")
    special_change = serializers.IntegerField(allow_null=True, help_text="Change of the special accounts on the year before (yen); null if there is no year before.")
    total_change = serializers.IntegerField(allow_null=True, help_text="Change of the total on the year before (yen); null if there is no year before.")
    total_display = serializers.SerializerMethodField(help_text="The total as the city writes it, rounded to 10,000 yen (e.g. 2,929億5,713万円); always Japanese, whatever Accept-Language.")
    is_sample = serializers.BooleanField()

    def get_total_display(self, obj) -> str:
        return money.city_japanese(obj.total)


class YearDetailSerializer(YearTotalsSerializer):
    special_count = serializers.IntegerField(help_text="Number of special accounts.")
    source = serializers.CharField(help_text="Where the figures come from (the imported file's name, or the publication).")
    imported_at = serializers.DateTimeField(allow_null=True, help_text="When the year was last imported from a file; null for figures not imported.")
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
    parent = serializers.CharField(required=False, help_text="Return the children (e.g. 項) of the line with this code; without it, the top level (e.g. 款).")
    account = serializers.CharField(required=False, default="general")


class CalculatorQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR,
                                    help_text="Fiscal year; the latest year with a budget if omitted.")
    income = serializers.IntegerField(required=False, min_value=0, max_value=MAX_AMOUNT, help_text="Yearly salary income (yen), to estimate the municipal tax from. Give income or tax, not both.")
    tax = serializers.IntegerField(required=False, min_value=0, max_value=MAX_AMOUNT, help_text="Yearly municipal tax (yen). Give income or tax, not both.")
    dependants = serializers.IntegerField(required=False, default=0, min_value=0, max_value=MAX_DEPENDANTS,
                                          help_text="With income: the spouse and relatives the earner supports (0: a single person).")

    def validate(self, attrs):
        if ("income" in attrs) == ("tax" in attrs):
            raise serializers.ValidationError({"income": [_("income か tax のどちらか一方を指定してください。")]})
        return attrs


class SubSliceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    budget = serializers.IntegerField(help_text="The city's budget for this purpose (yen).")
    per_year = serializers.IntegerField(help_text="Your tax spent on this purpose per year (yen).")
    per_day = serializers.FloatField(help_text="Your tax spent on this purpose per day (yen, one decimal).")
    is_sample = serializers.BooleanField()


class SliceSerializer(SubSliceSerializer):
    children = SubSliceSerializer(many=True, help_text="The purpose's subcategories (項), sharing its part.")


class CalculatorResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    tax = serializers.IntegerField(help_text="The yearly municipal tax shared out (yen).")
    estimated_from_income = serializers.IntegerField(allow_null=True, help_text="The salary income the tax was estimated from (yen); null when the tax was given.")
    days = serializers.IntegerField(help_text="Number of days in the fiscal year.")
    per_day = serializers.FloatField()
    dependants = serializers.IntegerField(help_text="Dependants the estimate from income counted (0 when the tax was given).")
    is_sample = serializers.BooleanField()
    slices = SliceSerializer(many=True)
