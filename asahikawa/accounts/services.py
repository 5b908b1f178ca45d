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
