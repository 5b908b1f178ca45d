"""The budget pages and API are public: everyone, signed in or not, gets the same answer."""
from tests.access import public


def rows(world):
    return [
        public("/budget/"),
        public("/budget/", 405, method="post"),
        public("/budget/2023/"),
        public("/budget/1999/", 404),
        public("/budget/2023/purpose/03/"),
        public("/budget/2023/purpose/99/", 404),
        public("/budget/years/"),
        public("/budget/calculator/"),
        public("/budget/calculator/?mode=income&amount=5000000&year=2023"),
        public("/budget/calculator/?mode=income&amount=abc&year=2023", 400),
        public("/budget/data/"),
        public("/budget/data/years.csv"),
        public("/budget/data/nope.csv", 404),
        public("/api/v1/budget/years/"),
        public("/api/v1/budget/years/2023/"),
        public("/api/v1/budget/years/2023/items/?breakdown=purpose"),
        public("/api/v1/budget/years/2023/items/?breakdown=wrong", 400),
        public("/api/v1/budget/fund-balances/"),
        public("/api/v1/budget/calculator/?income=5000000"),
        public("/api/v1/budget/calculator/", 400),
        public("/api/v1/budget/years/", 405, method="post"),
    ]
