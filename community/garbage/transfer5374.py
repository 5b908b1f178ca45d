"""Importing and exporting a 5374 data folder (see format5374 for a cell's syntax).

Import (`import_5374`, `manage.py import_5374 DIR --year 2023`): every file is read and checked
first, through asahikawa.spreadsheets.read_table (UTF-8 with or without BOM, or Shift_JIS); any
error (a file, a header, a cell) is reported with the file, row and column, and nothing is written.
Then, in one transaction: categories by label (new ones created, existing ones updated), areas
(an area already known keeps its district; new areas with the same pattern share a new district),
the fiscal year's rules of the districts in the file replaced, the closures of the file's centers in
that year replaced, and the items replaced when target.csv is there.

The 5374 files cannot say how a rule treats national holidays and closures: the import gives every
rule the command's --on-holiday (default: collect, as the 5374 app does) and --on-closure (default:
skip). Explicit dates are taken as they are.

Export (`export_5374`, `manage.py export_5374 DIR --year 2023`) writes the same five files in UTF-8
(no BOM: they are read by the 5374 app, not by a spreadsheet). A cell is written as the rules'
pattern when reading it back (with the default options) gives exactly the computed days; when the
district has one-off changes, skip/move-by-a-week choices, or anything else the pattern cannot say,
the missing days are added as explicit dates, or the cell lists every day. So a round trip keeps
every collection day. City-wide closures are written under the center CITYWIDE_CENTER.
"""
from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from asahikawa.dates import fiscal_year_bounds, fiscal_year_of
from asahikawa.spreadsheets import CellError, SpreadsheetError, read_table, require_columns

from . import schedule
from .format5374 import CellProblem, cell_text, parse_cell, parse_closure_date
from .models import (
    Area,
    Category,
    Closure,
    CollectionDistrict,
    Item,
    OnClosure,
    OnHoliday,
    Rule,
    RuleKind,
    Shape,
    validate_colour,
)
from .services import districts_touch, item_search_key

CITYWIDE_CENTER = "全域"
# Okabe-Ito: colours that stay apart for the common kinds of colour blindness (each category also
# has its letter and shape).
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
SHAPES = [Shape.CIRCLE, Shape.SQUARE, Shape.DIAMOND, Shape.TRIANGLE, Shape.HEXAGON]


@dataclass
class ImportResult:
    fiscal_year: int
    areas: int = 0
    districts_created: int = 0
    rules: int = 0
    categories_created: int = 0
    closures: int = 0
    items: int = 0


@dataclass
class _Row:
    line: int
    area: str
    center: str
    cells: tuple
    parsed: list = field(default_factory=list)  # (category label, ParsedCell)


def _read(directory: Path, name: str, errors: list, *, required: bool):
    path = directory / name
    if not path.is_file():
        if required:
            errors.append(CellError(name, None, "", _("ファイルがありません。")))
        return None
    try:
        return read_table(path, name=name)
    except SpreadsheetError as exc:
        errors.extend(exc.errors)
        return None


def _records(frame):
    """(line in the file, row as a list of cells) for each row; the header is line 1."""
    for index, values in enumerate(frame.itertuples(index=False, name=None)):
        yield index + 2, [str(value) for value in values]


def import_5374(directory, *, fiscal_year: int, on_holiday: str = OnHoliday.COLLECT,
                on_closure: str = OnClosure.SKIP, is_sample: bool = False) -> ImportResult:
    directory = Path(directory)
    errors: list[CellError] = []
    if not directory.is_dir():
        raise SpreadsheetError([CellError(str(directory), None, "", _("フォルダがありません。"))])
    description = _read(directory, "description.csv", errors, required=True)
    area_days = _read(directory, "area_days.csv", errors, required=True)
    center = _read(directory, "center.csv", errors, required=False)
    remarks = _read(directory, "remarks.csv", errors, required=False)
    target = _read(directory, "target.csv", errors, required=False)
    start, end = fiscal_year_bounds(fiscal_year)

    # description.csv: the categories, by label.
    labels: dict[str, dict] = {}
    if description is not None:
        try:
            require_columns(description, ["label"], file="description.csv")
        except SpreadsheetError as exc:
            errors.extend(exc.errors)
        else:
            for line, _cells in _records(description):
                row = description.iloc[line - 2]
                label = row["label"]
                if not label:
                    errors.append(CellError("description.csv", line, "label", _("分別名が空です。")))
                    continue
                if label.lower() in labels:
                    errors.append(CellError("description.csv", line, "label", _("同じ分別名が2回あります。")))
                    continue
                colour = row.get("bgcolor", "")
                if colour:
                    try:
                        validate_colour(colour)
                    except Exception:
                        errors.append(CellError("description.csv", line, "bgcolor", _("色は #RRGGBB の形で書いてください。")))
                labels[label.lower()] = {
                    "name": label, "bag": row.get("sublabel", ""), "instructions": row.get("description", ""),
                    "icon": row.get("styles", ""), "colour": colour, "position": line - 2,
                }

    # remarks.csv: ID -> text.
    remark_texts: dict[int, str] = {}
    if remarks is not None:
        if len(remarks.columns) < 2:
            errors.append(CellError("remarks.csv", 1, "", _("列は「ID,注意事項」の2列にしてください。")))
        else:
            for line, cells in _records(remarks):
                if not cells[0].isdigit():
                    errors.append(CellError("remarks.csv", line, remarks.columns[0], _("IDは数字にしてください。")))
                    continue
                remark_texts[int(cells[0])] = cells[1]

    # center.csv: 名称,休止開始日,休止終了日.
    closures: list[Closure] = []
    centers: set[str] = set()
    if center is not None:
        if len(center.columns) < 3:
            errors.append(CellError("center.csv", 1, "", _("列は「名称,休止開始日,休止終了日」の3列にしてください。")))
        else:
            columns = list(center.columns)
            for line, cells in _records(center):
                name = cells[0]
                if not name:
                    errors.append(CellError("center.csv", line, columns[0], _("名称が空です。")))
                    continue
                centers.add(name)
                try:
                    starts = parse_closure_date(cells[1])
                    ends = parse_closure_date(cells[2])
                except CellProblem as exc:
                    errors.append(CellError("center.csv", line, columns[1] if not _is_date(cells[1]) else columns[2], str(exc)))
                    continue
                if ends < starts:
                    errors.append(CellError("center.csv", line, columns[2], _("休止終了日が開始日より前です。")))
                elif not (start <= starts <= end):
                    errors.append(CellError("center.csv", line, columns[1],
                                            _("休止開始日が%(year)s年度（4月〜翌年3月）の外です。") % {"year": fiscal_year}))
                else:
                    closures.append(Closure(center=name, starts=starts, ends=ends, fiscal_year=fiscal_year_of(starts),
                                            reason=_("収集センターの休止期間"), is_sample=is_sample))

    # area_days.csv: one row per area.
    rows: list[_Row] = []
    category_columns: list[str] = []
    if area_days is not None:
        columns = list(area_days.columns)
        if len(columns) < 3:
            errors.append(CellError("area_days.csv", 1, "", _("列は「地名,センター,分別…」の3列以上にしてください。")))
        else:
            category_columns = columns[2:]
            for header in category_columns:
                if header.startswith("unnamed:"):
                    errors.append(CellError("area_days.csv", 1, header, _("分別の見出しが空です。")))
                elif description is not None and header not in labels:
                    errors.append(CellError("area_days.csv", 1, header,
                                            _("この分別は description.csv の label にありません。")))
            seen: dict[str, int] = {}
            for line, cells in _records(area_days):
                area, center_name = cells[0], cells[1]
                if not area:
                    errors.append(CellError("area_days.csv", line, columns[0], _("地名が空です。")))
                    continue
                if area in seen:
                    errors.append(CellError("area_days.csv", line, columns[0],
                                            _("同じ地名が%(line)s行目にもあります。") % {"line": seen[area]}))
                    continue
                seen[area] = line
                if center_name and center is not None and center_name not in centers:
                    errors.append(CellError("area_days.csv", line, columns[1], _("このセンターは center.csv にありません。")))
                row = _Row(line, area, center_name, tuple(cells[2:]))
                for header, text in zip(category_columns, cells[2:], strict=False):
                    try:
                        parsed = parse_cell(text, fiscal_year=fiscal_year, on_holiday=on_holiday, on_closure=on_closure)
                    except CellProblem as exc:
                        errors.append(CellError("area_days.csv", line, header, str(exc)))
                        continue
                    for remark_id in parsed.remark_ids:
                        if remark_id not in remark_texts:
                            errors.append(CellError("area_days.csv", line, header,
                                                    _("注意事項 *%(id)s は remarks.csv にありません。") % {"id": remark_id}))
                    row.parsed.append((header, parsed))
                rows.append(row)

    # target.csv: the items.
    items: list[dict] = []
    if target is not None:
        try:
            require_columns(target, ["type", "name"], file="target.csv")
        except SpreadsheetError as exc:
            errors.extend(exc.errors)
        else:
            for line, _cells in _records(target):
                row = target.iloc[line - 2]
                if row["type"].lower() not in labels:
                    if description is not None:
                        errors.append(CellError("target.csv", line, "type", _("この分別は description.csv の label にありません。")))
                    continue
                if not row["name"]:
                    errors.append(CellError("target.csv", line, "name", _("品目名が空です。")))
                    continue
                items.append({"label": row["type"].lower(), "name": row["name"], "notice": row.get("notice", ""),
                              "furigana": row.get("furigana", ""), "position": line - 2})

    # Districts: a known area keeps its district; rows of one district must say the same.
    known = {area.name: area for area in Area.objects.select_related("district").filter(name__in=[r.area for r in rows])}
    signature_of: dict[int, tuple] = {}
    for row in rows:
        if area := known.get(row.area):
            signature = (row.center, row.cells)
            previous = signature_of.setdefault(area.district_id, signature)
            if previous != signature:
                errors.append(CellError("area_days.csv", row.line, area_days.columns[0] if area_days is not None else "",
                                        _("「%(area)s」は収集地区「%(district)s」の地名ですが、同じ地区の他の地名と収集日が違います。")
                                        % {"area": row.area, "district": area.district.name}))
    if errors:
        raise SpreadsheetError(errors)
    return _write(fiscal_year=fiscal_year, labels=labels, rows=rows, known=known, closures=closures,
                  centers=centers, remark_texts=remark_texts, items=items if target is not None else None,
                  is_sample=is_sample)


def _is_date(text):
    try:
        parse_closure_date(text)
        return True
    except CellProblem:
        return False


@transaction.atomic
def _write(*, fiscal_year, labels, rows, known, closures, centers, remark_texts, items, is_sample) -> ImportResult:
    result = ImportResult(fiscal_year=fiscal_year)
    # Categories.
    existing = {category.name.lower(): category for category in Category.objects.all()}
    used_letters = {category.letter for category in existing.values()}
    codes = set(Category.objects.values_list("code", flat=True))
    categories: dict[str, Category] = {}
    for key, spec in labels.items():
        category = existing.get(key)
        if category is None:
            number = len(existing) + result.categories_created
            code = _free(f"c{number + 1}", codes)
            letter = next((char for char in spec["name"] if char not in used_letters and not char.isspace()), spec["name"][0])
            used_letters.add(letter)
            category = Category(code=code, name=spec["name"], letter=letter, shape=SHAPES[number % len(SHAPES)],
                                colour=spec["colour"] or PALETTE[number % len(PALETTE)], is_sample=is_sample)
            result.categories_created += 1
        category.bag, category.instructions, category.icon = spec["bag"], spec["instructions"], spec["icon"]
        category.position = spec["position"]
        if spec["colour"]:
            category.colour = spec["colour"]
        category.save()
        categories[key] = category

    # Districts and areas.
    district_codes = set(CollectionDistrict.objects.values_list("code", flat=True))
    by_signature: dict[tuple, CollectionDistrict] = {}
    for row in rows:
        if area := known.get(row.area):
            by_signature.setdefault((row.center, row.cells), area.district)
    row_district: dict[str, CollectionDistrict] = {}
    new_districts, moved = [], {}
    for row in rows:
        signature = (row.center, row.cells)
        district = known[row.area].district if row.area in known else by_signature.get(signature)
        if district is None:
            code = _free(f"p-{len(district_codes) + 1:03d}", district_codes)
            district = CollectionDistrict(code=code, name=row.area[:64], center=row.center, is_sample=is_sample)
            new_districts.append(district)
            by_signature[signature] = district
        elif district.center != row.center:
            district.center = row.center
            moved[district.pk] = district
        row_district[row.area] = district
    CollectionDistrict.objects.bulk_create(new_districts, batch_size=1000)
    CollectionDistrict.objects.bulk_update(list(moved.values()), ["center"], batch_size=1000)
    result.districts_created = len(new_districts)
    position = Area.objects.count()
    new_areas = []
    for row in rows:
        if row.area not in known:
            position += 1
            new_areas.append(Area(name=row.area, district=row_district[row.area], position=position, is_sample=is_sample))
    Area.objects.bulk_create(new_areas, batch_size=1000)
    result.areas = len(rows)

    # Rules of the fiscal year, replaced for the districts in the file.
    district_ids = {district.pk for district in row_district.values()}
    Rule.objects.filter(fiscal_year=fiscal_year, district_id__in=district_ids).delete()
    new_rules = []
    done = set()
    for row in rows:
        district = row_district[row.area]
        if district.pk in done:
            continue
        done.add(district.pk)
        for label, parsed in row.parsed:
            remark = " ".join(remark_texts[number] for number in parsed.remark_ids)[:300]
            for rule in parsed.rules:
                rule.district, rule.category, rule.remark = district, categories[label], remark
                new_rules.append(rule)
    Rule.objects.bulk_create(new_rules, batch_size=1000)
    result.rules = len(new_rules)

    # Closures of the file's centers in that year.
    Closure.objects.filter(fiscal_year=fiscal_year, center__in=centers).delete()
    Closure.objects.bulk_create(closures)
    result.closures = len(closures)

    # Items.
    if items is not None:
        Item.objects.all().delete()
        Item.objects.bulk_create([
            Item(name=item["name"], furigana=item["furigana"], notice=item["notice"], category=categories[item["label"]],
                 position=item["position"], search_key=item_search_key(item["name"], item["furigana"]), is_sample=is_sample)
            for item in items
        ], batch_size=1000)
        result.items = len(items)
    districts_touch()
    return result


def _free(code: str, taken: set) -> str:
    base, number = code, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    taken.add(code)
    return code


# --- export --------------------------------------------------------------------------------------

def _cell_for(*, rules, actual: set, closures, fiscal_year: int, category_id: int, remark_ids) -> str:
    """The shortest faithful cell: the pattern, the pattern plus explicit dates, or every date."""

    def reads_back(text):
        parsed = parse_cell(text, fiscal_year=fiscal_year)
        for rule in parsed.rules:
            rule.category_id = category_id
        days = schedule.compute(rules=parsed.rules, closures=closures, changes=[], fiscal_year=fiscal_year)
        return {c.day for c in days if c.collected}

    pattern = [rule for rule in rules if rule.kind != RuleKind.DATES]
    explicit = {day for rule in rules if rule.kind == RuleKind.DATES for day in rule.date_list()}
    months = {rule.months.strip() for rule in pattern}
    if len(months) <= 1:
        month_text = " ".join(str(m) for m in sorted(pattern[0].month_set())) if pattern else ""
        text = cell_text(pattern_rules=pattern, months=month_text, extra_dates=explicit, remark_ids=remark_ids)
        simulated = reads_back(text)
        if simulated == actual:
            return text
        if simulated < actual:
            text = cell_text(pattern_rules=pattern, months=month_text, extra_dates=explicit | (actual - simulated),
                             remark_ids=remark_ids)
            if reads_back(text) == actual:
                return text
    return cell_text(pattern_rules=[], extra_dates=actual, remark_ids=remark_ids)


def export_5374(directory, *, fiscal_year: int) -> dict:
    """Write the fiscal year's calendar as a 5374 data folder. Returns counts of what was written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    categories = list(Category.objects.all())
    districts = list(CollectionDistrict.objects.prefetch_related("areas").order_by("code"))
    rules: dict[tuple, list] = {}
    for rule in Rule.objects.filter(fiscal_year=fiscal_year).order_by("position", "pk"):
        rules.setdefault((rule.district_id, rule.category_id), []).append(rule)
    year_closures = list(Closure.objects.filter(fiscal_year=fiscal_year).order_by("starts"))
    citywide = [closure for closure in year_closures if not closure.center]
    years = schedule.years_for(districts, fiscal_year)

    remark_numbers: dict[str, int] = {}
    area_rows = []
    centers_used: set[str] = set()
    for district in districts:
        center = district.center or (CITYWIDE_CENTER if citywide else "")
        if center:
            centers_used.add(center)
        applying = [closure for closure in year_closures if closure.center in ("", district.center)]
        cells = []
        for category in categories:
            own = rules.get((district.pk, category.pk), [])
            remark_ids = []
            for text in dict.fromkeys(rule.remark for rule in own if rule.remark):
                remark_ids.append(remark_numbers.setdefault(text, len(remark_numbers) + 1))
            actual = {c.day for c in years[district.pk] if c.collected and c.category_id == category.pk}
            if not actual and not own:
                cells.append(" ".join(f"*{number}" for number in remark_ids))
                continue
            cells.append(_cell_for(rules=own, actual=actual, closures=applying, fiscal_year=fiscal_year,
                                   category_id=category.pk, remark_ids=remark_ids))
        names = [area.name for area in district.areas.all()] or [district.name]
        area_rows.extend([name, center, *cells] for name in names)

    # Each center's closures and the city-wide ones (5374 has one center per area).
    center_rows = list(dict.fromkeys(
        (name, f"{closure.starts:%Y/%m/%d}", f"{closure.ends:%Y/%m/%d}")
        for name in sorted(centers_used) for closure in year_closures if closure.center in ("", name)
    ))
    with_rows = {row[0] for row in center_rows}
    for row in area_rows:  # a center without any closure would not be found in center.csv
        if row[1] not in with_rows:
            row[1] = ""

    _write_csv(directory / "area_days.csv", ["地名", "センター", *[c.name for c in categories]], area_rows)
    _write_csv(directory / "center.csv", ["名称", "休止開始日", "休止終了日"], center_rows)
    _write_csv(directory / "description.csv", ["label", "sublabel", "description", "styles", "bgcolor"],
               [[c.name, c.bag, c.instructions, c.icon, c.colour] for c in categories])
    _write_csv(directory / "remarks.csv", ["ID", "注意事項"], [[number, text] for text, number in remark_numbers.items()])
    items = Item.objects.select_related("category").order_by("position", "pk")
    _write_csv(directory / "target.csv", ["type", "name", "notice", "furigana"],
               [[item.category.name, item.name, item.notice, item.furigana] for item in items])
    return {"areas": len(area_rows), "categories": len(categories), "closures": len(center_rows),
            "remarks": len(remark_numbers), "items": items.count()}


def _write_csv(path: Path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def fiscal_year_days(district, fiscal_year: int) -> dict[datetime.date, set]:
    """day -> category names collected, for tests and checks of a round trip."""
    names = dict(Category.objects.values_list("pk", "name"))
    days: dict[datetime.date, set] = {}
    for collection in schedule.year(district, fiscal_year):
        if collection.collected:
            days.setdefault(collection.day, set()).add(names[collection.category_id])
    return days
