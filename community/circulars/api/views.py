"""The smartphone app's endpoints: the resident's associations and circulars. Every query is
scoped to request.user's households: another household's circular is a 404."""
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from asahikawa.accounts.selectors import profile_for
from asahikawa.api.pagination import Pagination

from .. import selectors, services
from ..models import Kind, Membership, Receipt, Via
from .serializers import (
    AnswerSerializer,
    CircularDetailSerializer,
    CircularListSerializer,
    MyAssociationSerializer,
    OpenResultSerializer,
    SafetyAnswerSerializer,
)


def _receipt(user, pk, *, kind=None):
    receipt = (selectors.inbox_for(user).filter(circular_id=pk)
               .select_related("circular__association").first())
    if receipt is None or (kind and receipt.circular.kind != kind):
        raise Http404
    return receipt


class MyAssociationsView(generics.ListAPIView):
    """The associations the resident belongs to (one household in each)."""

    serializer_class = MyAssociationSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.memberships_for(self.request.user).select_related("association__district")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["officer_of"] = profile_for(user).officer_of_id if user.is_authenticated else None
        return context


class MyCircularsView(generics.ListAPIView):
    """The circulars and safety checks of the resident's households: unread first, newest first."""

    serializer_class = CircularListSerializer
    filter_backends = []
    pagination_class = Pagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Receipt.objects.none()
        return selectors.inbox_for(self.request.user)


class CircularDetailView(APIView):
    """One circular with its question, attachments and the household's answer (does not mark it read)."""

    @extend_schema(responses={200: CircularDetailSerializer})
    def get(self, request, pk):
        return Response(CircularDetailSerializer(_receipt(request.user, pk)).data)


class OpenView(APIView):
    """Open a circular: the first member of the household to open it marks the household as read."""

    @extend_schema(request=None, responses={200: OpenResultSerializer})
    def post(self, request, pk):
        receipt = _receipt(request.user, pk)
        receipt, first = services.circular_open(user=request.user, circular=receipt.circular, via=Via.APP)
        return Response({"read_at": receipt.read_at, "first": first})


class AnswerView(APIView):
    """Answer the circular's question for the household (the last answer counts; marks it read)."""

    @extend_schema(request=AnswerSerializer, responses={200: CircularDetailSerializer})
    def post(self, request, pk):
        receipt = _receipt(request.user, pk, kind=Kind.CIRCULAR)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        receipt = services.circular_answer(user=request.user, circular=receipt.circular, answer=data["answer"],
                                           head_count=data.get("head_count"), note=data.get("note", ""), via=Via.APP)
        return Response(CircularDetailSerializer(receipt).data)


class SafetyAnswerView(APIView):
    """Answer a safety check in one tap: safe (無事), help (支援が必要) or away (不在), with an optional note."""

    @extend_schema(request=SafetyAnswerSerializer, responses={200: CircularDetailSerializer})
    def post(self, request, pk):
        receipt = _receipt(request.user, pk, kind=Kind.SAFETY)
        serializer = SafetyAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        receipt = services.circular_answer(user=request.user, circular=receipt.circular, answer=data["answer"],
                                           note=data.get("note", ""), via=Via.APP)
        return Response(CircularDetailSerializer(receipt).data)
