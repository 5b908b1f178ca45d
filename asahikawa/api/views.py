from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from asahikawa.accounts import devices
from asahikawa.accounts.models import DeviceToken
from asahikawa.accounts.selectors import profile_for
from asahikawa.notifications import services as notification_services
from asahikawa.notifications.models import Notification

from .mixins import OwnerScopedMixin
from .permissions import IsAuthenticated
from .serializers import (
    DeviceSerializer,
    MarkReadSerializer,
    NotificationSerializer,
    ProfileSerializer,
    SignedOutSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class TooManyAttempts(exceptions.Throttled):
    default_detail = _("ログインの試行が多すぎます。しばらくしてからもう一度お試しください。")


class TokenView(APIView):
    """The smartphone app's sign-in: exchange email and password for a token of this device
    (the same attempt limits as the web form); DELETE signs this device out."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            device, key = devices.app_sign_in(request._request, email=data["email"], password=data["password"],
                                              name=data["device"])
        except devices.SignInRefused as refused:
            if refused.rate_limited:
                raise TooManyAttempts() from None
            raise serializers.ValidationError(
                _("メールアドレスまたはパスワードが正しくありません。"), code="authorization"
            ) from None
        return Response({"token": key, "device_id": device.pk, "expires_at": device.expires_at})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if isinstance(request.auth, DeviceToken):
            devices.device_sign_out(user=request.user, device_id=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The devices signed in to the app with the user's account; sign one out, or all."""

    serializer_class = DeviceSerializer
    pagination_class = None  # a handful per user
    lookup_value_converter = "id"  # asahikawa.converters: a huge id is a 404, not an overflow

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DeviceToken.objects.none()
        return devices.devices_of(self.request.user)

    def destroy(self, request, *args, **kwargs):
        try:
            devices.device_sign_out(user=request.user, device_id=int(kwargs["pk"]))
        except DeviceToken.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: SignedOutSerializer})
    @action(detail=False, methods=["post"], url_path="sign-out-all")
    def sign_out_all(self, request):
        """Sign out every device, this one included."""
        return Response({"signed_out": devices.devices_sign_out_all(user=request.user)})


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user's own profile."""

    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "options", "head"]

    def get_object(self):
        return profile_for(self.request.user)


class NotificationViewSet(OwnerScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's inbox (owner-scoped: another user's notification is a 404)."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    lookup_value_converter = "int"
    filterset_fields = ["kind", "urgent"]

    @extend_schema(request=MarkReadSerializer, responses={200: MarkReadSerializer})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data.get("ids")
        notification_services.notifications_mark_read(user=request.user, notification_ids=ids)
        return Response({"ids": ids or []})
