"""The public budget API (no sign-in): the same figures as the pages, money as integer yen.

The year list, a year and the items of a breakdown are computed once per budget version, language
and URL (budget/caching.py): a cached answer runs no query, and an import, a replacement or a
staff edit makes the next answer fresh."""
import hashlib
import json

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from asahikawa.errors import ApplicationError
from budget import caching, selectors
from budget.calculator import calculate
from budget.models import BudgetItem, FiscalYear

from .serializers import (
    BudgetItemSerializer,
    CalculatorQuerySerializer,
    CalculatorResultSerializer,
    FundBalanceSerializer,
    ItemsQuerySerializer,
    YearDetailSerializer,
    YearTotalsSerializer,
)


class PublicMixin:
    permission_classes = [AllowAny]


def _plain(data):
    """A serializer's answer as plain lists and dicts (what the cache can hold)."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


class CachedListMixin:
    """list() answered from the cache, per absolute URL (pagination links name the host)."""

    cache_name = ""

    def list(self, request, *args, **kwargs):
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        data = caching.cached(self.cache_name, url, compute=lambda: _plain(super(CachedListMixin, self).list(
            request, *args, **kwargs).data))
        return Response(data)


class YearListView(PublicMixin, CachedListMixin, generics.ListAPIView):
    """Every year with a budget, newest first: totals of the general and special accounts and the change on the year."""

    serializer_class = YearTotalsSerializer
    cache_name = "api-years"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no query
            return FiscalYear.objects.none()
        return list(reversed(selectors.years_totals()))


class YearDetailView(PublicMixin, APIView):
    """One year: totals, change on the year and every account."""

    @extend_schema(responses=YearDetailSerializer)
    def get(self, request, year):
        return Response(caching.cached("api-year", year, compute=lambda: _plain(
            YearDetailSerializer(selectors.year_totals(year)).data)))


@extend_schema(parameters=[ItemsQuerySerializer])
class ItemListView(PublicMixin, CachedListMixin, generics.ListAPIView):
    """Lines of one breakdown of a year (purpose: 款, or the 項 of one 款 with ?parent=; nature; revenue)."""

    serializer_class = BudgetItemSerializer
    cache_name = "api-items"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no query
            return BudgetItem.objects.none()
        query = ItemsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year = self.kwargs["year"]
        selectors.year_totals(year)  # 404 for a year with no budget
        return selectors.items(year, params["breakdown"], parent_code=params.get("parent"),
                               account_code=params["account"]).select_related("fiscal_year", "account", "parent")


class FundBalanceListView(PublicMixin, generics.ListAPIView):
    """Fiscal adjustment fund (財政調整基金) balance at the end of each year."""

    serializer_class = FundBalanceSerializer

    def get_queryset(self):
        return selectors.fund_balances()


class CalculatorView(PublicMixin, APIView):
    """Where does my tax go: a municipal tax (or a salary to estimate it from) shared out by purpose."""

    @extend_schema(parameters=[CalculatorQuerySerializer], responses=CalculatorResultSerializer)
    def get(self, request):
        query = CalculatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year = params.get("year") or selectors.front_year()
        result = (calculate(year=year, tax=params.get("tax"), income=params.get("income"), dependants=params["dependants"])
                  if year else None)
        if result is None:
            raise ApplicationError(_("この年度は目的別の内訳がないため計算できません。"),
                                   extra={"fields": {"year": [_("目的別の内訳がある年度を指定してください。")]}})
        return Response(CalculatorResultSerializer(result).data)


