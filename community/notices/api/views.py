"""The smartphone app's notices: mine (urgent first), mark one opened, and the public notices (no sign-in)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Category, Notice
from .serializers import NoticeOpenSerializer, NoticeSerializer


class MyNoticesView(generics.ListAPIView):
    """The notices sent to me or to everyone, live now: urgent first, newest first."""

    serializer_class = NoticeSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        return selectors.notices_for(self.request.user)


class OpenView(APIView):
    """I opened this notice (counted once for its reach)."""

    @extend_schema(request=None, responses={200: NoticeOpenSerializer})
    def post(self, request, pk):
        notice = get_object_or_404(selectors.visible_to(request.user), pk=pk)
        return Response({"first": services.notice_open(user=request.user, notice=notice)})


class PublicNoticesView(generics.ListAPIView):
    """The public notices, live now (no sign-in): urgent first. ?category= narrows to one category."""

    serializer_class = NoticeSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("category", str, enum=Category.values, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        category = self.request.query_params.get("category")
        return selectors.public_notices(category if category in Category.values else None)
