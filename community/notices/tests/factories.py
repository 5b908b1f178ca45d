import datetime

from django.utils import timezone

from community.notices import services
from community.notices.models import Category, Notice


def notice(
    *,
    author=None,
    publish=True,
    category=Category.SNOW,
    title="除雪のお知らせ",
    body="今夜、除雪します。",
    district_ids=(),
    association_ids=(),
    age_bands=(),
    everyone=None,
    **fields,
) -> Notice:
    """A notice saved through the service and (by default) sent at once."""
    if everyone is None:
        everyone = not (district_ids or association_ids or age_bands)
    if not publish:
        fields.setdefault("publish_at", timezone.now() + datetime.timedelta(days=1))
    saved = services.notice_save(
        author=author,
        category=category,
        title=title,
        body=body,
        everyone=everyone,
        district_ids=district_ids,
        association_ids=association_ids,
        age_bands=age_bands,
        publish_now=publish and "publish_at" not in fields,
        **fields,
    )
    if publish:
        services.notice_publish(notice_id=saved.pk)
        saved.refresh_from_db()
    return saved
