"""Who may do what in an association: the one place every page and endpoint of this app asks.

One source of truth for "who is an officer": `accounts.roles.is_officer_of` (Profile.officer_of,
set by staff) decides who runs the whole association. The titles (会長, 副会長...) of OfficerRole only
name that role: a title row of someone who is not Profile.officer_of grants nothing (and
services.officer_role_assign keeps the two in step). The one richer role is 班長: an OfficerRole
with a group, which manages the households of that group (roster, paper receipts, progress and
visits of that group) and nothing else.

Membership (reading circulars, the member board) is an active Membership of a household of the
association, given by a join code or an officer's approval; Profile.association is what the
resident says about themselves and grants nothing here.
"""
from dataclasses import dataclass

from asahikawa.accounts.roles import is_officer_of

from .models import Membership, OfficerRole, OfficerTitle


@dataclass(frozen=True)
class Scope:
    """What a user manages in one association: everything (an officer), some groups (班長), or nothing."""

    all: bool = False
    group_ids: frozenset = frozenset()

    def __bool__(self):
        return self.all or bool(self.group_ids)

    def covers_group(self, group_id) -> bool:
        return self.all or group_id in self.group_ids


NOTHING = Scope()


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def officer_scope(user, association) -> Scope:
    """The one question pages ask before showing the roster, receipts or answers of an association."""
    if not _active(user) or association is None:
        return NOTHING
    association_id = getattr(association, "pk", association)
    if is_officer_of(user, association_id):
        return Scope(all=True)
    groups = frozenset(
        OfficerRole.objects.filter(user=user, association_id=association_id, title=OfficerTitle.GROUP_LEADER)
        .values_list("group_id", flat=True)
    )
    return Scope(group_ids=groups) if groups else NOTHING


def is_officer(user, association) -> bool:
    """Runs the whole association (writes circulars, sends safety checks, moderates the board)."""
    return _active(user) and is_officer_of(user, getattr(association, "pk", association))


def manages_any(user) -> bool:
    """Whether the user runs an association or leads a group in one (the inbox's link to the
    officers' pages): no query for an officer, one small one otherwise."""
    if not _active(user):
        return False
    from asahikawa.accounts.selectors import profile_for

    return (profile_for(user).officer_of_id is not None
            or OfficerRole.objects.filter(user=user, title=OfficerTitle.GROUP_LEADER).exists())


def membership_of(user, association):
    """The user's active membership in the association, or None."""
    if not _active(user) or association is None:
        return None
    return (
        Membership.objects.select_related("household", "household__group")
        .filter(user=user, association_id=getattr(association, "pk", association), ended_at=None)
        .first()
    )


def is_member(user, association) -> bool:
    return membership_of(user, association) is not None


def can_read_board(user, association) -> bool:
    return is_member(user, association) or is_officer(user, association)
