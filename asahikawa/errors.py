"""Business-rule errors, for every app: a service that says no raises ApplicationError.

Pages render it in the portal's layout (asahikawa.middleware.ApplicationErrorMiddleware) and the
API in its one error body (asahikawa.api.errors), both with the message in the user's language
and the status that the error's code carries:

| code                 | status | when                                                          |
|----------------------|--------|---------------------------------------------------------------|
| invalid              | 400    | the request breaks a rule; the message (and extra.fields) say which |
| consent_required     | 403    | the resident has not given the consent this needs             |
| not_found            | 404    | the object is not there (or not theirs)                       |
| conflict             | 409    | a concurrent change got there first; sending again may work   |
| not_allowed_now      | 409    | the object's state forbids it (e.g. a workflow step)          |
| out_of_period        | 400    | outside the period or window in which it is allowed           |
| limit_reached        | 409    | a quota, stock or budget would be exceeded                    |
| insufficient_points  | 400    | the balance does not cover it                                 |
| out_of_stock         | 409    | nothing left to give                                          |

API clients read `extra.code` (always present) to tell them apart; the message is for people.
"""
from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"
    CONSENT_REQUIRED = "consent_required"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    NOT_ALLOWED_NOW = "not_allowed_now"
    OUT_OF_PERIOD = "out_of_period"
    LIMIT_REACHED = "limit_reached"
    INSUFFICIENT_POINTS = "insufficient_points"
    OUT_OF_STOCK = "out_of_stock"


STATUS = {
    ErrorCode.INVALID: 400,
    ErrorCode.CONSENT_REQUIRED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.NOT_ALLOWED_NOW: 409,
    ErrorCode.OUT_OF_PERIOD: 400,
    ErrorCode.LIMIT_REACHED: 409,
    ErrorCode.INSUFFICIENT_POINTS: 400,
    ErrorCode.OUT_OF_STOCK: 409,
}


class ApplicationError(Exception):
    """A business rule said no (e.g. not enough points). `extra` may carry `fields` (field ->
    messages) for a form or the API; `extra["code"]` is always the code."""

    def __init__(self, message, *, code: ErrorCode = ErrorCode.INVALID, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = ErrorCode(code)
        self.extra = {**(extra or {}), "code": self.code.value}
        self.status_code = STATUS[self.code]
