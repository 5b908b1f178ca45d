"""The wellness rows of the access matrix (see tests/access.py).

The resident and other_resident have consented (participants); the other roles have not, so the
pages with health data send them to the consent page (302) and the API answers 403.
"""
import datetime

from django.utils import timezone

from tests.access import LOGIN, Row, only, signed_in


def rows(world):
    from wellness.points import services
    from wellness.points.models import HealthRecord

    from .factories import RewardFactory

    today = timezone.localdate()
    for user in (world.resident, world.other_resident):
        services.participant_consent(user=user)
    record = HealthRecord.objects.create(user=world.resident, day=today, steps=5000, steps_source="web")
    reward = RewardFactory(cost=10_000)
    participants = {"anonymous": LOGIN, "resident": 200, "other_resident": 200}
    batch = {"records": [{"date": (today - datetime.timedelta(days=1)).isoformat(), "steps": 4000}]}
    return [
        signed_in("/wellness/"),
        signed_in("/wellness/consent/", 302, method="post"),
        signed_in("/wellness/consent/", 405),
        Row("/wellness/records/", participants, default=302),
        Row(f"/wellness/records/{record.pk}/delete/", {"anonymous": LOGIN, "resident": 302, "other_resident": 404},
            default=302, method="post"),
        Row("/wellness/records/upload/", participants, default=302),
        Row("/wellness/trends/", participants, default=302),
        Row("/wellness/points/", participants, default=302),
        Row("/wellness/vouchers/", participants, default=302),
        signed_in("/wellness/rewards/"),
        signed_in(f"/wellness/rewards/{reward.pk}/redeem/", 302, method="post"),
        signed_in("/wellness/my-data/wellness.json"),
        signed_in("/wellness/my-data/wellness.csv"),
        signed_in("/wellness/my-data/delete/"),
        signed_in("/wellness/my-data/delete/", 302, method="post"),
        only("/wellness/staff/statistics/", ["wellness"]),
        only("/wellness/staff/statistics.csv", ["wellness"]),
        only("/wellness/staff/counter/", ["wellness"]),
        only(f"/wellness/staff/counter/{world.resident.pk}/", ["wellness"]),
        signed_in("/api/v1/wellness/consent/", 400, method="post", data={"consent": False}),
        signed_in("/api/v1/wellness/records/"),
        Row("/api/v1/wellness/records/", participants, default=403, method="post", data=batch),
        Row("/api/v1/wellness/points/", participants, default=403),
        signed_in("/api/v1/wellness/rewards/"),
        Row(f"/api/v1/wellness/rewards/{reward.pk}/redeem/", {"anonymous": LOGIN, "resident": 400, "other_resident": 400},
            default=403, method="post"),
        signed_in("/api/v1/wellness/vouchers/"),
    ]
