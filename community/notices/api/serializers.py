from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from ..markup import render_markdown
from ..models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display")
    body_html = serializers.SerializerMethodField(
        help_text="the body rendered from Markdown and sanitized (safe to show)"
    )
    easy = serializers.SerializerMethodField(help_text="the やさしい日本語 version, or null")
    url = serializers.SerializerMethodField()
    opened = serializers.SerializerMethodField(help_text="whether this resident has opened it (null for the public)")

    class Meta:
        model = Notice
        fields = [
            "id",
            "category",
            "category_label",
            "title",
            "body",
            "body_html",
            "easy",
            "title_en",
            "body_en",
            "link",
            "urgent",
            "public",
            "published_at",
            "expires_at",
            "is_sample",
            "url",
            "opened",
        ]

    def get_body_html(self, notice) -> str:
        return str(render_markdown(notice.body))

    def get_easy(self, notice) -> dict | None:
        if not notice.easy_body:
            return None
        return {
            "title": notice.easy_title,
            "body": notice.easy_body,
            "body_html": str(render_markdown(notice.easy_body)),
        }

    def get_url(self, notice) -> str:
        return reverse("notices:detail", args=[notice.pk])

    def get_opened(self, notice) -> bool | None:
        value = getattr(notice, "opened", None)
        return None if value is None else bool(value)


class NoticeOpenSerializer(serializers.Serializer):
    first = serializers.BooleanField(help_text="true the first time this resident opens it (counted once)")


__all__ = ["translation"]
