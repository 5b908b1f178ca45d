"""The 5374 data folder: cells, a round trip that keeps every collection day, bad files refused
with the place of the error and nothing imported, UTF-8 (with or without BOM) and Shift_JIS."""
import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from asahikawa.spreadsheets import SpreadsheetError
from community.garbage import services
from community.garbage.format5374 import CellProblem, parse_cell
from community.garbage.models import Area, Category, Change, Closure, CollectionDistrict, Item, Rule
from community.garbage.transfer5374 import export_5374, fiscal_year_days, import_5374

from .factories import CategoryFactory, ClosureFactory, CollectionDistrictFactory, RuleFactory

pytestmark = pytest.mark.django_db
D = datetime.date

DESCRIPTION = "label,sublabel,description,styles,bgcolor\n燃やせるごみ,黄色の袋,,img/burn.svg,#D55E00\n燃やせないごみ,,,,#0072B2\n資源物,,,,\n"
AREA_DAYS = ("地名,センター,燃やせるごみ,燃やせないごみ,資源物\n"
             "永山1条,,月 木,隔火20230404,水2 水4:4 5 6\n"
             "永山2条,,月 木,隔火20230404,水2 水4:4 5 6\n"
             "神楽1条,東部,火 金 *1,火1 火3,20230415 20230520\n")
CENTER = "名称,休止開始日,休止終了日\n東部,2023/12/29,2024/1/4\n"
REMARKS = "ID,注意事項\n1,祝日も収集します\n"
TARGET = "type,name,notice,furigana\n資源物,ペットボトル,キャップは外す,ぺっとぼとる\n燃やせないごみ,電池,,でんち\n"


def write_folder(path, files, encoding="utf-8"):
    path.mkdir(exist_ok=True)
    for name, text in files.items():
        (path / name).write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def folder(tmp_path, encoding="utf-8", **overrides):
    files = {"description.csv": DESCRIPTION, "area_days.csv": AREA_DAYS, "center.csv": CENTER,
             "remarks.csv": REMARKS, "target.csv": TARGET, **overrides}
    return write_folder(tmp_path / "data", {name: text for name, text in files.items() if text is not None}, encoding)


def test_cells():
    rules = parse_cell("月 木", fiscal_year=2023).rules
    assert [(r.kind, r.weekdays) for r in rules] == [("weekly", "03")]
    rules = parse_cell("火1 火3 木2 2金", fiscal_year=2023).rules
    assert sorted((r.kind, r.weekdays, r.weeks) for r in rules) == [("nth", "1", "13"), ("nth", "34", "2")]
    parsed = parse_cell("隔火 20230404 *2", fiscal_year=2023)
    assert (parsed.rules[0].kind, parsed.rules[0].anchor, parsed.remark_ids) == ("biweekly", D(2023, 4, 4), [2])
    rules = parse_cell("火２:４ ６ ８", fiscal_year=2023).rules  # full-width digits
    assert (rules[0].weeks, rules[0].months) == ("2", "4 6 8")
    assert parse_cell("20230415 20240105", fiscal_year=2023).rules[0].dates == ["2023-04-15", "2024-01-05"]
    for bad in ("火6", "金曜", "隔火", "隔火20230405", "20230230", "20220415", "火:13", "火:"):
        with pytest.raises(CellProblem):
            parse_cell(bad, fiscal_year=2023)


def test_import_a_folder(tmp_path):
    result = import_5374(folder(tmp_path), fiscal_year=2023)
    assert (result.areas, result.districts_created, result.categories_created, result.closures, result.items) == (3, 2, 3, 1, 2)
    nagayama = Area.objects.get(name="永山1条").district
    assert Area.objects.get(name="永山2条").district == nagayama  # one pattern, one district
    kagura = Area.objects.get(name="神楽1条").district
    assert kagura.center == "東部"
    days = fiscal_year_days(kagura, 2023)
    assert "燃やせるごみ" not in days.get(D(2023, 12, 29), set())  # the center's closure
    assert days[D(2023, 4, 15)] == {"資源物"}
    assert Rule.objects.filter(district=kagura, category__name="燃やせるごみ").first().remark == "祝日も収集します"
    assert Category.objects.get(name="燃やせるごみ").bag == "黄色の袋"
    assert Item.objects.get(name="電池").category.name == "燃やせないごみ"


def test_import_shift_jis_and_bom(tmp_path):
    import_5374(folder(tmp_path, encoding="cp932"), fiscal_year=2023)
    assert Area.objects.count() == 3
    other = tmp_path / "bom"
    write_folder(other, {"description.csv": "\ufeff" + DESCRIPTION, "area_days.csv": "\ufeff" + AREA_DAYS.replace("永山", "東光").replace(" *1", "").replace("東部", "")})
    import_5374(other, fiscal_year=2023)
    assert Area.objects.filter(name__startswith="東光").count() == 2


def _nothing_imported():
    return not (Area.objects.exists() or Rule.objects.exists() or Category.objects.exists() or Item.objects.exists()
                or Closure.objects.exists())


def test_an_unknown_category_header_is_refused(tmp_path):
    area_days = AREA_DAYS.replace("資源物\n", "謎のごみ\n", 1)
    with pytest.raises(SpreadsheetError) as error:
        import_5374(folder(tmp_path, **{"area_days.csv": area_days}), fiscal_year=2023)
    (problem,) = error.value.errors
    assert (problem.file, problem.row, problem.column) == ("area_days.csv", 1, "謎のごみ")
    assert _nothing_imported()


def test_a_bad_cell_is_refused_with_its_place_and_nothing_is_imported(tmp_path):
    area_days = AREA_DAYS.replace("火 金 *1", "火 金曜")
    with pytest.raises(SpreadsheetError) as error:
        import_5374(folder(tmp_path, **{"area_days.csv": area_days}), fiscal_year=2023)
    (problem,) = error.value.errors
    assert (problem.file, problem.row, problem.column) == ("area_days.csv", 4, "燃やせるごみ")
    assert "金曜" in problem.message and "area_days.csv 4行目 「燃やせるごみ」列" in str(problem)
    assert _nothing_imported()


def test_every_error_is_reported_and_existing_data_is_untouched(tmp_path):
    import_5374(folder(tmp_path), fiscal_year=2023)
    before = (Rule.objects.count(), list(Rule.objects.values_list("pk", flat=True)))
    bad = tmp_path / "bad"
    write_folder(bad, {"description.csv": DESCRIPTION, "area_days.csv": AREA_DAYS.replace("月 木", "月 木 *9", 1),
                       "center.csv": CENTER.replace("2024/1/4", "2024/13/4"),
                       "target.csv": TARGET.replace("資源物,ペット", "不明,ペット")})
    with pytest.raises(SpreadsheetError) as error:
        import_5374(bad, fiscal_year=2023)
    places = {(e.file, e.row, e.column) for e in error.value.errors}
    assert ("area_days.csv", 2, "燃やせるごみ") in places  # remark *9 not in remarks.csv
    assert ("center.csv", 2, "休止終了日") in places
    assert ("target.csv", 2, "type") in places
    assert (Rule.objects.count(), list(Rule.objects.values_list("pk", flat=True))) == before


def test_a_wrong_encoding_is_refused(tmp_path):
    data = write_folder(tmp_path / "utf16", {"description.csv": DESCRIPTION.encode("utf-16"),
                                             "area_days.csv": AREA_DAYS})
    with pytest.raises(SpreadsheetError) as error:
        import_5374(data, fiscal_year=2023)
    (problem,) = [e for e in error.value.errors if e.file == "description.csv"]
    assert problem.row is None and "UTF-8" in problem.message and "Shift_JIS" in problem.message
    assert _nothing_imported()


def test_the_command_prints_the_errors(tmp_path, capsys):
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_5374", str(folder(tmp_path, **{"area_days.csv": AREA_DAYS.replace("月 木", "月 X", 1)})),
                     "--year", "2023")
    assert "area_days.csv 2行目 「燃やせるごみ」列" in capsys.readouterr().err
    assert _nothing_imported()


def _calendar_by_area(fiscal_year):
    return {area.name: fiscal_year_days(area.district, fiscal_year) for area in Area.objects.select_related("district")}


def test_a_round_trip_keeps_every_collection_day(tmp_path):
    """Rules of every kind, with holiday and closure choices the 5374 files cannot say, closures of
    a center and of the whole city, one-off changes: export, wipe, import, same days everywhere."""
    burnable = CategoryFactory(code="burnable", name="燃やせるごみ", colour="#D55E00")
    non_burnable = CategoryFactory(code="non-burnable", name="燃やせないごみ", colour="#0072B2")
    paper = CategoryFactory(code="paper", name="古紙", colour="#E69F00")
    plain = CollectionDistrictFactory(code="1-a", name="1-A")
    east = CollectionDistrictFactory(code="2-b", name="2-B", center="東部")
    Area.objects.create(name="1条通", district=plain)
    Area.objects.create(name="2条通", district=plain)
    Area.objects.create(name="東光1条", district=east)
    ClosureFactory()  # city-wide year end
    ClosureFactory(center="東部", starts=D(2023, 8, 14), ends=D(2023, 8, 15), reason="点検")
    RuleFactory(district=plain, category=burnable, weekdays="03", remark="祝日も収集します")
    RuleFactory(district=plain, category=non_burnable, kind="biweekly", weekdays="", anchor=D(2023, 4, 4),
                on_closure="next_week", on_holiday="skip")
    RuleFactory(district=plain, category=paper, kind="nth", weekdays="2", weeks="24", months="4 6 8 10 12 2")
    RuleFactory(district=east, category=burnable, weekdays="14", on_holiday="next_week")
    RuleFactory(district=east, category=paper, kind="dates", weekdays="", dates=["2023-04-15", "2023-11-18"])
    RuleFactory(district=east, category=non_burnable, kind="nth", weekdays="0", weeks="1", months="5")
    RuleFactory(district=east, category=non_burnable, kind="weekly", weekdays="5", months="7")
    services.calendar_object_save(obj=Change(district=plain, category=burnable, kind="skip", day=D(2023, 5, 8), reason="工事"))
    services.calendar_object_save(obj=Change(district=plain, category=burnable, kind="add", day=D(2023, 5, 6), reason="臨時"))
    services.calendar_object_save(obj=Change(district=east, category=burnable, kind="move", day=D(2023, 6, 2),
                                             new_day=D(2023, 6, 3), reason="行事"))
    services.districts_touch()
    before = _calendar_by_area(2023)
    assert D(2023, 5, 6) in before["1条通"] and D(2023, 5, 8) not in before["1条通"]

    out = tmp_path / "export"
    call_command("export_5374", str(out), "--year", "2023")
    assert {p.name for p in out.iterdir()} == {"area_days.csv", "center.csv", "description.csv", "remarks.csv", "target.csv"}
    assert not (out / "area_days.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    area_days = (out / "area_days.csv").read_text(encoding="utf-8")
    assert "水2 水4" in area_days and "*1" in area_days  # the pattern where it says everything

    for model in (Change, Rule, Closure, Area, Item, CollectionDistrict, Category):
        model.objects.all().delete()
    import_5374(out, fiscal_year=2023)
    after = _calendar_by_area(2023)
    assert after == before
    assert Rule.objects.filter(remark="祝日も収集します").exists()

    again = tmp_path / "again"
    export_5374(again, fiscal_year=2023)
    assert (again / "area_days.csv").read_text(encoding="utf-8") == area_days  # stable
