"""The one chart module and its template: what is drawn, and the data table that goes with it."""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from asahikawa import charts

DAYS = [datetime.date(2023, 6, 1) + datetime.timedelta(days=n) for n in range(4)]


@dataclass
class Line:
    name: str
    amount: int
    is_sample: bool = False


def test_labelled_bars_are_thousandths_of_the_longest_and_stack_in_order():
    chart = charts.labelled_bars(
        [Line("A", 0), Line("B", 0)], label=lambda line: line.name, values=lambda line: [300, 100] if line.name == "A" else [100, 100],
        series=["一般", "特別"], text=lambda total: f"{total}円",
    )
    a, b = chart.rows
    assert a.segments == [("series-1", 0, 750, "一般 300円"), ("series-2", 750, 250, "特別 100円")]
    assert b.segments == [("series-1", 0, 250, "一般 100円"), ("series-2", 250, 250, "特別 100円")]
    assert (a.text, b.text) == ("400円", "200円")
    assert chart.series == [("series-1", "一般"), ("series-2", "特別")]
    assert chart.table_rows == [("A", ["300円", "100円"]), ("B", ["100円", "100円"])]


def test_a_single_bar_is_named_by_its_label_and_samples_are_marked():
    chart = charts.labelled_bars([Line("民生費", 760), Line("土木費", 380, is_sample=True)], label=lambda line: line.name,
                                 value=lambda line: line.amount, sample=lambda line: line.is_sample)
    assert [row.segments for row in chart.rows] == [[("series-1", 0, 1000, "民生費 760")], [("series-1", 0, 500, "土木費 380")]]
    assert [row.sample for row in chart.rows] == [False, True] and chart.has_sample
    assert chart.table_columns == [] and chart.table_rows == [("民生費", ["760"]), ("土木費", ["380"])]


def test_nothing_to_draw_is_an_empty_chart():
    assert charts.labelled_bars([], label=str, value=int).empty
    assert charts.bar_chart(DAYS, [None] * 4).empty
    assert charts.line_chart(DAYS, {"体重": [None] * 4}).empty


def test_day_charts_keep_one_table_row_per_day_with_a_value():
    bars = charts.bar_chart(DAYS, [1200, None, 800, 0], name="歩数")
    assert len(bars.bars) == 3 and bars.bars[0][3] > bars.bars[1][3]  # 1,200 is taller than 800
    assert bars.table_rows == [("2023-06-01", ["1,200"]), ("2023-06-03", ["800"]), ("2023-06-04", ["0"])]
    lines = charts.line_chart(DAYS, {"最高": [120, None, 130, None], "最低": [80, None, 85, None]})
    assert [css for css, _points, _dots in lines.lines] == ["series-1", "series-2"]
    assert lines.table_columns == ["最高", "最低"]
    assert lines.table_rows == [("2023-06-01", ["120", "80"]), ("2023-06-03", ["130", "85"])]


def render(**context):
    return render_to_string("includes/chart.html", context)


def test_the_template_adds_a_data_table_unless_the_page_has_one():
    chart = charts.line_chart(DAYS, {"体重（kg）": [Decimal("60.5"), None, Decimal("61.0"), None]})
    html = render(chart=chart, id="w", caption="体重")
    assert 'role="img" aria-labelledby="w-caption w-desc"' in html
    assert "<details" in html and "<caption>体重</caption>" in html
    assert '<th scope="row">2023-06-01</th><td class="num">60.5</td>' in html
    on_page = render(chart=chart, id="w", caption="体重", table_on_page=True)
    assert "<table" not in on_page and "同じ値は下の表でも確認できます。" in on_page


def test_the_template_draws_labelled_bars_with_their_legend_and_sample_note():
    chart = charts.labelled_bars([Line("2023年度", 0, is_sample=True)], label=lambda line: line.name,
                                 values=lambda line: [3, 1], series=["一般会計", "特別会計"], sample=lambda line: line.is_sample)
    html = render(chart=chart, caption="総額", table_on_page=True)
    assert '<rect class="series-1" x="0" width="750" height="10"><title>一般会計 3</title></rect>' in html
    assert '<rect class="series-2" x="750" width="250" height="10">' in html
    assert html.count('class="swatch"') == 2 and "＊ サンプル（デモ用の架空データ）" in html
    assert 'aria-label="総額のグラフ。同じ値は下の表でも確認できます。"' in html
    assert 'style="' not in html  # CSP: no inline style


def test_an_empty_chart_says_so_in_the_words_given():
    html = render(chart=charts.bar_chart(DAYS, [None] * 4), id="s", caption="歩数", empty="この期間の記録はありません。")
    assert "この期間の記録はありません。" in html and "<svg" not in html and "<table" not in html
    assert "グラフにする値がありません。" in render(chart=charts.bar_chart(DAYS, [None] * 4), id="s", caption="歩数")
