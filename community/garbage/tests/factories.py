import datetime

import factory

from ..models import Category, Closure, CollectionDistrict, Item, Rule
from ..services import item_search_key


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"分別{n}")
    colour = "#D55E00"
    letter = factory.Sequence(lambda n: "燃不資紙プ有粗"[n % 7])
    position = factory.Sequence(lambda n: n)


class CollectionDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionDistrict
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n}-a")
    name = factory.Sequence(lambda n: f"{n}-A")


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    fiscal_year = 2023
    district = factory.SubFactory(CollectionDistrictFactory)
    category = factory.SubFactory(CategoryFactory)
    kind = "weekly"
    weekdays = "0"


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    starts = datetime.date(2023, 12, 29)
    ends = datetime.date(2024, 1, 4)
    reason = "年末年始"
    fiscal_year = factory.LazyAttribute(lambda o: o.starts.year if o.starts.month >= 4 else o.starts.year - 1)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    name = factory.Sequence(lambda n: f"品目{n}")
    furigana = ""
    category = factory.SubFactory(CategoryFactory)
    search_key = factory.LazyAttribute(lambda o: item_search_key(o.name, o.furigana))
