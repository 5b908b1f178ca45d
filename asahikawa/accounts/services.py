from django.contrib.auth import get_user_model
from django.db import transaction

from .models import AccessLog


def access_log_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", detail: str = "") -> AccessLog:
    """Record one read or change of a sensitive record (staff reads of cases, exports, deletions)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AccessLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail[:255],
    )


@transaction.atomic
def user_delete(*, user) -> None:
    """Delete a user's account and everything that is theirs in every app: first each app's own
    erasure (its AppConfig's erase), then the database cascade. The audit trail keeps a row that an
    account was deleted (without the person's data)."""
    from asahikawa.areas import portal_apps

    for config in portal_apps():
        config.erase(user)
    AccessLog.objects.filter(actor=user).update(actor=None)
    access_log_record(actor=None, action=AccessLog.Action.DELETE, object_type="accounts.user", object_id=user.pk,
                      detail="account deleted by its owner")
    get_user_model().objects.filter(pk=user.pk).delete()


def user_export(*, user) -> dict:
    """Everything the portal keeps about a user, for their download: the platform's part, then
    each app's (its AppConfig's export), under the app's label."""
    from asahikawa.areas import portal_apps

    from .selectors import profile_for

    profile = profile_for(user)
    return {
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "profile": {
            "display_name": profile.display_name,
            "district": str(profile.district) if profile.district else None,
            "association": str(profile.association) if profile.association else None,
            "birth_year": profile.birth_year,
            "language": profile.language,
            "privacy_consent_at": profile.privacy_consent_at.isoformat() if profile.privacy_consent_at else None,
        },
        "notification_preferences": dict(user.notification_preferences.values_list("kind", "channel")),
        "notifications": [
            {"kind": n.kind, "title": n.title, "body": n.body, "created_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None}
            for n in user.notifications.all()
        ],
        "app_devices": [
            {"name": d.name, "created_at": d.created_at.isoformat(), "last_used_at": d.last_used_at.isoformat(),
             "expires_at": d.expires_at.isoformat()}
            for d in user.device_tokens.all()
        ],
        **{config.label: data for config in portal_apps() if (data := config.export(user)) is not None},
    }
