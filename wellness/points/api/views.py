"""The smartphone app's endpoints. Every query is scoped to request.user: another resident's
data is never reachable (there are no ids of records or ledger entries in any URL)."""
import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from asahikawa.api.pagination import Pagination

from .. import selectors, services
from ..models import HealthRecord, Redemption, Source
from .serializers import (
    ConsentSerializer,
    PointsSerializer,
    RecordBatchSerializer,
    RecordSerializer,
    RedemptionSerializer,
    RewardSerializer,
    UpsertResultSerializer,
)


class RecordFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="day", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="day", lookup_expr="lte")

    class Meta:
        model = HealthRecord
        fields = ["date_from", "date_to"]


class ConsentView(APIView):
    """Explicit consent to the handling of health data, required before the first record."""

    @extend_schema(request=ConsentSerializer, responses={200: ConsentSerializer})
    def post(self, request):
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = services.participant_consent(user=request.user)
        return Response({"consent": True, "consented_at": participant.consented_at})


class RecordsView(generics.ListAPIView):
    """GET: the resident's own records (newest first; filter with date_from, date_to).
    POST: upsert a batch of up to 366 days (idempotent: the same batch twice changes nothing).
    A value typed by hand on the web or at a counter is never overwritten by the app."""

    serializer_class = RecordSerializer
    filterset_class = RecordFilter
    pagination_class = Pagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HealthRecord.objects.none()
        return selectors.records_for(self.request.user)

    @extend_schema(request=RecordBatchSerializer, responses={200: UpsertResultSerializer})
    def post(self, request):
        serializer = RecordBatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.records_upsert(user=request.user, rows=serializer.validated_data["records"], source=Source.APP)
        return Response(UpsertResultSerializer(result).data)


class PointsView(APIView):
    """The points balance and the ledger (newest first, paginated)."""

    @extend_schema(
        responses={200: PointsSerializer},
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
    )
    def get(self, request):
        participant = services.participant_require(request.user)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.ledger_for(request.user), request, view=self)
        return Response(PointsSerializer({
            "balance": participant.balance, "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(), "ledger": page,
        }).data)


class RewardsView(generics.ListAPIView):
    """The reward catalog (rewards within their exchange period)."""

    serializer_class = RewardSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.rewards_available()


class RedeemView(APIView):
    """Exchange points for a reward; answers the voucher. 400 when points or stock run short."""

    @extend_schema(request=None, responses={201: RedemptionSerializer})
    def post(self, request, pk):
        redemption = services.reward_redeem(user=request.user, reward_id=pk)
        return Response(RedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)


class VouchersView(generics.ListAPIView):
    """The resident's own vouchers."""

    serializer_class = RedemptionSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Redemption.objects.none()
        return selectors.vouchers_for(self.request.user)
