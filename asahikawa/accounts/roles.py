"""Roles and object-level rules: the one place that pages and the API both ask.

Roles: the public (anonymous), resident (any signed-in user), association officer (of one
association, Profile.officer_of), helper-agency staff (of one agency, Profile.agency), and
city staff by department (is_staff plus membership of the department's Django group).
"""
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

# Which model permissions each department's group holds: "app_label" (every model of the
# app) or "app_label.model". Areas add their models here as they are built.
DEPARTMENT_PERMISSIONS = {
    "wellness": ["wellness"],
    "child_welfare": ["accounts.helperagency"],
    "agriculture": ["agriculture"],
    "community": ["community", "accounts.district", "accounts.association"],
    "finance": ["budget"],
}


def departments(user) -> frozenset:
    """Department codes of a staff user (cached on the user object for the request)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return frozenset()
    cached = getattr(user, "_department_codes", None)
    if cached is None:
        names = set(user.groups.filter(name__in=settings.DEPARTMENTS).values_list("name", flat=True))
        cached = user._department_codes = frozenset(names)
    return cached


def in_department(user, *codes) -> bool:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return bool(departments(user) & set(codes))


def is_officer_of(user, association) -> bool:
    if not (user.is_authenticated and user.is_active) or association is None:
        return False
    from .selectors import profile_for

    return profile_for(user).officer_of_id == getattr(association, "pk", association)


def is_agency_staff_of(user, agency) -> bool:
    if not (user.is_authenticated and user.is_active) or agency is None:
        return False
    from .selectors import profile_for

    return profile_for(user).agency_id == getattr(agency, "pk", agency)


def is_owner(user, obj, field="user_id") -> bool:
    return user.is_authenticated and user.is_active and getattr(obj, field) == user.pk


def require(condition: bool):
    """Raise PermissionDenied (403 on pages and in the API) unless condition holds."""
    if not condition:
        raise PermissionDenied


def sync_department_permissions(sender=None, using="default", **kwargs):
    """After every migrate: give each department group exactly the permissions declared above.

    Runs after each app's post_migrate (permissions of an app exist only after its own), so the
    last run sees every app's permissions. Cheap: five groups."""
    for code, grants in DEPARTMENT_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=code)
        perms = Permission.objects.using(using).none()
        for grant in grants:
            app_label, _, model = grant.partition(".")
            query = Permission.objects.using(using).filter(content_type__app_label=app_label)
            if model:
                query = query.filter(content_type__model=model)
            perms = perms | query
        group.permissions.set(perms)
