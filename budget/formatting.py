"""Amounts as the city writes them: 2,929億5,713万円, rounded half up below 1万円
(「万円未満は四捨五入により端数処理しています」), with the exact yen kept for tables and hover text."""
from django.utils.translation import gettext as _

MAN = 10_000
OKU = 100_000_000
CHO = 1_000_000_000_000


def yen(amount: int) -> str:
    """169270000000 -> 169,270,000,000円"""
    return _("%(amount)s円") % {"amount": f"{int(amount):,}"}


def oku_man(amount: int) -> str:
    """169270000000 -> 1,692億7,000万円; amounts under 1万円 are written exactly (5,000円)."""
    amount = int(amount)
    if amount < 0:
        return "-" + oku_man(-amount)
    if amount < MAN:
        return yen(amount)
    man = (amount + MAN // 2) // MAN  # 四捨五入 to 万円
    cho, rest = divmod(man, CHO // MAN)
    oku, man = divmod(rest, OKU // MAN)
    parts = []
    if cho:
        parts.append(f"{cho:,}" + _("兆"))
    if oku:
        parts.append(f"{oku:,}" + _("億"))
    if man:
        parts.append(f"{man:,}" + _("万"))
    return "".join(parts) + _("円")


def signed_oku_man(amount: int) -> str:
    """The change on the year: +70億3,401万円, -5億円, ±0円."""
    amount = int(amount)
    if amount == 0:
        return "±" + yen(0)
    return ("+" if amount > 0 else "") + oku_man(amount)


def signed_yen(amount: int) -> str:
    amount = int(amount)
    if amount == 0:
        return "±" + yen(0)
    return ("+" if amount > 0 else "-") + yen(abs(amount))


def percent(part: int, whole: int, digits: int = 1) -> str:
    if not whole:
        return "-"
    return f"{part * 100 / whole:.{digits}f}%"
