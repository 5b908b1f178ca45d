"""The young-carer support's rows of the access matrix (see tests/access.py): a household, another
household, an agency, another agency, staff of another department, child-welfare staff.

The resident is the household of a submitted case and of an active one; nobody else reaches them
(404, as an id that does not exist). The agency user's agency has the active case's visits; a
visit of another agency is a 404 for it. Staff pages are for child-welfare staff (with TOTP)."""

from tests.access import LOGIN, Row, only, public, signed_in

STAFF = ["child_welfare"]


def _household(status=200):
    return {"anonymous": LOGIN, "resident": status}


def rows(world):
    from asahikawa.accounts.tests.factories import HelperAgencyFactory

    from .factories import active_case, submitted_case

    staff = world.child_welfare
    pending = submitted_case(world.resident)
    active = active_case(world.resident, staff, world.helper_agency)
    elsewhere = active_case(world.other_resident, staff, HelperAgencyFactory())
    own_visit = active.visits.order_by("date").first()
    other_visit = elsewhere.visits.order_by("date").first()
    agency_only = {"anonymous": LOGIN, "agency": 200}
    return [
        public("/wellness/carers/"),
        signed_in("/wellness/carers/apply/"),
        signed_in("/wellness/carers/apply/", 400, method="post", data={"guardian_name": ""}),
        Row(f"/wellness/carers/cases/{pending.pk}/", _household(), default=404),
        Row(f"/wellness/carers/cases/{active.pk}/", _household(), default=404),
        Row(f"/wellness/carers/cases/{pending.pk}/", _household(400), default=404, method="post", data={"note": ""}),
        only("/wellness/carers/agency/", ["agency"]),
        Row(f"/wellness/carers/agency/visits/{own_visit.pk}/", agency_only, default=403),
        Row(f"/wellness/carers/agency/visits/{other_visit.pk}/", {**agency_only, "agency": 404}, default=403),
        Row(
            f"/wellness/carers/agency/visits/{own_visit.pk}/",
            {**agency_only, "agency": 302},
            default=403,
            method="post",
            data={"action": "schedule", "schedule-start_time": "16:00", "schedule-helper_name": "北野"},
        ),
        Row(
            f"/wellness/carers/agency/visits/{other_visit.pk}/",
            {**agency_only, "agency": 404},
            default=403,
            method="post",
            data={"action": "schedule", "schedule-start_time": "16:00", "schedule-helper_name": "北野"},
        ),
        only("/wellness/carers/staff/", STAFF),
        only("/wellness/carers/staff/apply/", STAFF),
        only("/wellness/carers/staff/apply/", STAFF, status=400, method="post", data={"guardian_name": ""}),
        only(f"/wellness/carers/staff/cases/{pending.pk}/", STAFF),
        only(
            f"/wellness/carers/staff/cases/{pending.pk}/",
            STAFF,
            status=400,
            method="post",
            data={"action": "decline", "decline-reason": ""},
        ),
        only("/wellness/carers/staff/report/", STAFF),
        only("/wellness/carers/staff/report.csv", STAFF),
        only("/wellness/carers/staff/access-log/", STAFF),
    ]
