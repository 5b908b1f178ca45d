"""The garbage calendar's rows of the access matrix (see tests/access.py): every page, the feed
and the API are public; only the reminder switch needs a signed-in user."""
from tests.access import public, signed_in


def rows(world):
    from community.garbage.services import districts_touch

    from .factories import CategoryFactory, CollectionDistrictFactory, ItemFactory, RuleFactory

    district = CollectionDistrictFactory(code="9-z", name="9-Z")
    category = CategoryFactory(code="burnable", name="燃やせるごみ")
    RuleFactory(district=district, category=category, fiscal_year=2023, weekdays="03")
    ItemFactory(name="ペットボトル", category=category)
    districts_touch()
    return [
        public("/community/garbage/"),
        public("/community/garbage/?area=永山"),
        public("/community/garbage/choose/", 302, method="post", data={"district": "9-z"}),
        public("/community/garbage/choose/", 302, method="post", data={"district": "nope"}),
        public("/community/garbage/choose/", 405),
        public("/community/garbage/d/9-z/"),
        public("/community/garbage/d/nope/", 404),
        public("/community/garbage/d/9-z/month/?month=2023-05"),
        public("/community/garbage/d/9-z/month/?month=2023-13", 404),
        public("/community/garbage/d/9-z/2023/"),
        public("/community/garbage/search/?q=ぺっと"),
        public("/community/garbage/9-z.ics"),
        public("/community/garbage/9-z.ics?categories=nope", 400),
        public("/community/garbage/nope.ics", 404),
        signed_in("/community/garbage/reminder/", 302, method="post", data={"on": "1"}),
        signed_in("/community/garbage/reminder/", 405),
        public("/api/v1/garbage/districts/"),
        public("/api/v1/garbage/categories/"),
        public("/api/v1/garbage/collections/?district=9-z&date_from=2023-05-01&date_to=2023-05-31"),
        public("/api/v1/garbage/collections/?district=9-z&date_from=2023-05-31&date_to=2023-05-01", 400),
        public("/api/v1/garbage/collections/?district=nope&date_from=2023-05-01&date_to=2023-05-31", 404),
        public("/api/v1/garbage/items/?q=ぺっと"),
        public("/api/v1/garbage/items/", 400),
        public("/api/v1/garbage/districts/", 405, method="post"),
    ]
