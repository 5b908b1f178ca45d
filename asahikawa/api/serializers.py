from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from asahikawa.accounts.models import DeviceToken, Profile
from asahikawa.notifications.models import Notification


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, trim_whitespace=False,
                                     max_length=4096)
    device = serializers.CharField(required=False, allow_blank=True, max_length=64, default="",
                                   help_text=_("この端末の名前（例: iPhone）。ログイン中の端末の一覧に表示されます。"))


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Authorization: Token <token>")
    device_id = serializers.IntegerField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True, help_text=_("使うたびに延長されます"))


class DeviceSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text=_("このリクエストを送った端末か"))

    class Meta:
        model = DeviceToken
        fields = ["id", "name", "created_at", "last_used_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, obj) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, DeviceToken) and auth.pk == obj.pk


class SignedOutSerializer(serializers.Serializer):
    signed_out = serializers.IntegerField(read_only=True)


class ProfileSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Profile
        fields = ["email", "display_name", "district", "association", "birth_year", "language"]



class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "urgent", "created_at", "read"]
        read_only_fields = fields

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=500
    )
