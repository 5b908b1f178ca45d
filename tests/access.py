"""The access matrix: for every URL the portal has, what each role gets.

Each app adds its rows through its AppConfig's `access_rows(world) -> list[Row]` (asahikawa.areas),
by convention kept in <app>/tests/access.py; the function may create the objects its URLs need from the users in `world`. tests/test_access_matrix.py
requests every row as every role, and fails when a URL of the portal has no row at all.

Roles: anonymous, resident, other_resident, officer, agency, no_mfa_staff (a staff user without
TOTP) and one per department (asahikawa/departments.py).
`world` also has: users (role -> user, None for anonymous), association (the officer's),
helper_agency (the agency user's), notification_of_resident, new_user (UserFactory).
A staff session without TOTP (no_mfa_staff) gets 403 from every API URL that needs a sign-in,
unless a row says otherwise.
Expected values: an HTTP status (200, 400, 403, 404, 405...) or LOGIN (a page redirects to
the sign-in page; the API answers 401).
"""
from dataclasses import dataclass, field

from asahikawa.departments import DEPARTMENTS

LOGIN = "login"
ROLES = ("anonymous", "resident", "other_resident", "officer", "agency", "no_mfa_staff", *DEPARTMENTS)
SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")


@dataclass
class Row:
    url: str
    expect: dict  # role -> status or LOGIN; roles not named get `default`
    default: object = None
    method: str = "get"
    data: dict = field(default_factory=dict)

    def expected(self, role):
        if role == "no_mfa_staff" and role not in self.expect and self.url.startswith("/api/") \
                and self.expected("anonymous") == LOGIN:
            return 403  # the API refuses a staff session without TOTP, as the staff pages do
        value = self.expect.get(role, self.default)
        if value is None:
            raise AssertionError(f"{self.method.upper()} {self.url}: no expectation for role {role}")
        return value


def public(url, status=200, **kwargs):
    """Anyone, signed in or not, gets `status`."""
    return Row(url, {}, default=status, **kwargs)


def signed_in(url, status=200, **kwargs):
    """Any signed-in user gets `status`; the public is sent to sign in."""
    return Row(url, {"anonymous": LOGIN}, default=status, **kwargs)


def only(url, roles, status=200, denied=403, **kwargs):
    """Only `roles` get `status`; other signed-in users get `denied`; the public signs in."""
    expect = {"anonymous": LOGIN, **{role: status for role in roles}}
    return Row(url, expect, default=denied, **kwargs)
