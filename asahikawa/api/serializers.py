from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from asahikawa.accounts.models import Profile
from asahikawa.notifications.models import Notification


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        from allauth.account.models import EmailAddress

        user = authenticate(self.context["request"], email=attrs["email"].lower(), password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(_("メールアドレスまたはパスワードが正しくありません。"), code="authorization")
        if user.is_staff:
            # Staff work in the admin console with TOTP; the API token is for residents' app.
            raise serializers.ValidationError(_("職員アカウントではAPIトークンを発行できません。"), code="authorization")
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
            raise serializers.ValidationError(_("メールアドレスの確認が済んでいません。"), code="authorization")
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


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
