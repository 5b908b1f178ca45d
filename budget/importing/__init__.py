"""Reading and checking a budget file (CSV or Excel) before anything is written.

The two layouts it reads (the portal's and spending.jp's) and the checks are described in
docs/budget-import.md. The steps, one module each:

    reading.py   the file -> a frame of text cells (the platform's asahikawa.spreadsheets.read_table)
    layouts.py   a layout's frame -> canonical lines, one per figure; cells that cannot be read
    checks.py    checks across the lines and against the database (read through budget.selectors)
    compact.py   the lines held compactly, on disk by year: one year's lines in memory at a time
    plan.py      build_plan(): the steps in order -> a Plan, which budget.services.budget_plan_apply writes

A refused file raises asahikawa.spreadsheets.SpreadsheetError; each of its errors names the file,
the row (the header is row 1) and the column, in the user's language.
"""
from .layouts import ITEM_TABLES, LAYOUTS
from .plan import Plan, Unit, build_plan

__all__ = ["ITEM_TABLES", "LAYOUTS", "Plan", "Unit", "build_plan"]
