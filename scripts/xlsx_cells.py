#!/usr/bin/env python3
"""Prints what openpyxl reads from an XLSX file as JSON: the sheet's name, frozen pane, autofilter,
column widths and every cell with its Python type (dates as ISO text). Used by the Swift tests
that hold MEDK's Excel exports to what Excel-compatible readers see.

Usage: scripts/xlsx_cells.py FILE.xlsx
"""
import datetime
import json
import sys

import openpyxl


def cell(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return {"type": "datetime", "value": value.isoformat(timespec="minutes")}
    if isinstance(value, datetime.date):
        return {"type": "date", "value": value.isoformat()}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, (int, float)):
        return {"type": "number", "value": value}
    return {"type": "text", "value": str(value)}


book = openpyxl.load_workbook(sys.argv[1])
sheet = book.worksheets[0]
print(json.dumps({
    "sheets": book.sheetnames,
    "frozen": sheet.freeze_panes,
    "autofilter": sheet.auto_filter.ref,
    "widths": {key: dimension.width for key, dimension in sheet.column_dimensions.items() if dimension.width},
    "rows": [[cell(value) for value in row] for row in sheet.iter_rows(values_only=True)],
}, ensure_ascii=False))
