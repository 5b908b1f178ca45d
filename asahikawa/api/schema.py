"""OpenAPI: every operation documents the one error body for the errors it can answer with."""
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERROR_CODES = {
    "400": "入力内容の誤り（項目ごとのエラーは extra.fields に）",
    "401": "認証が必要です",
    "403": "権限がありません",
    "404": "見つかりません",
    "405": "このメソッドは使えません",
    "406": "応答の形式を受け付けられません",
    "413": "リクエストの本文が大きすぎます",
    "415": "リクエストの形式に対応していません",
    "429": "リクエストが多すぎます",
}


class PortalSessionScheme(SessionScheme):
    """The browser session (the portal's own pages), as in DRF; staff need TOTP (asahikawa.api.authentication).
    The app's device token is DRF's TokenAuthentication scheme (`Authorization: Token <key>`)."""

    target_class = "asahikawa.api.authentication.SessionAuthentication"


class ErrorExtraSerializer(serializers.Serializer):
    fields = serializers.DictField(required=False, help_text="field name -> list of messages")


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    extra = ErrorExtraSerializer()


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_CODES.items():
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                body["description"] = description
                responses[code] = body
        return responses
