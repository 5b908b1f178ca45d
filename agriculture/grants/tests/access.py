"""The subsidy engine's rows of the access matrix (see tests/access.py).

The resident has applications in several statuses; nobody else reaches them (404, as for an id
that does not exist). Staff pages are for agriculture and child welfare; each sees only the
applications of its own department's programs (another department's: 404)."""
from tests.access import LOGIN, Row, only, public, signed_in

STAFF = ["agriculture", "child_welfare"]


def _owner(status=200, **kwargs):
    return {"anonymous": LOGIN, "resident": status, **kwargs}


def rows(world):
    from agriculture.grants.models import Status

    from .factories import ProgramFactory, application_in, draft

    program = ProgramFactory()
    hearing = ProgramFactory(department="child_welfare", code="HEARINGX", combined_numerator=None,
                             combined_denominator=None, rate_numerator=1, rate_denominator=1, cap=3000, rounding_unit=1)
    lottery = ProgramFactory(selection="lottery")
    agri_staff, child_staff = world.agriculture, world.child_welfare
    editable = draft(program, world.resident)
    incomplete = draft(program, world.resident, documents=False)
    to_delete = draft(program, world.resident)
    submitted = application_in(Status.SUBMITTED, program, world.resident, agri_staff)
    to_withdraw = application_in(Status.SUBMITTED, program, world.resident, agri_staff)
    approved = application_in(Status.APPROVED, program, world.resident, agri_staff, costs=(200_000,))
    claim = application_in(Status.SUBMITTED, hearing, world.resident, child_staff, costs=(5000,))
    document = submitted.documents.first()
    draft_document = editable.documents.first()
    staff_only = {"anonymous": LOGIN, "agriculture": 200, "child_welfare": 404}
    return [
        public("/grants/"),
        public("/grants/hearing-test/"),
        public(f"/grants/programs/{program.pk}/"),
        signed_in(f"/grants/programs/{program.pk}/apply/"),
        signed_in(f"/grants/programs/{program.pk}/apply/", 400, method="post", data={}),
        signed_in("/grants/applications/"),
        Row(f"/grants/applications/{submitted.pk}/", _owner(), default=404),
        Row(f"/grants/applications/{editable.pk}/edit/", _owner(), default=404),
        Row(f"/grants/applications/{editable.pk}/edit/", _owner(400), default=404, method="post", data={"items-TOTAL_FORMS": "x"}),
        Row(f"/grants/applications/{incomplete.pk}/confirm/", _owner(), default=404),
        Row(f"/grants/applications/{incomplete.pk}/confirm/", _owner(400), default=404, method="post"),
        Row(f"/grants/applications/{to_withdraw.pk}/withdraw/", _owner(302), default=404, method="post"),
        Row(f"/grants/applications/{to_delete.pk}/delete/", _owner(302), default=404, method="post"),
        Row(f"/grants/applications/{approved.pk}/completion/", _owner(), default=404),
        Row(f"/grants/applications/{approved.pk}/completion/", _owner(400), default=404, method="post", data={"actual_cost": "x"}),
        Row(f"/grants/applications/{submitted.pk}/documents/{document.pk}/", _owner(agriculture=200), default=404),
        Row(f"/grants/applications/{editable.pk}/documents/{draft_document.pk}/delete/", _owner(302), default=404,
            method="post"),
        only("/grants/staff/", STAFF),
        only("/grants/staff/", STAFF, status=302, method="post", data={"action": "under_review"}),
        Row(f"/grants/staff/applications/{submitted.pk}/", staff_only, default=403),
        Row(f"/grants/staff/applications/{submitted.pk}/", {**staff_only, "agriculture": 400}, default=403, method="post",
            data={"to": "paid"}),
        Row(f"/grants/staff/applications/{claim.pk}/", {"anonymous": LOGIN, "agriculture": 404, "child_welfare": 200},
            default=403),
        Row(f"/grants/staff/programs/{lottery.pk}/", staff_only, default=403),
        Row(f"/grants/staff/programs/{lottery.pk}/", {**staff_only, "agriculture": 400}, default=403, method="post"),
        only("/grants/staff/export/applications.csv", STAFF),
        only("/grants/staff/export/applications.xlsx", STAFF),
        only("/grants/staff/export/payments.csv", STAFF),
        only("/grants/staff/export/payments.xlsx", STAFF),
        public("/api/v1/grants/programs/"),
        public(f"/api/v1/grants/programs/{program.pk}/"),
        public(f"/api/v1/grants/programs/{program.pk}/calculate/", method="post", data={"costs": [1_000_000]}),
        signed_in("/api/v1/grants/applications/"),
        Row(f"/api/v1/grants/applications/{submitted.pk}/", _owner(), default=404),
    ]
