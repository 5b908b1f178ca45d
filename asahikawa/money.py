"""Amounts for people, in the active language (django.utils.translation.get_language()).

Japanese: as the city writes them, 2,929億5,713万円, rounded half up below 1万円
(「万円未満は四捨五入により端数処理しています」).
English: the short scale, rounded half up, trailing zeros dropped:
  1 billion yen or more  -> ¥292.96 billion (two decimals at most)
  1 million yen or more  -> ¥620 million, ¥3.5 million (one decimal at most)
  below 1 million yen    -> ¥12,345 (exact)
The exact yen (`yen`) is kept for tables and hover text in both languages.
"""
from django.utils.translation import get_language
from django.utils.translation import gettext as _

MAN = 10_000
OKU = 100_000_000
CHO = 1_000_000_000_000

MILLION = 1_000_000
BILLION = 1_000_000_000


def _english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


def yen(amount: int) -> str:
    """169270000000 -> 169,270,000,000円 (English: 169,270,000,000 yen)"""
    return _("%(amount)s円") % {"amount": f"{int(amount):,}"}


def _round_half_up(amount: int, unit: int) -> int:
    return (amount + unit // 2) // unit


def _decimal(units: int, digits: int) -> str:
    """units of 10**-digits -> "1,234.5", trailing zeros dropped: (12345, 1) -> "1,234.5", (6200, 1) -> "620"."""
    whole, fraction = divmod(units, 10 ** digits)
    text = f"{whole:,}"
    fraction_text = f"{fraction:0{digits}d}".rstrip("0")
    return f"{text}.{fraction_text}" if fraction_text else text


def short_english(amount: int) -> str:
    """292957130000 -> ¥292.96 billion; 620000000 -> ¥620 million; 12345 -> ¥12,345."""
    amount = int(amount)
    if amount < 0:
        return "-" + short_english(-amount)
    if amount < MILLION:
        return f"¥{amount:,}"
    tenths_of_million = _round_half_up(amount, MILLION // 10)
    if tenths_of_million < 10_000:  # under 1,000 million once rounded
        return f"¥{_decimal(tenths_of_million, 1)} million"
    return f"¥{_decimal(_round_half_up(amount, BILLION // 100), 2)} billion"


def city_japanese(amount: int) -> str:
    """169270000000 -> 1,692億7,000万円; amounts under 1万円 are written exactly (5,000円).
    Always Japanese, whatever the active language."""
    amount = int(amount)
    if amount < 0:
        return "-" + city_japanese(-amount)
    if amount < MAN:
        return f"{amount:,}円"
    man = _round_half_up(amount, MAN)  # 四捨五入 to 万円
    cho, rest = divmod(man, CHO // MAN)
    oku, man = divmod(rest, OKU // MAN)
    parts = []
    if cho:
        parts.append(f"{cho:,}兆")
    if oku:
        parts.append(f"{oku:,}億")
    if man:
        parts.append(f"{man:,}万")
    return "".join(parts) + "円"


def oku_man(amount: int) -> str:
    """The amount for people in the active language: 2,929億5,713万円 / ¥292.96 billion."""
    return short_english(amount) if _english() else city_japanese(amount)


def signed_oku_man(amount: int) -> str:
    """The change on the year: +70億3,401万円, -5億円, ±0円 (English: +¥7.03 billion, -¥500 million, ±¥0)."""
    amount = int(amount)
    if amount == 0:
        return "±" + oku_man(0)
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
