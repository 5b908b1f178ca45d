from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..formula import MAX_COST
from ..models import (
    MAX_LINE_ITEMS,
    Application,
    DocumentRequirement,
    EligibilityQuestion,
    LineItem,
    Program,
    StatusChange,
)


class QuestionSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="label", read_only=True)
    disqualifying_answer = serializers.BooleanField(read_only=True, help_text="the answer that makes an applicant ineligible")
    reason = serializers.CharField(source="reason_text", read_only=True)

    class Meta:
        model = EligibilityQuestion
        fields = ["id", "text", "disqualifying_answer", "reason"]


class RequirementSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="title", read_only=True)

    class Meta:
        model = DocumentRequirement
        fields = ["id", "stage", "name", "required"]


class FormulaSerializer(serializers.Serializer):
    rate_numerator = serializers.IntegerField()
    rate_denominator = serializers.IntegerField()
    cap = serializers.IntegerField(allow_null=True, help_text="yen per application")
    rounding_unit = serializers.IntegerField(source="unit", help_text="the amount is rounded down to a multiple of it")
    combined_numerator = serializers.IntegerField(allow_null=True)
    combined_denominator = serializers.IntegerField(
        allow_null=True, help_text="with a national subsidy: city + national at most this fraction of the cost"
    )


class FiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="applications submitted (drafts not counted)")
    granted = serializers.IntegerField(help_text="applications with a grant decision")
    amount = serializers.IntegerField(help_text="yen granted (confirmed amounts where confirmed)")
    remaining_grants = serializers.IntegerField(allow_null=True)
    remaining_budget = serializers.IntegerField(allow_null=True)


class ProgramSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="title", read_only=True)
    description = serializers.CharField(source="text", read_only=True)
    is_open = serializers.SerializerMethodField()
    applicant_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    formula = FormulaSerializer(read_only=True)
    figures = serializers.SerializerMethodField()
    questions = QuestionSerializer(many=True, read_only=True)
    requirements = RequirementSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id", "code", "fiscal_year", "department", "name", "description", "opens_on", "closes_on", "is_open",
            "applicant_types", "formula", "max_grants", "budget", "selection", "completion_due", "figures",
            "questions", "requirements", "sample_values", "is_sample",
        ]
        read_only_fields = fields

    def get_is_open(self, program) -> bool:
        return program.is_open()

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, program):
        return self.context["figures"].get(program.pk)


class CalculationSerializer(serializers.Serializer):
    costs = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_COST), max_length=MAX_LINE_ITEMS,
        help_text="each line item's cost in yen excluding tax",
    )
    national_subsidy = serializers.IntegerField(min_value=0, max_value=MAX_COST, default=0,
                                                help_text="yen; counts only where the program combines with one")


class AmountSerializer(serializers.Serializer):
    eligible_cost = serializers.IntegerField()
    by_rate = serializers.IntegerField()
    cap = serializers.IntegerField(allow_null=True)
    combined_room = serializers.IntegerField(allow_null=True)
    amount = serializers.IntegerField()
    limited_by = serializers.ChoiceField(choices=["rate", "cap", "combined"])


class LineItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = LineItem
        fields = ["name", "cost"]


class HistorySerializer(serializers.ModelSerializer):
    # Plain strings (the values of the application's `status`): one enum in the schema, not three.
    from_status = serializers.CharField(read_only=True, help_text="an application status (see `status`)")
    to_status = serializers.CharField(read_only=True, help_text="an application status (see `status`)")

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "at", "comment", "amount", "by_applicant"]


class ApplicationSerializer(serializers.ModelSerializer):
    program = serializers.PrimaryKeyRelatedField(read_only=True)
    program_name = serializers.CharField(source="program.title", read_only=True)
    items = LineItemSerializer(many=True, read_only=True)
    history = HistorySerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "program", "program_name", "receipt_number", "status", "applicant_type", "eligible_cost",
            "national_subsidy", "requested_amount", "approved_amount", "actual_cost", "confirmed_amount",
            "submitted_at", "decided_at", "paid_at", "items", "history", "is_sample",
        ]
        read_only_fields = fields

