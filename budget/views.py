"""Public pages of the budget (no sign-in): the year's overview, drill-down by purpose, comparison
across years with the fund balance, the tax calculator and the open data downloads."""
import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from asahikawa import charts, money
from asahikawa.spreadsheets import csv_response

from . import opendata, selectors
from .calculator import calculate
from .forms import CalculatorForm
from .models import MAX_YEAR, MIN_YEAR, BudgetItem


def _bars(rows, label=lambda row: row.name):
    """A bar per row (its amount), as the city writes amounts (億/万), the exact yen on hover."""
    return charts.labelled_bars(rows, label=label, value=lambda row: row.amount, text=money.oku_man,
                                title=money.yen, sample=lambda row: row.is_sample)


@require_GET
def overview(request, year=None):
    if year is None:
        year = selectors.latest_year()
        if year is None:
            return render(request, "budget/empty.html")
    totals = selectors.year_totals(year)
    sections = []
    for breakdown in BudgetItem.Breakdown:
        lines = list(selectors.items(year, breakdown.value))
        sections.append({
            "breakdown": breakdown.value, "title": breakdown.label, "lines": lines, "bars": _bars(lines),
            "total": sum(line.amount for line in lines), "is_sample": selectors.items_have_sample(lines),
        })
    years = selectors.budget_years()
    return render(request, "budget/overview.html", {
        "totals": totals, "sections": sections, "years": years, "year": year,
        "account_bars": _bars(totals.accounts),
        "nav": "overview",
    })


@require_GET
def purpose_detail(request, year, code):
    kan = selectors.item(year, BudgetItem.Breakdown.PURPOSE, code)
    if kan.parent_id is not None:
        return redirect("budget:purpose_detail", year=year, code=kan.parent.code)
    children = list(selectors.items(year, BudgetItem.Breakdown.PURPOSE, parent_code=code))
    totals = selectors.year_totals(year)
    return render(request, "budget/purpose_detail.html", {
        "kan": kan, "children": children, "bars": _bars(children), "totals": totals, "year": year,
        "is_sample": kan.is_sample or selectors.items_have_sample(children), "nav": "overview",
    })


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
        "nav": "years",
    })


@require_GET
def calculator(request):
    years = selectors.budget_years()
    form = CalculatorForm(request.GET or None, years=years)
    result = None
    status = 200
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
            amount = data["amount"]
            result = calculate(year=data["year"], tax=amount if data["mode"] == "tax" else None,
                               income=amount if data["mode"] == "income" else None)
            if result is None:
                form.add_error("year", _("この年度は目的別の内訳がないため計算できません。"))
                status = 400
        else:
            status = 400
    return render(request, "budget/calculator.html", {"form": form, "result": result, "nav": "calculator"}, status=status)


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
