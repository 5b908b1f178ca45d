"""The admin import page: finance staff only; the same checks as the command; nothing written on error."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budget.models import AccountBudget, FiscalYear
from conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/admin/budget/fiscalyear/import/"
GOOD = "year,table,account,code,parent,name,amount,is_sample\n2030,account,general,,,一般会計,1000,true\n"


def upload(text, name="b.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_finance_staff_import_after_a_dry_run(make_staff):
    client = client_for(make_staff("finance"))
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"file": upload(GOOD), "dry_run": "on"})
    assert response.status_code == 200 and "2030年度 account general" in response.content.decode()
    assert not FiscalYear.objects.filter(year=2030).exists()
    response = client.post(URL, {"file": upload(GOOD)})
    assert response.status_code == 302
    assert AccountBudget.objects.get(fiscal_year__year=2030).amount == 1000


def test_errors_name_the_row_and_nothing_is_written(make_staff):
    client = client_for(make_staff("finance"))
    response = client.post(URL, {"file": upload(GOOD.replace(",1000,", ",1000.5,"))})
    assert response.status_code == 400
    assert "b.csv 2行目 「amount」列: 金額は円単位の整数で入力してください" in response.content.decode()
    assert not FiscalYear.objects.filter(year=2030).exists()


def test_a_file_of_another_kind_is_refused(make_staff):
    response = client_for(make_staff("finance")).post(URL, {"file": upload(GOOD, "b.txt")})
    assert response.status_code == 200 and "CSV（.csv）かExcel（.xlsx）のファイルを選んでください。" in response.content.decode()
    assert not FiscalYear.objects.filter(year=2030).exists()


@pytest.mark.parametrize("department", ["wellness", "community"])
def test_other_departments_are_refused(make_staff, department):
    client = client_for(make_staff(department))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(GOOD)}).status_code == 403
    assert not FiscalYear.objects.filter(year=2030).exists()


def test_residents_and_the_public_do_not_reach_it(resident):
    assert client_for(resident).get(URL).status_code == 302
    assert client_for(None).get(URL).status_code == 302
    assert client_for(resident).post(URL, {"file": upload(GOOD)}).status_code == 302
    assert not FiscalYear.objects.filter(year=2030).exists()


def test_the_form_takes_the_unit_and_warns_about_an_implausible_total(make_staff):
    client = client_for(make_staff("finance"))
    response = client.post(URL, {"file": upload(GOOD), "dry_run": "on"})
    assert "10億円未満" in response.content.decode()
    response = client.post(URL, {"file": upload(GOOD), "unit": "1000"})
    assert response.status_code == 302
    assert AccountBudget.objects.get(fiscal_year__year=2030).amount == 1_000_000
    response = client.post(URL, {"file": upload(GOOD), "unit": "7", "dry_run": "on"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
