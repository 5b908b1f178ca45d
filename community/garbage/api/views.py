"""The public garbage calendar API (no sign-in): districts, categories, collections between two
dates, the sorting search."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from asahikawa.errors import ApplicationError, ErrorCode

from .. import schedule, selectors
from ..models import Category, CollectionDistrict
from .serializers import (
    CategorySerializer,
    CollectionSerializer,
    CollectionsQuerySerializer,
    DistrictSerializer,
    ItemQuerySerializer,
    ItemSerializer,
)


class PublicMixin:
    permission_classes = [AllowAny]
    authentication_classes = []


class DistrictListView(PublicMixin, generics.ListAPIView):
    """Every collection district with its area names."""

    serializer_class = DistrictSerializer
    queryset = CollectionDistrict.objects.select_related("platform_district").prefetch_related("areas").order_by("code")


class CategoryListView(PublicMixin, generics.ListAPIView):
    """The categories (分別区分): colour, letter and shape (never colour alone), how to put them out."""

    serializer_class = CategorySerializer
    queryset = Category.objects.all()
    pagination_class = None


class CollectionsView(PublicMixin, APIView):
    """A district's collections between two dates (cancelled days included, flagged)."""

    @extend_schema(parameters=[CollectionsQuerySerializer], responses=CollectionSerializer(many=True))
    def get(self, request):
        query = CollectionsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        district = selectors.district_by_code(params["district"])
        if district is None:
            raise ApplicationError(_("この収集地区はありません。"), code=ErrorCode.NOT_FOUND,
                                   extra={"fields": {"district": [_("収集地区のコードを確かめてください。")]}})
        codes = dict(Category.objects.values_list("pk", "code"))
        rows = [{"day": c.day, "category": codes[c.category_id], "status": c.status, "nominal": c.nominal,
                 "moved_to": c.moved_to, "note": c.note}
                for c in schedule.between(district, params["date_from"], params["date_to"])]
        return Response(CollectionSerializer(rows, many=True).data)


class ItemSearchView(PublicMixin, APIView):
    """The sorting search (分別): items whose name or reading contains q (script and width do not matter); at most 50."""

    @extend_schema(parameters=[ItemQuerySerializer], responses=ItemSerializer(many=True))
    def get(self, request):
        query = ItemQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(ItemSerializer(selectors.item_search(query.validated_data["q"]), many=True).data)
