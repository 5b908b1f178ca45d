"""The import as real city files need it (issue 9): a corrected file replaces its year, files in
thousands of yen, messages that name what is wrong, spending.jp's variants, years far ahead."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from budget.models import AccountBudget, BudgetItem, latest_importable_year

from .test_import import GOOD, HEADER, refused, snapshot, write

pytestmark = pytest.mark.django_db

SPENDING = """category,category_id,subcategory,subcategory_id,amount,year
総務費,2,総務管理費,1,15000000000,2031
総務費,2,徴税費,2,2500000000,2031
民生費,3,社会福祉費,1,30000000000,2031
民生費,3,児童福祉費,2,20000000000,2031
教育費,10,小学校費,2,7000000000,2031
"""
SPENDING_TOTAL = 74_500_000_000


def general(year=2031):
    return AccountBudget.objects.get(fiscal_year__year=year, account__code="general").amount


# --- 3. a corrected file replaces its year, total included -----------------------------------------


def test_a_corrected_spending_jp_file_replaces_its_year_with_the_new_total(tmp_path, capsys):
    call_command("import_budget", str(write(tmp_path, SPENDING)))
    assert general() == SPENDING_TOTAL
    corrected = SPENDING.replace("徴税費,2,2500000000", "徴税費,2,2500441000")  # a typo fixed: 441,000 yen more
    path = write(tmp_path, corrected, "corrected.csv")

    # Without --replace it is refused, as before.
    assert "--replace" in refused(path)

    # The dry run shows the old and the new total of the account, and writes nothing.
    before = snapshot()
    call_command("import_budget", str(path), "--replace", "--dry-run")
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "2031年度 会計 general の総額: 74,500,000,000円 → 74,500,441,000円（+441,000円）" in out

    call_command("import_budget", str(path), "--replace")
    assert general() == SPENDING_TOTAL + 441_000
    assert BudgetItem.objects.get(fiscal_year__year=2031, code="2-2").amount == 2_500_441_000
    assert BudgetItem.objects.get(fiscal_year__year=2031, code="2").amount == 17_500_441_000
    assert BudgetItem.objects.filter(fiscal_year__year=2031).count() == 8  # replaced, not doubled


def test_a_replacement_that_leaves_other_breakdowns_disagreeing_is_still_refused(tmp_path):
    # FY2023 keeps its nature and revenue breakdowns (169,270,000,000 yen): a purpose breakdown of
    # another total would leave the year's figures contradicting each other.
    message = refused(write(tmp_path, SPENDING.replace("2031", "2023")), "--replace")
    assert "2行目 「amount」列" in message and "169,270,000,000" in message


def test_the_portal_layout_replaces_an_account_total_too(tmp_path, capsys):
    call_command("import_budget", str(write(tmp_path, GOOD)))
    corrected = (
        GOOD.replace('"1,000,000"', "1441000")
        .replace("1500000", "1941000")
        .replace("02,,土木費,400000", "02,,土木費,841000")
        .replace("人件費,1000000", "人件費,1441000")
        .replace("市税,1000000", "市税,1441000")
    )
    call_command("import_budget", str(write(tmp_path, corrected, "c.csv")), "--replace", "--dry-run")
    out = capsys.readouterr().out
    assert "2030年度 会計 general の総額: 1,000,000円 → 1,441,000円（+441,000円）" in out
    assert "2030年度 会計 kokuho の総額: 500,000円（変わりません）" in out


# --- 4. units ----------------------------------------------------------------------------------------

THOUSANDS = """category,category_id,subcategory,subcategory_id,amount,year
総務費,2,総務管理費,1,"15,000,000",2031
民生費,3,社会福祉費,1,"30,000,123",2031
"""


def test_a_file_in_thousands_of_yen_imports_with_unit_1000(tmp_path):
    call_command("import_budget", str(write(tmp_path, THOUSANDS)), "--unit", "1000")
    assert general() == 45_000_123_000
    assert BudgetItem.objects.get(fiscal_year__year=2031, code="3-1").amount == 30_000_123_000


def test_a_general_account_under_a_billion_yen_is_warned_about_in_the_dry_run(tmp_path, capsys):
    call_command("import_budget", str(write(tmp_path, THOUSANDS)), "--dry-run")
    out = capsys.readouterr().out
    assert "2031年度の一般会計の総額が 45,000,123円 です" in out and "--unit 1000" in out
    call_command("import_budget", str(write(tmp_path, THOUSANDS)), "--dry-run", "--unit", "1000")
    out = capsys.readouterr().out
    assert "小さすぎます" not in out and "金額の単位: 1,000円" in out


def test_only_yen_and_thousands_are_units(tmp_path):
    with pytest.raises(CommandError, match="--unit"):
        call_command("import_budget", str(write(tmp_path, THOUSANDS)), "--unit", "10")
    assert not AccountBudget.objects.filter(fiscal_year__year=2031).exists()


# --- 5. messages ---------------------------------------------------------------------------------


def test_a_spending_jp_file_missing_a_column_names_that_column(tmp_path):
    text = "category,category_id,subcategory,amount,year\n総務費,2,総務管理費,1500,2031\n"
    message = refused(write(tmp_path, text))
    assert "1行目 「subcategory_id」列: この列がありません。" in message
    assert "「table」列" not in message


def test_a_portal_file_missing_a_column_names_that_column(tmp_path):
    message = refused(write(tmp_path, "year,table,name\n2030,account,x\n"))
    assert "1行目 「amount」列: この列がありません。" in message


def test_a_file_without_columns_says_so_in_japanese(tmp_path):
    path = Path(tmp_path) / "budget.csv"
    path.write_bytes("\ufeff".encode() + b"\n")
    message = refused(path)
    assert "budget.csv: 見出しの行がありません。" in message and "No columns" not in message


def test_a_line_with_too_many_fields_is_named_in_japanese(tmp_path):
    text = HEADER + "2030,account,general,,,一般会計,1000,false\n2030,account,kokuho,,,国保,500,false,extra\n"
    message = refused(write(tmp_path, text))
    assert "budget.csv 3行目: 列の数が見出しと合いません（見出しは8列、この行は9列）。" in message
    assert "Expected" not in message


def test_an_unclosed_quote_is_named_in_japanese(tmp_path):
    text = HEADER + '2030,account,general,,,"一般会計,1000,false\n'
    message = refused(write(tmp_path, text))
    assert "引用符" in message and "EOF" not in message


def test_spending_jp_files_with_a_time_column_are_read(tmp_path):
    call_command("import_budget", str(write(tmp_path, SPENDING.replace(",year\n", ",time\n"))))
    assert general() == SPENDING_TOTAL


def test_a_bad_year_in_a_time_column_names_that_column(tmp_path):
    message = refused(
        write(tmp_path, SPENDING.replace(",year\n", ",time\n").replace("2500000000,2031", "2500000000,20x1"))
    )
    assert "3行目 「time」列" in message


# --- 6. years far in the future ----------------------------------------------------------------


def test_a_year_far_in_the_future_is_refused(tmp_path):
    latest = latest_importable_year()
    message = refused(write(tmp_path, HEADER + f"{latest + 1},account,general,,,一般会計,1000000000,false\n"))
    assert "2行目 「year」列" in message and "先すぎます" in message
    message = refused(write(tmp_path, HEADER + "2200,account,general,,,一般会計,1000000000,false\n"))
    assert "2行目 「year」列" in message
    call_command(
        "import_budget", str(write(tmp_path, HEADER + f"{latest},account,general,,,一般会計,1000000000,false\n"))
    )
    assert general(latest) == 1_000_000_000
