"""import_budget: the portal's layout and spending.jp's, CSV and Excel; refusals name the line
and the column and write nothing."""
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from asahikawa.spreadsheets import SpreadsheetError
from budget.importing import build_plan
from budget.models import Account, AccountBudget, BudgetItem, FiscalYear, FundBalance

pytestmark = pytest.mark.django_db

HEADER = "year,table,account,code,parent,name,amount,is_sample\n"
GOOD = HEADER + """\
2030,account,general,,,一般会計,"1,000,000",true
2030,account,kokuho,,,国民健康保険事業,500000,true
2030,total,,all,,,1500000,true
2030,purpose,general,01,,民生費,600000,true
2030,purpose,general,01-01,01,社会福祉費,400000,true
2030,purpose,general,01-02,01,児童福祉費,200000,true
2030,purpose,general,02,,土木費,400000,true
2030,nature,general,personnel,,人件費,1000000,true
2030,revenue,,city_tax,,市税,1000000,true
2030,fund,,,,年度末残高,50000,true
"""


def write(tmp_path, text, name="budget.csv"):
    path = Path(tmp_path) / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    return (FiscalYear.objects.count(), AccountBudget.objects.count(), BudgetItem.objects.count(),
            FundBalance.objects.count(), Account.objects.count(),
            sorted(AccountBudget.objects.values_list("fiscal_year__year", "account__code", "amount")))


def refused(path, *args):
    before = snapshot()
    with pytest.raises(CommandError) as info:
        call_command("import_budget", str(path), *args)
    assert snapshot() == before, "a refused import wrote something"
    return str(info.value)


def test_a_good_file_imports(tmp_path):
    call_command("import_budget", str(write(tmp_path, GOOD)))
    fy = FiscalYear.objects.get(year=2030)
    assert fy.totals_is_sample
    assert AccountBudget.objects.get(fiscal_year=fy, account__code="general").amount == 1_000_000
    kan = BudgetItem.objects.get(fiscal_year=fy, breakdown="purpose", code="01")
    assert kan.parent is None and kan.amount == 600_000
    assert sorted(kan.children.values_list("code", "amount")) == [("01-01", 400_000), ("01-02", 200_000)]
    assert BudgetItem.objects.get(fiscal_year=fy, breakdown="revenue").account.code == "general"
    assert FundBalance.objects.get(year=2030).amount == 50_000


def test_parts_that_do_not_add_up_to_their_parent_are_refused_naming_the_row(tmp_path):
    text = GOOD.replace("01-02,01,児童福祉費,200000", "01-02,01,児童福祉費,200001")
    message = refused(write(tmp_path, text))
    # The 款 on line 5 states 600,000 but its 項 add up to 600,001.
    assert "5行目 「amount」列" in message and "600,001" in message


def test_items_that_do_not_add_up_to_the_account_are_refused(tmp_path):
    text = GOOD.replace("02,,土木費,400000", "02,,土木費,400100").replace("01-02,01,児童福祉費,200000", "01-02,01,児童福祉費,200000")
    message = refused(write(tmp_path, text))
    assert "5行目 「amount」列" in message and "2行目" in message  # the first purpose line, and the account line it contradicts


def test_accounts_that_do_not_add_up_to_the_stated_total_are_refused(tmp_path):
    message = refused(write(tmp_path, GOOD.replace("2030,total,,all,,,1500000", "2030,total,,all,,,1500001")))
    assert "4行目 「amount」列" in message


def test_items_must_match_the_total_the_database_states(tmp_path):
    # FY2023's general account (169,270,000,000 yen) is in the database; a new nature breakdown for
    # another account must add up to that account's amount there.
    text = HEADER + "2023,nature,kokuho,a,,保険給付費,1000,false\n"
    message = refused(write(tmp_path, text))
    assert "2行目 「amount」列" in message and "データベース" in message


def test_fractions_of_a_yen_are_refused_naming_row_and_column(tmp_path):
    message = refused(write(tmp_path, GOOD.replace("2030,nature,general,personnel,,人件費,1000000", "2030,nature,general,personnel,,人件費,999999.5")))
    assert "9行目 「amount」列" in message and "端数" in message


def test_other_bad_values_are_refused_each_with_its_row(tmp_path):
    text = HEADER + "20x0,account,general,,,一般会計,100,false\n2031,plan,general,,,x,100,maybe\n2031,account,general,,,一般会計,-5,false\n"
    message = refused(write(tmp_path, text))
    assert "2行目 「year」列" in message
    assert "3行目 「table」列" in message and "3行目 「is_sample」列" in message
    assert "4行目 「amount」列" in message and "0以上" in message


def test_a_year_cannot_be_imported_twice_unless_replaced(tmp_path):
    path = write(tmp_path, GOOD)
    call_command("import_budget", str(path))
    message = refused(path)
    assert "2行目 「year」列" in message and "--replace" in message
    replaced = GOOD.replace('"1,000,000"', "1000001").replace("1500000", "1500001").replace("02,,土木費,400000", "02,,土木費,400001") \
        .replace("人件費,1000000", "人件費,1000001").replace("市税,1000000", "市税,1000001")
    call_command("import_budget", str(write(tmp_path, replaced, "replaced.csv")), "--replace")
    assert AccountBudget.objects.get(fiscal_year__year=2030, account__code="general").amount == 1_000_001
    assert BudgetItem.objects.filter(fiscal_year__year=2030, breakdown="purpose").count() == 4  # replaced, not doubled


def test_the_newsletter_year_is_protected_too(tmp_path):
    message = refused(write(tmp_path, HEADER + "2023,account,general,,,一般会計,1,false\n"))
    assert "すでに取り込まれています" in message


def test_dry_run_shows_what_would_change_and_writes_nothing(tmp_path, capsys):
    before = snapshot()
    call_command("import_budget", str(write(tmp_path, GOOD)), "--dry-run")
    assert snapshot() == before
    out = capsys.readouterr().out
    assert "2030年度 purpose general: 4行" in out and "追加" in out


def test_a_missing_column_is_named(tmp_path):
    message = refused(write(tmp_path, "year,table,name\n2030,account,x\n"))
    assert "1行目 「amount」列" in message


SPENDING = """category,category_id,subcategory,subcategory_id,amount,year
総務費,2,総務管理費,1,1500000,2031
総務費,2,徴税費,2,250000,2031
民生費,3,社会福祉費,1,3000000,2031
民生費,3,児童福祉費,2,2000000,2031
民生費,3,生活保護費,3,1234567,2031
教育費,10,小学校費,2,700000,2031
"""


def test_a_spending_jp_file_imports_and_its_category_totals_match_the_file(tmp_path):
    call_command("import_budget", str(write(tmp_path, SPENDING)))
    file = pd.read_csv(write(tmp_path, SPENDING))
    expected = file.groupby("category_id")["amount"].sum().to_dict()
    kans = BudgetItem.objects.filter(fiscal_year__year=2031, breakdown="purpose", parent__isnull=True)
    assert {int(kan.code): kan.amount for kan in kans} == expected
    assert dict(kans.values_list("name", "amount"))["民生費"] == 6_234_567
    assert BudgetItem.objects.get(fiscal_year__year=2031, code="3-3").parent.code == "3"
    # The general account's amount is the file's sum, as no other total is stated.
    assert AccountBudget.objects.get(fiscal_year__year=2031, account__code="general").amount == int(file["amount"].sum())


def test_a_spending_jp_file_must_match_the_database_total(tmp_path):
    text = SPENDING.replace("2031", "2023")
    message = refused(write(tmp_path, text), "--replace")
    assert "2行目 「amount」列" in message and "169,270,000,000" in message


def test_a_spending_jp_category_line_must_equal_its_subcategories(tmp_path):
    text = SPENDING + "民生費,3,,,6234568,2031\n"
    message = refused(write(tmp_path, text))
    assert "8行目 「amount」列" in message


def test_an_excel_file_imports(tmp_path):
    frame = pd.read_csv(write(tmp_path, GOOD), dtype=str, keep_default_na=False)
    frame["amount"] = [int(value.replace(",", "")) for value in frame["amount"]]
    path = Path(tmp_path) / "budget.xlsx"
    frame.to_excel(path, index=False)
    call_command("import_budget", str(path))
    assert AccountBudget.objects.get(fiscal_year__year=2030, account__code="kokuho").amount == 500_000


def test_an_excel_fraction_is_refused(tmp_path):
    frame = pd.read_csv(write(tmp_path, GOOD), dtype=str, keep_default_na=False)
    frame["amount"] = [float(value.replace(",", "")) for value in frame["amount"]]
    frame.loc[7, "amount"] = 999_999.25  # line 9 of the sheet
    path = Path(tmp_path) / "budget.xlsx"
    frame.to_excel(path, index=False)
    message = refused(path)
    assert "9行目 「amount」列" in message


def test_unknown_parent_and_duplicate_codes_are_refused(tmp_path):
    text = GOOD.replace("01-02,01,児童福祉費", "01-02,09,児童福祉費") + "2030,purpose,general,02,,土木費,1,true\n"
    with pytest.raises(SpreadsheetError) as info:
        build_plan(write(tmp_path, text))
    lines = {(error.file, error.row, error.column) for error in info.value.errors}
    assert ("budget.csv", 7, "parent") in lines and ("budget.csv", 12, "code") in lines


def test_a_new_account_amount_must_still_match_the_breakdowns_kept_in_the_database(tmp_path):
    # Replacing FY2023's general account alone: the purpose/nature/revenue lines kept in the
    # database add up to 169,270,000,000 yen, so another amount is refused.
    message = refused(write(tmp_path, HEADER + "2023,account,general,,,一般会計,169270000001,false\n"), "--replace")
    assert "2行目 「amount」列" in message and "169,270,000,000" in message


def test_a_replacement_that_still_adds_up_is_accepted(tmp_path):
    call_command("import_budget", str(write(tmp_path, HEADER + "2023,account,general,,,一般会計,169270000000,false\n")),
                 "--replace")
    assert AccountBudget.objects.get(fiscal_year__year=2023, account__code="general").amount == 169_270_000_000
    assert BudgetItem.objects.filter(fiscal_year__year=2023, breakdown="purpose").exists()  # kept


def test_new_accounts_are_created_as_special_accounts(tmp_path):
    text = HEADER + "2032,account,general,,,一般会計,100,false\n2032,account,newfund,,,新しい特別会計,50,false\n"
    call_command("import_budget", str(write(tmp_path, text)))
    account = Account.objects.get(code="newfund")
    assert account.kind == "special" and account.name == "新しい特別会計"


def test_amounts_beyond_any_budget_are_refused_not_a_server_error(tmp_path):
    # 20 digits do not fit the database's bigint; the check names the row instead of the write failing.
    huge = "9" * 20
    text = HEADER + f"2031,account,general,,,一般会計,{huge},false\n2031,purpose,general,01,,民生費,{huge},false\n"
    message = refused(write(tmp_path, text))
    assert "2行目 「amount」列" in message and "3行目 「amount」列" in message and "大きすぎ" in message


def test_parts_whose_sum_would_overflow_are_refused(tmp_path):
    big = 5 * 10**18  # each fits in 64 bits, their sum does not
    text = HEADER + (f"2031,account,general,,,一般会計,{2 * big},false\n"
                     f"2031,purpose,general,01,,民生費,{big},false\n2031,purpose,general,02,,土木費,{big},false\n")
    message = refused(write(tmp_path, text))
    assert "2行目 「amount」列" in message and "大きすぎ" in message


def test_codes_and_names_that_do_not_fit_their_columns_are_refused(tmp_path):
    long_code = "x" * 41
    text = HEADER + (f"2031,account,{long_code},,,長い会計,1000,false\n"
                     "2031,account,general,,,一般会計,1000,false\n"
                     f"2031,purpose,general,{long_code},,民生費,1000,false\n")
    message = refused(write(tmp_path, text))
    assert "2行目 「account」列" in message and "4行目 「code」列" in message and "40文字以内" in message


def test_a_nul_character_refuses_the_file_naming_it(tmp_path):
    # PostgreSQL refuses NUL in text; the platform's reader takes a NUL byte for a file that is not
    # UTF-8 or Shift_JIS text, and says so before any cell is read.
    message = refused(write(tmp_path, HEADER + "2031,nature,general,a\x00b,,人件費,1000,false\n"))
    assert "budget.csv: 文字コードはUTF-8かShift_JISにしてください。" in message


def test_a_shift_jis_file_imports_and_errors_name_the_file(tmp_path):
    path = Path(tmp_path) / "予算2030.csv"
    path.write_bytes(GOOD.encode("cp932"))
    call_command("import_budget", str(path), "--dry-run")
    path.write_bytes(GOOD.replace("01-02,01,児童福祉費,200000", "01-02,01,児童福祉費,200001").encode("cp932"))
    message = refused(path)
    assert "予算2030.csv 5行目 「amount」列: 「民生費」の金額 600,000円 が、内訳の合計 600,001円 と一致しません" in message


def test_errors_are_in_the_language_of_the_user(tmp_path):
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(SpreadsheetError) as info:
            build_plan(write(tmp_path, GOOD.replace("2030,fund,,,,年度末残高,50000", "2030,fund,,,,年度末残高,5x")))
        assert str(info.value.errors[0]).startswith("budget.csv row 11 column \"amount\": The amount is not a number")


INTERLEAVED = HEADER + """\
2031,purpose,general,01-01,01,社会福祉費,400000,true
2030,account,general,,,一般会計,"1,000,000",true
2031,account,general,,,一般会計,900000,true
2030,purpose,general,01,,民生費,1000000,true
2031,purpose,general,02,,土木費,500000,true
2031,purpose,general,01,,民生費,400000,true
2030,purpose,general,01-01,01,社会福祉費,1000000,true
"""


def test_a_file_is_checked_and_written_one_year_at_a_time(tmp_path, monkeypatch):
    """Lines of a large file are held by year (budget/importing/compact.py), so that memory does not
    grow with the file: every frame of lines the checks and the write load is one year's, and lines
    of a year read in different chunks (a 項 before its 款, years interleaved) still meet."""
    from budget.importing import compact, plan

    monkeypatch.setattr(plan, "CHUNK_ROWS", 3)
    loaded = []
    lines_of_year = compact.LineStore.lines

    def spy(store, year):
        lines = lines_of_year(store, year)
        loaded.append(set(lines["year"].tolist()))
        return lines

    monkeypatch.setattr(compact.LineStore, "lines", spy)
    call_command("import_budget", str(write(tmp_path, INTERLEAVED)))
    assert loaded and all(len(years) == 1 for years in loaded)
    for year, kan in ((2030, 1_000_000), (2031, 400_000)):
        child = BudgetItem.objects.get(fiscal_year__year=year, code="01-01")
        assert (child.parent.code, child.parent.amount, child.parent.fiscal_year.year) == ("01", kan, year)

    # A code repeated in another chunk of its year is named on its line.
    message = refused(write(tmp_path, INTERLEAVED.replace("2030,purpose,general,01-01,01", "2030,purpose,general,01,"),
                            "repeated.csv"))
    assert "8行目 「code」列" in message and "同じコード（01）" in message
