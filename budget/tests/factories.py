import factory

from budget.models import Account, AccountBudget, BudgetItem, FiscalYear, FundBalance


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ["year"]

    year = factory.Sequence(lambda n: 2030 + n)
    totals_is_sample = True
    source = "test"


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"special-{n}")
    name = factory.Sequence(lambda n: f"特別会計{n}")
    kind = Account.Kind.SPECIAL
    is_sample = True


class AccountBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountBudget

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    account = factory.LazyFunction(lambda: Account.objects.get(code="general"))
    amount = 1_000_000_000
    is_sample = True


class BudgetItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetItem

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    account = factory.LazyFunction(lambda: Account.objects.get(code="general"))
    breakdown = BudgetItem.Breakdown.PURPOSE
    code = factory.Sequence(lambda n: f"{n:03d}")
    name = factory.Sequence(lambda n: f"款{n}")
    amount = 100_000_000
    is_sample = True


class FundBalanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundBalance
        django_get_or_create = ["year"]

    year = factory.Sequence(lambda n: 2030 + n)
    amount = 5_000_000_000
    is_sample = True
