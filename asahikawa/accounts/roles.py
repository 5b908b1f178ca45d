"""Roles and object-level rules: the one place that pages and the API both ask.

Roles: the public (anonymous), resident (any signed-in user), association officer (of one
association, Profile.officer_of), helper-agency staff (of one agency, Profile.agency), and
city staff by department (is_staff plus membership of the department's Django group).
"""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from asahikawa.departments import DEPARTMENTS


def departments(user) -> frozenset:
    """Department codes of a staff user (cached on the user object for the request)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return frozenset()
    cached = getattr(user, "_department_codes", None)
    if cached is None:
        names = set(user.groups.filter(name__in=DEPARTMENTS).values_list("name", flat=True))
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


def department_required(*codes):
    """A staff page of these departments (outside the admin console). Like the console, it needs
    TOTP: a staff user without it is sent to set it up first; anyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            require(in_department(request.user, *codes))
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(request.user):
                messages.warning(request, _("職員用のページを使うには、二要素認証（TOTP）の設定が必要です。"))
                return redirect("mfa_activate_totp")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def sync_department_permissions(sender=None, using="default", **kwargs):
    """After every migrate: give each department group exactly the permissions the apps declare
    (asahikawa.areas.department_permissions).

    Runs after each app's post_migrate (permissions of an app exist only after its own), so the
    last run sees every app's permissions. Cheap: one group per department."""
    from asahikawa.areas import department_permissions

    for code, grants in department_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=code)
        perms = Permission.objects.using(using).none()
        for grant in grants:
            app_label, _, model = grant.partition(".")
            query = Permission.objects.using(using).filter(content_type__app_label=app_label)
            if model:
                query = query.filter(content_type__model=model)
            perms = perms | query
        group.permissions.set(perms)
