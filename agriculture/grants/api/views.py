"""The subsidy engine's API: the programs (public), the amount calculation (public: the same pure
function the server uses on submit), and the signed-in user's own applications (owner-scoped:
another applicant's id is a 404)."""
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from asahikawa.api.mixins import OwnerScopedMixin
from asahikawa.api.pagination import Pagination

from .. import selectors
from ..formula import subsidy_amount
from ..models import Application, StatusChange
from .serializers import AmountSerializer, ApplicationSerializer, CalculationSerializer, ProgramSerializer


def _programs():
    return selectors.programs_public().prefetch_related("questions", "requirements")


class ProgramsView(generics.ListAPIView):
    """The grant programs (public): window, who may apply, formula, quota and what remains of it."""

    serializer_class = ProgramSerializer
    permission_classes = [AllowAny]
    filter_backends = []
    pagination_class = Pagination

    def get_queryset(self):
        return _programs()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        figures = selectors.program_figures([p.pk for p in page])
        context = {**self.get_serializer_context(),
                   "figures": {p.pk: selectors.figures_for(p, figures.get(p.pk)) for p in page}}
        return self.get_paginated_response(ProgramSerializer(page, many=True, context=context).data)


class ProgramView(generics.RetrieveAPIView):
    serializer_class = ProgramSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return _programs()

    def retrieve(self, request, *args, **kwargs):
        program = self.get_object()
        figures = selectors.figures_for(program, selectors.program_figures([program.pk]).get(program.pk))
        context = {**self.get_serializer_context(), "figures": {program.pk: figures}}
        return Response(ProgramSerializer(program, context=context).data)


class CalculateView(APIView):
    """The subsidy for these costs under the program's formula (rate, cap, rounding down, combined
    limit with a national subsidy). The application form calls it as the applicant types; the
    server computes again on every save and on submission."""

    permission_classes = [AllowAny]

    @extend_schema(request=CalculationSerializer, responses={200: AmountSerializer})
    def post(self, request, pk):
        program = generics.get_object_or_404(selectors.programs_public(), pk=pk)
        serializer = CalculationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = subsidy_amount(program.formula, costs=data["costs"],
                                national_subsidy=data["national_subsidy"] if program.combines else 0)
        return Response(AmountSerializer(result).data)


class ApplicationsView(OwnerScopedMixin, generics.ListAPIView):
    """The signed-in user's own applications (newest first)."""

    serializer_class = ApplicationSerializer
    owner_field = "applicant"
    filter_backends = []
    queryset = Application.objects.select_related("program").prefetch_related(
        "items", Prefetch("history", StatusChange.objects.order_by("at", "id"))
    ).order_by("-created_at", "-id")


class ApplicationView(OwnerScopedMixin, generics.RetrieveAPIView):
    serializer_class = ApplicationSerializer
    owner_field = "applicant"
    queryset = ApplicationsView.queryset
