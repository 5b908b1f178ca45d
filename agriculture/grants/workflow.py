"""The workflow of an application: the one explicit table of allowed steps.

    draft ──submit──> submitted ──start review──> under_review ──approve (交付決定)──> approved
                                                    │   │                               │
                                   return (差戻し) ─┘   └─ reject (不交付)              completion report (実績報告)
                                        │                                               │
                                    returned ──resubmit──> resubmitted ──start review   completion_reported
                                                                                        │ confirm (交付確定)
                                                                                    confirmed ──> paid
    The applicant may withdraw (取下げ) while the application waits, is returned, or is approved.
    The lottery (the system) rejects the applications it did not select.

Every step is one service function in services.py; anything not in this table is refused.
"""
from dataclasses import dataclass

from .models import Status

APPLICANT = "applicant"
STAFF = "staff"
SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    by: frozenset  # who may take it: APPLICANT, STAFF (of the program's department), SYSTEM (the lottery)
    comment_required: bool = False


def _step(*by, comment_required=False):
    return Step(frozenset(by), comment_required)


TRANSITIONS: dict[tuple[str, str], Step] = {
    (Status.DRAFT, Status.SUBMITTED): _step(APPLICANT),
    (Status.SUBMITTED, Status.UNDER_REVIEW): _step(STAFF),
    (Status.RESUBMITTED, Status.UNDER_REVIEW): _step(STAFF),
    (Status.UNDER_REVIEW, Status.RETURNED): _step(STAFF, comment_required=True),
    (Status.RETURNED, Status.RESUBMITTED): _step(APPLICANT),
    (Status.UNDER_REVIEW, Status.APPROVED): _step(STAFF),
    (Status.UNDER_REVIEW, Status.REJECTED): _step(STAFF, SYSTEM, comment_required=True),
    (Status.SUBMITTED, Status.REJECTED): _step(SYSTEM, comment_required=True),
    (Status.RESUBMITTED, Status.REJECTED): _step(SYSTEM, comment_required=True),
    (Status.RETURNED, Status.REJECTED): _step(SYSTEM, comment_required=True),
    (Status.APPROVED, Status.COMPLETION_REPORTED): _step(APPLICANT),
    (Status.COMPLETION_REPORTED, Status.CONFIRMED): _step(STAFF),
    (Status.CONFIRMED, Status.PAID): _step(STAFF),
    (Status.SUBMITTED, Status.WITHDRAWN): _step(APPLICANT),
    (Status.UNDER_REVIEW, Status.WITHDRAWN): _step(APPLICANT),
    (Status.RETURNED, Status.WITHDRAWN): _step(APPLICANT),
    (Status.RESUBMITTED, Status.WITHDRAWN): _step(APPLICANT),
    (Status.APPROVED, Status.WITHDRAWN): _step(APPLICANT),
}


def step_for(from_status: str, to_status: str) -> Step | None:
    return TRANSITIONS.get((from_status, to_status))


def next_statuses(status: str, by: str) -> list[str]:
    """The statuses `by` may move an application in `status` to, in the table's order."""
    return [to for (source, to), step in TRANSITIONS.items() if source == status and by in step.by]


# The staff console's buttons, in the order shown (each a target status).
STAFF_ACTIONS = {
    Status.UNDER_REVIEW: "start_review",
    Status.RETURNED: "return",
    Status.APPROVED: "approve",
    Status.REJECTED: "reject",
    Status.CONFIRMED: "confirm",
    Status.PAID: "mark_paid",
}
