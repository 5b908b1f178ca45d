from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Attachment, Membership, Receipt, Safety
from ..services import answer_choices, answer_label


class MyAssociationSerializer(serializers.ModelSerializer):
    association_id = serializers.IntegerField(source="association.pk")
    association = serializers.CharField(source="association.name")
    district = serializers.CharField(source="association.district.name")
    household = serializers.CharField(source="household.name")
    group = serializers.CharField(source="household.group.name")
    is_officer = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["association_id", "association", "district", "household", "group", "joined_at", "is_officer"]

    def get_is_officer(self, membership) -> bool:
        return self.context["officer_of"] == membership.association_id


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="the permission-checked download (a signed-in web session)")

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "url"]

    def get_url(self, attachment) -> str:
        return reverse("circulars:attachment", args=[attachment.pk])


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class CircularListSerializer(serializers.ModelSerializer):
    """One circular in the resident's list, with their household's receipt."""

    id = serializers.IntegerField(source="circular.pk")
    kind = serializers.CharField(source="circular.kind")
    title = serializers.CharField(source="circular.title")
    association = serializers.CharField(source="circular.association.name")
    published_at = serializers.DateTimeField(source="circular.published_at")
    due_date = serializers.DateField(source="circular.due_date", allow_null=True)
    read = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = ["id", "kind", "title", "association", "published_at", "due_date", "read", "read_at", "answered"]

    def get_read(self, receipt) -> bool:
        return receipt.read_at is not None

    def get_answered(self, receipt) -> bool:
        return bool(receipt.answer)


class CircularDetailSerializer(CircularListSerializer):
    body = serializers.CharField(source="circular.body")
    question = serializers.CharField(source="circular.question")
    question_text = serializers.CharField(source="circular.question_text")
    choices = serializers.SerializerMethodField()
    answer = serializers.CharField()
    answer_label = serializers.SerializerMethodField()
    head_count = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    attachments = serializers.SerializerMethodField()
    answers_closed = serializers.SerializerMethodField()

    class Meta(CircularListSerializer.Meta):
        fields = CircularListSerializer.Meta.fields + [
            "body", "question", "question_text", "choices", "answer", "answer_label", "head_count", "note",
            "attachments", "answers_closed",
        ]

    @extend_schema_field(ChoiceSerializer(many=True))
    def get_choices(self, receipt):
        return ChoiceSerializer([{"value": v, "label": label} for v, label in answer_choices(receipt.circular)],
                                many=True).data

    def get_answer_label(self, receipt) -> str:
        return answer_label(receipt.circular, receipt.answer)

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, receipt):
        return AttachmentSerializer(receipt.circular.attachments.all(), many=True).data

    def get_answers_closed(self, receipt) -> bool:
        return receipt.circular.answers_erased_at is not None


class OpenResultSerializer(serializers.Serializer):
    read_at = serializers.DateTimeField()
    first = serializers.BooleanField(help_text="true if this call marked the household as read")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=100, help_text="one of the circular's choices (value)")
    head_count = serializers.IntegerField(min_value=1, max_value=99, required=False, allow_null=True,
                                          help_text="attendance: how many will come")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SafetyAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Safety.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
