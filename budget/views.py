"""Public pages of the budget (no sign-in): the year's overview, drill-down by purpose, comparison
across years with the fund balance, the tax calculator and the open data downloads."""
import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from asahikawa import charts, money
from asahikawa.dates import fiscal_year_of
from asahikawa.spreadsheets import csv_response

from . import caching, opendata, selectors
from .calculator import calculate
from .forms import CalculatorForm
from .models import MAX_YEAR, MIN_YEAR, BudgetItem


def _bars(rows, label=lambda row: row.name):
    """A bar per row (its amount), as the city writes amounts (億/万), the exact yen on hover."""
    return charts.labelled_bars(rows, label=label, value=lambda row: row.amount, text=money.oku_man,
                                title=money.yen, sample=lambda row: row.is_sample)


def _page(request, body_template, context, title, has_sample, **extra):
    """The page around a body rendered once per budget version and language (budget/caching.py)."""
    return {"html": render_to_string(body_template, context), "title": title, "has_sample": has_sample, **extra}


def _show(request, page, nav="overview"):
    return render(request, "budget/cached_page.html",
                  {"page": page, "has_sample": page["has_sample"], "year": page.get("year"), "nav": nav})


@require_GET
def overview(request, year=None):
    if year is None:
        year = caching.cached("front", fiscal_year_of(timezone.localdate()), compute=lambda: selectors.front_year() or 0)
        if not year:
            return render(request, "budget/empty.html")
    return _show(request, caching.cached("overview", year, compute=lambda: _overview(year)))


def _overview(year):
    totals = selectors.year_totals(year)
    sections = []
    lines_by_breakdown = selectors.top_items_by_breakdown(year)
    for breakdown in BudgetItem.Breakdown:
        lines = lines_by_breakdown.get(breakdown.value, [])
        sections.append({
            "breakdown": breakdown.value, "title": breakdown.label, "lines": lines, "bars": _bars(lines),
            "total": sum(line.amount for line in lines), "is_sample": selectors.items_have_sample(lines),
        })
    context = {"totals": totals, "sections": sections, "years": selectors.budget_years(), "year": year,
               "account_bars": _bars(totals.accounts)}
    has_sample = totals.has_sample or any(section["is_sample"] for section in sections)
    return _page(None, "budget/overview_body.html", context, _("%(label)sの予算") % {"label": totals.label}, has_sample,
                 year=year)


@require_GET
def purpose_detail(request, year, code):
    page = caching.cached("purpose", year, code, compute=lambda: _purpose_detail(year, code))
    if page.get("redirect"):
        return redirect("budget:purpose_detail", year=year, code=page["redirect"])
    return _show(request, page)


def _purpose_detail(year, code):
    kan = selectors.item(year, BudgetItem.Breakdown.PURPOSE, code)
    if kan.parent_id is not None:
        return {"redirect": kan.parent.code}
    children = list(selectors.items(year, BudgetItem.Breakdown.PURPOSE, parent_code=code))
    totals = selectors.year_totals(year)
    is_sample = kan.is_sample or selectors.items_have_sample(children)
    context = {"kan": kan, "children": children, "bars": _bars(children), "totals": totals, "year": year,
               "is_sample": is_sample}
    return _page(None, "budget/purpose_detail_body.html", context, f"{kan.name} - {totals.label}", is_sample, year=year)


@require_GET
def years(request):
    all_years = selectors.years_totals()
    funds = list(selectors.fund_balances())
    year_bars = charts.labelled_bars(
        reversed(all_years), label=lambda totals: totals.label, values=lambda totals: [totals.general, totals.special],
        series=[_("一般会計"), _("特別会計")], text=money.oku_man, title=money.yen, sample=lambda totals: totals.is_sample,
    )
    return render(request, "budget/years.html", {
        "years": list(reversed(all_years)), "year_bars": year_bars, "funds": funds,
        "fund_bars": _bars(funds, label=lambda fund: fund.label), "fund_is_sample": any(f.is_sample for f in funds),
        "has_sample": any(t.is_sample for t in all_years) or any(f.is_sample for f in funds),
        "nav": "years",
    })


@require_GET
def calculator(request):
    years = selectors.budget_years()
    form = CalculatorForm(request.GET or None, years=years, initial_year=selectors.front_year())
    result = None
    status = 200
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
            amount = data["amount"]
            result = calculate(year=data["year"], tax=amount if data["mode"] == "tax" else None,
                               income=amount if data["mode"] == "income" else None, dependants=form.dependants_count)
            if result is None:
                form.add_error("year", _("この年度は目的別の内訳がないため計算できません。"))
                status = 400
        else:
            status = 400
    return render(request, "budget/calculator.html", {"form": form, "result": result, "nav": "calculator",
                                                      "has_sample": bool(result and result.is_sample)}, status=status)


@require_GET
def data_index(request):
    return render(request, "budget/data.html", {
        "datasets": opendata.DATASETS.values(), "license": opendata.LICENSE, "license_url": opendata.LICENSE_URL,
        "attribution": opendata.ATTRIBUTION, "nav": "data",
    })


def _year_param(request):
    value = request.GET.get("year")
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise Http404("bad year")
    return int(value)


@require_GET
def data_download(request, slug, fmt):
    if fmt not in opendata.FORMATS or (slug not in opendata.DATASETS and slug != "dictionary"):
        raise Http404("no such dataset")
    year = _year_param(request)
    if slug == "dictionary":
        columns = ["dataset", "column", "meaning", "unit"]
        rows = opendata.dictionary_rows()
        title, dictionary = _("データ辞書"), None
    else:
        dataset = opendata.DATASETS[slug]
        columns = [column.name for column in dataset.columns]
        rows = opendata.rows(slug, year=year)
        title = str(dataset.title)
        dictionary = [{"column": c.name, "meaning": str(c.meaning), "unit": str(c.unit)} for c in dataset.columns]
    filename = f"asahikawa-budget-{slug}{'-' + str(year) if year else ''}.{fmt}"
    if fmt == "csv":
        response = csv_response(filename, columns, rows)
    else:
        body = {
            "dataset": slug, "title": title, "license": opendata.LICENSE, "license_url": opendata.LICENSE_URL,
            "attribution": str(opendata.ATTRIBUTION), "year": year, "columns": dictionary or columns, "records": list(rows),
        }
        response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{opendata.LICENSE_URL}>; rel="license"'
    return response
