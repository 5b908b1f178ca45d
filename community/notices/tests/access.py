"""The notices' rows of the access matrix (see tests/access.py).

The world: `resident` lives in a district that an urgent, non-public notice targets; nobody else
does. A public notice is readable by anyone; a notice to everyone by every signed-in user. Staff
pages: community and DX staff for every category; the other departments for their own categories
(a health notice is the wellness department's), so another department's notice is a 404."""

from tests.access import LOGIN, Row, only, public, signed_in

WRITERS = ["community", "wellness", "child_welfare", "agriculture", "finance"]


def rows(world):
    from asahikawa.accounts.tests.factories import DistrictFactory
    from community.notices.models import Category

    from .factories import notice

    district = DistrictFactory(name="matrix地区")
    world.resident.profile.district = district
    world.resident.profile.save()
    public_notice = notice(title="matrix public", public=True, category=Category.EVENT)
    for_district = notice(title="matrix district", urgent=True, district_ids=[district.pk])
    for_everyone = notice(title="matrix everyone", category=Category.OTHER)
    health = notice(title="matrix health", category=Category.HEALTH, everyone=True)
    draft = notice(title="matrix draft", publish=False, category=Category.SNOW, everyone=True)

    base = "/community/notices"
    district_only = {"anonymous": LOGIN, "resident": 200}
    return [
        public(f"{base}/"),
        public(f"{base}/{public_notice.pk}/"),
        public(f"{base}/{public_notice.pk}/image/", 404),  # no image: the same answer for everyone
        Row(f"{base}/{for_district.pk}/", district_only, default=404),
        Row(f"{base}/{for_district.pk}/image/", {"anonymous": LOGIN}, default=404),
        signed_in(f"{base}/{for_everyone.pk}/"),
        Row(f"{base}/{draft.pk}/", {"anonymous": LOGIN}, default=404),
        signed_in(f"{base}/reader/", 302, method="post", data={"easy": "on", "next": "/community/notices/"}),
        signed_in(f"{base}/reader/", 405),
        public(f"{base}/feed/snow.atom"),
        public(f"{base}/feed/nothing.atom", 404),
        # staff
        only(f"{base}/staff/", WRITERS),
        only(f"{base}/staff/new/", WRITERS),
        only(f"{base}/staff/new/", WRITERS, status=400, method="post", data={"title": ""}),
        Row(
            f"{base}/staff/{for_district.pk}/",
            {
                "anonymous": LOGIN,
                "community": 200,
                "wellness": 404,
                "child_welfare": 404,
                "agriculture": 404,
                "finance": 404,
            },
            default=403,
        ),
        Row(
            f"{base}/staff/{health.pk}/",
            {
                "anonymous": LOGIN,
                "community": 200,
                "wellness": 200,
                "child_welfare": 404,
                "agriculture": 404,
                "finance": 404,
            },
            default=403,
        ),
        Row(
            f"{base}/staff/{draft.pk}/edit/",
            {
                "anonymous": LOGIN,
                "community": 200,
                "wellness": 404,
                "child_welfare": 404,
                "agriculture": 404,
                "finance": 404,
            },
            default=403,
        ),
        Row(
            f"{base}/staff/{for_district.pk}/edit/",
            {
                "anonymous": LOGIN,
                "community": 302,
                "wellness": 404,
                "child_welfare": 404,
                "agriculture": 404,
                "finance": 404,
            },
            default=403,
        ),
        only(f"{base}/staff/compare/?ids={for_district.pk}&ids={public_notice.pk}", WRITERS),
        only(f"{base}/staff/reach.csv?ids={for_district.pk}", WRITERS),
        only(f"{base}/staff/readings/", ["community"]),
        only(f"{base}/staff/readings/", ["community"], status=400, method="post", data={"word": "", "reading": ""}),
        # the smartphone app
        signed_in("/api/v1/notices/mine/"),
        Row(
            f"/api/v1/notices/{for_district.pk}/open/",
            {"anonymous": LOGIN, "resident": 200},
            default=404,
            method="post",
        ),
        Row(f"/api/v1/notices/{public_notice.pk}/open/", {"anonymous": LOGIN}, default=200, method="post"),
        public("/api/v1/notices/public/"),
    ]
