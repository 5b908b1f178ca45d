"""Demo data of the garbage calendar. The districts' patterns, the area names' grouping, the bags,
the items' notes and the one-off change are invented (is_sample: shown as サンプル); the categories
look like the city's. The closure (Dec 29 - Jan 4) is Asahikawa's year end, entered as data for the
current and the next fiscal year, so that the April switch can be previewed. Idempotent."""
import datetime

from django.db import transaction
from django.utils import timezone

from asahikawa.accounts.models import District
from asahikawa.dates import fiscal_year_bounds, fiscal_year_of
from asahikawa.errors import ApplicationError

from .models import Area, Category, Change, ChangeKind, Closure, CollectionDistrict, Item, OnClosure, OnHoliday, Rule
from .services import calendar_object_save, districts_touch, item_search_key

# code, name, English, colour (Okabe-Ito), letter, shape, bag, instructions
CATEGORIES = [
    ("burnable", "燃やせるごみ", "Burnable waste", "#D55E00", "燃", "circle", "指定ごみ袋（黄色・サンプル）",
     "生ごみは水を切ってから出してください。"),
    ("non-burnable", "燃やせないごみ", "Non-burnable waste", "#0072B2", "不", "square", "指定ごみ袋（青色・サンプル）",
     "刃物やガラスは紙に包み「キケン」と書いてください。"),
    ("recyclables", "資源物（びん・缶・ペットボトル）", "Recyclables (bottles, cans, PET bottles)", "#009E73", "資",
     "triangle", "透明または半透明の袋", "中を軽くすすいでください。"),
    ("paper", "古紙", "Used paper", "#E69F00", "紙", "diamond", "ひもで十字にしばる", "雨の日は濡れないようにしてください。"),
    ("plastic", "プラスチック製容器包装", "Plastic packaging", "#56B4E9", "プ", "hexagon", "透明または半透明の袋",
     "汚れを落としてから出してください。"),
]

# code, name, platform district, areas, {category: rule spec} (this year's; next year's differs for plastic)
DISTRICTS = [
    ("1-a", "1-A", "chuo", ["1条通1〜8丁目", "2条通1〜8丁目"],
     {"burnable": ("weekly", "03"), "non-burnable": ("biweekly", 1), "recyclables": ("weekly", "2"),
      "paper": ("nth", "4", "24"), "plastic": ("weekly", "4")}),
    ("2-b", "2-B", "kagura", ["神楽1条1〜6丁目", "神楽2条1〜6丁目"],
     {"burnable": ("weekly", "14"), "non-burnable": ("biweekly", 2), "recyclables": ("weekly", "3"),
      "paper": ("nth", "0", "13"), "plastic": ("weekly", "0")}),
    ("3-a", "3-A", "nagayama", ["永山3条1〜10丁目", "永山4条1〜10丁目"],
     {"burnable": ("weekly", "25"), "non-burnable": ("biweekly", 3), "recyclables": ("weekly", "4"),
      "paper": ("nth", "1", "24"), "plastic": ("weekly", "1")}),
    ("3-b", "3-B", None, ["永山5条1〜10丁目"],
     {"burnable": ("weekly", "25"), "non-burnable": ("biweekly", 0), "recyclables": ("weekly", "0"),
      "paper": ("nth", "3", "13"), "plastic": ("weekly", "3")}),
    ("4-c", "4-C", "toko", ["東光1条1〜8丁目", "東光2条1〜8丁目"],
     {"burnable": ("weekly", "03"), "non-burnable": ("biweekly", 4), "recyclables": ("weekly", "1"),
      "paper": ("nth", "2", "24"), "plastic": ("weekly", "2")}),
    ("5-a", "5-A", "shunko", ["春光1条1〜6丁目", "春光2条1〜6丁目"],
     {"burnable": ("weekly", "14"), "non-burnable": ("biweekly", 1), "recyclables": ("weekly", "2"),
      "paper": ("nth", "4", "13"), "plastic": ("weekly", "3")}),
]

# name, furigana, category, notice
ITEMS = [
    ("生ごみ", "なまごみ", "burnable", "水をよく切ってください。"),
    ("紙くず", "かみくず", "burnable", ""),
    ("紙おむつ", "かみおむつ", "burnable", "汚物はトイレに流してください。"),
    ("衣類", "いるい", "burnable", ""),
    ("革靴", "かわぐつ", "burnable", ""),
    ("ぬいぐるみ", "", "burnable", ""),
    ("使い捨てカイロ", "つかいすてかいろ", "burnable", ""),
    ("割りばし", "わりばし", "burnable", ""),
    ("食用油", "しょくようあぶら", "burnable", "紙や布に染み込ませるか、固めてください。"),
    ("乾電池", "かんでんち", "non-burnable", "端子にテープを貼ってください。"),
    ("ボタン電池", "ぼたんでんち", "non-burnable", "販売店の回収箱もご利用ください。"),
    ("蛍光管", "けいこうかん", "non-burnable", "割らずに購入時の箱などに入れてください。"),
    ("電球", "でんきゅう", "non-burnable", ""),
    ("陶磁器", "とうじき", "non-burnable", ""),
    ("ガラスのコップ", "がらすのこっぷ", "non-burnable", "紙に包み「キケン」と書いてください。"),
    ("傘", "かさ", "non-burnable", ""),
    ("フライパン", "", "non-burnable", ""),
    ("スプレー缶", "すぷれーかん", "non-burnable", "中身を使い切ってください。"),
    ("ペットボトル", "", "recyclables", "キャップとラベルは「プラスチック製容器包装」へ。"),
    ("空き缶", "あきかん", "recyclables", "中を軽くすすいでください。"),
    ("空きびん", "あきびん", "recyclables", "キャップを外してください。"),
    ("新聞紙", "しんぶんし", "paper", "ひもで十字にしばってください。"),
    ("段ボール", "だんぼーる", "paper", "たたんでしばってください。"),
    ("雑誌", "ざっし", "paper", ""),
    ("紙パック", "かみぱっく", "paper", "開いて乾かしてください。"),
    ("ペットボトルのキャップ", "", "plastic", ""),
    ("卵のパック", "たまごのぱっく", "plastic", ""),
    ("発泡スチロールのトレイ", "はっぽうすちろーるのとれい", "plastic", ""),
    ("レジ袋", "れじぶくろ", "plastic", ""),
    ("シャンプーの容器", "しゃんぷーのようき", "plastic", "中を軽くすすいでください。"),
]


def _rule(fiscal_year, district, category, spec, next_year: bool) -> Rule:
    kind = spec[0]
    start, _end = fiscal_year_bounds(fiscal_year)
    if category.code == "plastic" and next_year:  # the next year's calendar moves plastic a day later
        spec = ("weekly", str((int(spec[1]) + 1) % 5))
    if kind == "weekly":
        return Rule(kind="weekly", weekdays=spec[1])
    if kind == "nth":
        return Rule(kind="nth", weekdays=spec[1], weeks=spec[2], on_holiday=OnHoliday.SKIP)
    weekday = spec[1]
    anchor = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    return Rule(kind="biweekly", anchor=anchor, on_closure=OnClosure.NEXT_WEEK)


@transaction.atomic
def load(stdout):
    today = timezone.localdate()
    years = [fiscal_year_of(today), fiscal_year_of(today) + 1]
    categories = {}
    for position, (code, name, name_en, colour, letter, shape, bag, instructions) in enumerate(CATEGORIES):
        categories[code], _ = Category.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "colour": colour, "letter": letter, "shape": shape, "bag": bag,
            "instructions": instructions, "position": position, "is_sample": True})
    platform = {district.code: district for district in District.objects.all()}
    created_rules = 0
    districts = {}
    for code, name, platform_code, areas, specs in DISTRICTS:
        linked = platform.get(platform_code) if platform_code else None
        if linked is not None and CollectionDistrict.objects.filter(platform_district=linked).exclude(code=code).exists():
            linked = None
        district, _ = CollectionDistrict.objects.get_or_create(code=code, defaults={
            "name": name, "platform_district": linked, "is_sample": True})
        districts[code] = district
        for position, area in enumerate(areas):
            Area.objects.get_or_create(name=area, defaults={"district": district, "position": position, "is_sample": True})
        for year in years:
            if Rule.objects.filter(district=district, fiscal_year=year).exists():
                continue
            rules = []
            for position, (category_code, spec) in enumerate(specs.items()):
                rule = _rule(year, district, categories[category_code], spec, next_year=year != years[0])
                rule.district, rule.category, rule.fiscal_year, rule.position = district, categories[category_code], year, position
                rules.append(rule)
            Rule.objects.bulk_create(rules)
            created_rules += len(rules)
    for year in years:
        Closure.objects.get_or_create(fiscal_year=year, center="", starts=datetime.date(year, 12, 29),
                                      defaults={"ends": datetime.date(year + 1, 1, 4), "reason": "年末年始", "is_sample": False})
    # One invented one-off change: an extra burnable day in 3-A right after the year end.
    year = years[0]
    if not Change.objects.filter(district=districts["3-a"], fiscal_year=year).exists():
        for offset in range(7):  # the first day after the year end that is not already a burnable day
            try:
                calendar_object_save(obj=Change(
                    district=districts["3-a"], category=categories["burnable"], kind=ChangeKind.ADD,
                    day=datetime.date(year + 1, 1, 5) + datetime.timedelta(days=offset),
                    reason="年末年始の臨時収集（サンプル）", is_sample=True))
                break
            except ApplicationError:
                continue
    if not Item.objects.exists():
        Item.objects.bulk_create([
            Item(name=name, furigana=furigana, category=categories[category], notice=notice, position=position,
                 search_key=item_search_key(name, furigana), is_sample=True)
            for position, (name, furigana, category, notice) in enumerate(ITEMS)
        ])
    districts_touch()
    stdout.write(f"garbage: {len(districts)} sample districts, {created_rules} rules added (FY{years[0]}, FY{years[1]})")
