"""The FY2023 (令和5年度) budget of the city's newsletter, and the year before derived from it.

From the newsletter (exact to the 万円, as the city rounds): general account 1,692億7,000万円
(+34億6,000万円), special accounts 1,236億8,713万円 (+35億7,401万円, ten programs incl. national
health insurance and water and sewerage), total 2,929億5,713万円 (+70億3,401万円). FY2022 follows
from the changes. Everything the newsletter does not give is sample (is_sample=True, shown as
サンプル): the split of the special accounts, the breakdowns by purpose / nature / revenue, the
names of the special accounts it does not name, and the fiscal adjustment fund balances (the
newsletter shows them only as a chart).
"""
from django.db import migrations

MAN = 10_000
SOURCE = "広報あさひかわ 令和5年度予算特集（市政方針）"
GENERAL = {2023: 169_270_000_000, 2022: 165_810_000_000}
SPECIAL_TOTAL = {2023: 123_687_130_000, 2022: 120_113_120_000}

# code, name, name is sample, FY2022 (万円, sample), FY2023 (万円, sample); the last one takes the rest.
SPECIAL = [
    ("kokuho", "国民健康保険事業", False, 335_000, 330_000),
    ("koki", "後期高齢者医療", True, 52_000, 55_000),
    ("kaigo", "介護保険", True, 390_000, 400_000),
    ("boshi", "母子父子寡婦福祉資金貸付", True, 1_000, 1_000),
    ("ikuei", "育英事業", True, 500, 500),
    ("chushajo", "駐車場事業", True, 2_000, 2_000),
    ("yochi", "公共用地先行取得事業", True, 1_000, 1_000),
    ("suido", "水道事業", False, 118_000, 120_000),
    ("gesuido", "下水道事業", False, 145_000, 150_000),
    ("byoin", "病院事業", True, None, None),
]

# 款 code, 款 name, amount in 万円 (sample), [(項 name, weight)].
PURPOSE = [
    ("01", "議会費", 62_000, [("議会費", 1)]),
    ("02", "総務費", 1_200_000, [("総務管理費", 70), ("徴税費", 15), ("戸籍住民基本台帳費", 8), ("選挙費", 3),
                               ("統計調査費", 2), ("監査委員費", 2)]),
    ("03", "民生費", 7_600_000, [("社会福祉費", 40), ("児童福祉費", 30), ("生活保護費", 29), ("災害救助費", 1)]),
    ("04", "衛生費", 1_050_000, [("保健衛生費", 55), ("清掃費", 45)]),
    ("05", "労働費", 30_000, [("労働諸費", 1)]),
    ("06", "農林水産業費", 250_000, [("農業費", 85), ("林業費", 15)]),
    ("07", "商工費", 1_200_000, [("商工費", 1)]),
    ("08", "土木費", 1_450_000, [("土木管理費", 5), ("道路橋りょう費", 45), ("河川費", 3), ("都市計画費", 35), ("住宅費", 12)]),
    ("09", "消防費", 380_000, [("消防費", 1)]),
    ("10", "教育費", 1_450_000, [("教育総務費", 20), ("小学校費", 22), ("中学校費", 15), ("高等学校費", 3),
                               ("社会教育費", 15), ("保健体育費", 25)]),
    ("11", "災害復旧費", 5_000, [("農林水産施設災害復旧費", 50), ("公共土木施設災害復旧費", 50)]),
    ("12", "公債費", 1_900_000, [("公債費", 1)]),
    ("13", "諸支出金", 340_000, [("諸支出金", 1)]),
    ("14", "予備費", 10_000, [("予備費", 1)]),
]
NATURE = [
    ("personnel", "人件費", 1700), ("assistance", "扶助費", 3300), ("debt", "公債費", 1120),
    ("construction", "普通建設事業費", 800), ("disaster", "災害復旧事業費", 3), ("goods", "物件費", 1100),
    ("maintenance", "維持補修費", 300), ("subsidies", "補助費等", 600), ("reserves", "積立金", 50),
    ("loans", "投資及び出資金・貸付金", 700), ("transfers", "繰出金", 300), ("contingency", "予備費", 6),
]
REVENUE = [
    ("city_tax", "市税", 23), ("transfer_tax", "地方譲与税・交付金", 6), ("allocation_tax", "地方交付税", 22),
    ("national", "国庫支出金", 24), ("prefectural", "道支出金", 6), ("bonds", "市債", 8),
    ("transfers_in", "繰入金", 2), ("misc", "諸収入", 7), ("other", "その他の収入", 2),
]
FUND = [(2018, 56_0000), (2019, 51_0000), (2020, 56_0000), (2021, 68_0000), (2022, 65_0000), (2023, 57_0000)]


def split(total, weights):
    """Split total into integer parts proportional to weights (largest remainder); they add up to total."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    rest = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in by_remainder[:rest]:
        parts[i] += 1
    return parts


def forwards(apps, schema_editor):
    FiscalYear = apps.get_model("budget", "FiscalYear")
    Account = apps.get_model("budget", "Account")
    AccountBudget = apps.get_model("budget", "AccountBudget")
    BudgetItem = apps.get_model("budget", "BudgetItem")
    FundBalance = apps.get_model("budget", "FundBalance")

    general, _ = Account.objects.get_or_create(code="general", defaults={"name": "一般会計", "kind": "general", "order": 0})
    specials = {}
    for order, (code, name, sample, _a, _b) in enumerate(SPECIAL, start=1):
        specials[code], _ = Account.objects.get_or_create(
            code=code, defaults={"name": name, "kind": "special", "order": order, "is_sample": sample})

    for index, year in enumerate((2022, 2023)):
        if FiscalYear.objects.filter(year=year).exists():
            continue  # imported already: never overwrite
        fiscal_year = FiscalYear.objects.create(year=year, totals_is_sample=False, source=SOURCE)
        AccountBudget.objects.create(fiscal_year=fiscal_year, account=general, amount=GENERAL[year], is_sample=False)
        known = [row[3 + index] * MAN for row in SPECIAL[:-1]]
        amounts = known + [SPECIAL_TOTAL[year] - sum(known)]
        assert sum(amounts) == SPECIAL_TOTAL[year] and min(amounts) > 0
        for (code, *_rest), amount in zip(SPECIAL, amounts):
            AccountBudget.objects.create(fiscal_year=fiscal_year, account=specials[code], amount=amount, is_sample=True)
        if year != 2023:
            continue
        general_man = GENERAL[year] // MAN
        assert sum(row[2] for row in PURPOSE) == general_man
        order = 0
        for code, name, amount_man, children in PURPOSE:
            order += 1
            kan = BudgetItem.objects.create(fiscal_year=fiscal_year, account=general, breakdown="purpose", code=code,
                                            name=name, amount=amount_man * MAN, order=order, is_sample=True)
            for number, ((child, _w), part) in enumerate(zip(children, split(amount_man, [w for _n, w in children])), 1):
                order += 1
                BudgetItem.objects.create(fiscal_year=fiscal_year, account=general, breakdown="purpose", parent=kan,
                                          code=f"{code}-{number:02d}", name=child, amount=part * MAN, order=order,
                                          is_sample=True)
        for breakdown, rows in (("nature", NATURE), ("revenue", REVENUE)):
            for order, ((code, name, _w), part) in enumerate(zip(rows, split(general_man, [w for *_x, w in rows])), 1):
                BudgetItem.objects.create(fiscal_year=fiscal_year, account=general, breakdown=breakdown, code=code,
                                          name=name, amount=part * MAN, order=order, is_sample=True)
    for year, amount_man in FUND:
        FundBalance.objects.get_or_create(year=year, defaults={
            "amount": amount_man * MAN, "is_sample": True, "note": "年度末残高（サンプル）"})


def backwards(apps, schema_editor):
    apps.get_model("budget", "FiscalYear").objects.filter(year__in=(2022, 2023), source=SOURCE).delete()
    apps.get_model("budget", "FundBalance").objects.filter(year__in=[year for year, _a in FUND], is_sample=True).delete()


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
