from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from asahikawa.accounts.selectors import profile_for
from asahikawa.notifications import services as notification_services
from asahikawa.notifications.models import Notification

from .mixins import OwnerScopedMixin
from .serializers import (
    MarkReadSerializer,
    NotificationSerializer,
    ProfileSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class TokenView(APIView):
    """The smartphone app's sign-in: exchange email and password for an API token; DELETE signs out."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


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
