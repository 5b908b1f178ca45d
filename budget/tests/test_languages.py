"""Japanese and English: the pages read naturally in each language, while the open data and the
API values stay the same whatever the request language (machine-readable data is stable)."""
import csv
import io
import json
import re

import pytest

from budget.opendata import DATASETS

pytestmark = pytest.mark.django_db

FULL_WIDTH_BRACKETS = re.compile(r"[（）]")


def get(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def csv_bytes(client, url, language):
    return b"".join(get(client, url, language).streaming_content)


def test_the_overview_in_english(client):
    html = get(client, "/budget/", "en").content.decode()
    assert "FY2023 (Reiwa 5)" in html and "FY2022 (Reiwa 4)" in html  # heading and year switch
    assert "Fiscal year" not in html.split("<main", 1)[1].split("</nav>", 1)[0]
    assert "2023Fiscal year" not in html
    assert "¥292.96 billion" in html and "+¥7.03 billion" in html and "¥169.27 billion" in html
    assert 'title="292,957,130,000 yen"' in html  # the exact yen on hover
    assert "hundred million" not in html and "ten thousand" not in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r'<p class="small source">.*?</p>', "", main)  # the source's own title, in Japanese
    assert "(account name is a sample)" in html and "（" not in main


def test_the_overview_in_japanese_is_unchanged(client):
    html = get(client, "/budget/", "ja").content.decode()
    assert "2023年度（令和5年度）" in html and "2022年度（令和4年度）" in html
    assert "2,929億5,713万円" in html and "+70億3,401万円" in html
    assert "（会計名はサンプル）" in html


def test_the_drill_down_in_english_has_ascii_brackets(client):
    html = get(client, "/budget/2023/purpose/03/", "en").content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r'<p class="small source">.*?</p>', "", main)  # the source's own title, in Japanese
    assert "¥76 billion</data> (76,000,000,000 yen)" in main
    assert "(sample)" in main and not FULL_WIDTH_BRACKETS.search(main)
    japanese = get(client, "/budget/2023/purpose/03/", "ja").content.decode()
    assert "760億円</data>（76,000,000,000円）" in japanese


def test_the_years_page_and_the_calculator_name_years_in_english(client):
    html = get(client, "/budget/years/", "en").content.decode()
    assert "FY2023 (Reiwa 5)" in html and "FY2019 (Reiwa 1)" in html and "FY2018 (Heisei 30)" in html
    assert "2023Fiscal year" not in html
    html = get(client, "/budget/calculator/?mode=tax&amount=120000&year=2023", "en").content.decode()
    assert "Result for FY2023 (Reiwa 5)" in html


@pytest.mark.parametrize("slug", [*DATASETS, "dictionary"])
def test_the_open_data_csv_is_the_same_in_every_language(client, slug):
    japanese = csv_bytes(client, f"/budget/data/{slug}.csv", "ja")
    english = csv_bytes(client, f"/budget/data/{slug}.csv", "en")
    if slug == "dictionary":
        # The data dictionary is documentation: its meanings are translated, its columns are not.
        assert japanese.splitlines()[0] == english.splitlines()[0]
        assert [row[:2] for row in csv.reader(io.StringIO(japanese.decode()))] == \
               [row[:2] for row in csv.reader(io.StringIO(english.decode()))]
    else:
        assert japanese == english


@pytest.mark.parametrize("slug", list(DATASETS))
def test_the_open_data_json_records_are_the_same_in_every_language(client, slug):
    japanese = json.loads(get(client, f"/budget/data/{slug}.json", "ja").content)
    english = json.loads(get(client, f"/budget/data/{slug}.json", "en").content)
    assert japanese["records"] == english["records"]


def test_era_and_level_are_written_as_the_city_does(client):
    rows = list(csv.DictReader(io.StringIO(csv_bytes(client, "/budget/data/purpose.csv?year=2023", "en").decode("utf-8-sig"))))
    assert {row["era"] for row in rows} == {"令和5年度"}
    assert {row["level"] for row in rows if not row["parent_code"]} == {"款"}
    assert {row["level"] for row in rows if row["parent_code"]} == {"項"}
    nature = list(csv.DictReader(io.StringIO(csv_bytes(client, "/budget/data/nature.csv?year=2023", "en").decode("utf-8-sig"))))
    assert {row["level"] for row in nature if not row["parent_code"]} == {"区分"}
    fund = list(csv.DictReader(io.StringIO(csv_bytes(client, "/budget/data/fund.csv?year=2019", "en").decode("utf-8-sig"))))
    assert fund[0]["era"] == "令和元年度"


def test_the_data_dictionary_says_the_values_do_not_change_with_the_language(client):
    for language, phrase in (("ja", "ページの言語によらず"), ("en", "whatever the language of the page")):
        rows = list(csv.DictReader(io.StringIO(csv_bytes(client, "/budget/data/dictionary.csv", language).decode("utf-8-sig"))))
        meanings = {row["column"]: row["meaning"] for row in rows if row["dataset"] == "purpose"}
        assert phrase in meanings["era"] and phrase in meanings["level"] and "令和5年度" in meanings["era"]


def test_the_api_values_are_the_same_in_every_language(client):
    japanese = get(client, "/api/v1/budget/years/2023/", "ja").json()
    english = get(client, "/api/v1/budget/years/2023/", "en").json()
    assert japanese == english
    assert english["era"] == "令和5年度" and english["total_display"] == "2,929億5,713万円"


def test_the_api_schema_documents_the_budget_fields_in_english(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for name in ("YearTotals", "YearDetail", "AccountRow", "CalculatorResult", "Slice"):
        for field, spec in schema["components"]["schemas"][name]["properties"].items():
            description = spec.get("description", "")
            # English, with the city's Japanese only as quoted examples.
            assert not re.search(r"[\u3040-\u30ff]", re.sub(r"e\.g\. [^;)]*", "", description)), (name, field, description)
    assert "Fiscal year, as the calendar year it starts in" in json.dumps(schema)
