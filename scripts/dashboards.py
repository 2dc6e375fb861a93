"""Writes the spreadsheet dashboards of crm_core (Odoo spreadsheet format 21)
into addons/crm_core/data/dashboards/: the department manager's overview and
the general manager's. The JSON is generated so that its pivots, charts and
cells stay consistent with each other; edit this file and run it again
(`.venv/bin/python scripts/dashboards.py`) rather than the JSON.

Every data source is a model of the bundle read through the user's record
rules: a manager sees their departments, the general manager everything.
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "addons" / "crm_core" / "data" / "dashboards"

# Global filters, matched on every source below.
PERIOD, REP, DEPARTMENT = (
    "9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a0001",
    "9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a0002",
    "9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a0003",
)
GLOBAL_FILTERS = [
    {"id": PERIOD, "type": "date", "label": "Period", "defaultValue": "this_year", "rangeType": "relative"},
    {"id": REP, "type": "relation", "label": "Salesperson", "modelName": "res.users",
     "defaultValue": [], "defaultValueDisplayNames": [], "rangeType": "year"},
    {"id": DEPARTMENT, "type": "relation", "label": "Department", "modelName": "crm.team",
     "defaultValue": [], "defaultValueDisplayNames": [], "rangeType": "year"},
]  # fmt: skip

# model: (date field, date type, rep field, department field)
MATCHING = {
    "sale.report": ("date", "datetime", "user_id", "team_id"),
    "crm.lead": ("create_date", "datetime", "user_id", "team_id"),
    "crm.followup": ("date", "datetime", "user_id", "crm_team_id"),
    "crm.receivable.report": ("due_date", "date", "user_id", "crm_team_id"),
    "res.partner": ("create_date", "datetime", "user_id", "crm_team_id"),
}

# The menu a chart opens when clicked.
MENUS = {
    "sale.report": "crm_core.menu_crm_report_sales",
    "crm.lead": "crm_core.menu_crm_report_funnel",
    "crm.followup": "crm_core.menu_crm_report_followups",
    "res.partner": "crm_core.menu_crm_report_customers",
}

CONFIRMED = [["state", "=", "sale"]]
CUSTOMERS = [["crm_managed", "=", True], ["parent_id", "=", False]]
RECEIVABLE = [["contract_type", "=", "sale"]]


def field_matching(model):
    date, date_type, rep, department = MATCHING[model]
    return {
        PERIOD: {"chain": date, "type": date_type, "offset": 0},
        REP: {"chain": rep, "type": "many2one"},
        DEPARTMENT: {"chain": department, "type": "many2one"},
    }


def pivot(pivot_id, name, model, measures, rows=(), domain=(), sort=None):
    data = {
        "type": "ODOO", "id": str(pivot_id), "formulaId": str(pivot_id), "name": name, "model": model,
        "domain": list(domain), "context": {}, "fieldMatching": field_matching(model),
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "columns": [], "rows": [dict(r) for r in rows], "sortedColumn": None,
    }  # fmt: skip
    if sort:
        data["sortedColumn"] = {"groupId": [[], []], "measure": sort, "order": "desc"}
    return data


def chart(figure_id, x, y, width, height, title, model, kind, group_by, measure, domain=(), stacked=False):
    data = {
        "title": {"text": title, "bold": True, "color": "#434343"}, "background": "#FFFFFF",
        "legendPosition": "top" if len(group_by) > 1 or kind == "pie" else "none",
        "metaData": {"groupBy": list(group_by), "measure": measure, "order": None, "resModel": model, "mode": kind},
        "searchParams": {"comparison": None, "context": {}, "domain": list(domain), "groupBy": list(group_by), "orderBy": []},
        "type": f"odoo_{kind}", "fieldMatching": field_matching(model),
    }  # fmt: skip
    if kind != "pie":
        data.update(verticalAxisPosition="left", stacked=stacked)
    if kind == "line":
        data["fillArea"] = True
    return {"id": figure_id, "x": x, "y": y, "width": width, "height": height, "tag": "chart", "data": data}


def scorecard(figure_id, x, title, cell):
    return {
        "id": figure_id, "x": x, "y": 12, "width": 195, "height": 106, "tag": "chart",
        "data": {
            "type": "scorecard", "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#EFF6FF", "keyValue": f"Data!{cell}", "baselineMode": "difference",
            "baselineColorUp": "#00A04A", "baselineColorDown": "#DC6965", "humanize": False,
        },
    }  # fmt: skip


def build(kind):
    """kind: "manager" (a department's reps) or "gm" (departments, products)."""
    pivots = {
        "1": pivot(1, "Sales", "sale.report", ["price_subtotal"], domain=CONFIRMED),
        "2": pivot(2, "Collected", "crm.receivable.report", ["paid_amount"], domain=RECEIVABLE),
        "3": pivot(3, "Outstanding", "crm.receivable.report", ["residual_amount"], domain=RECEIVABLE),
        "4": pivot(4, "Follow-ups", "crm.followup", ["__count"]),
        "5": pivot(5, "New Customers", "res.partner", ["__count"], domain=CUSTOMERS),
        "6": pivot(6, "Sales by Salesperson", "sale.report", ["price_subtotal", "product_uom_qty"],
                   rows=[{"fieldName": "user_id"}], domain=CONFIRMED, sort="price_subtotal"),
        "7": pivot(7, "Collections against Plan", "crm.receivable.report", ["amount", "paid_amount", "residual_amount"],
                   rows=[{"fieldName": "user_id"}], domain=RECEIVABLE, sort="amount"),
        "8": pivot(8, "Sales by Region", "sale.report", ["price_subtotal"],
                   rows=[{"fieldName": "crm_region_id"}], domain=CONFIRMED, sort="price_subtotal"),
    }  # fmt: skip
    if kind == "gm":
        pivots["6"] = pivot(6, "Sales by Department", "sale.report", ["price_subtotal", "product_uom_qty"],
                            rows=[{"fieldName": "team_id"}], domain=CONFIRMED, sort="price_subtotal")  # fmt: skip
        pivots["8"] = pivot(8, "Sales by Product", "sale.report", ["price_subtotal"],
                            rows=[{"fieldName": "product_tmpl_id"}], domain=CONFIRMED, sort="price_subtotal")  # fmt: skip

    titles = {
        "manager": "Department Overview",
        "gm": "Company Overview",
    }
    cells = {
        "A1": {"content": f'=_t("{titles[kind]}")'},
        "A9": {"content": '=_t("Sales")'},
        "A27": {"content": f'=_t("{pivots["6"]["name"]}")'},
        "A28": {"content": "=PIVOT(6,10)"},
        "E27": {"content": '=_t("Collections against Plan")'},
        "E28": {"content": "=PIVOT(7,10)"},
        "A42": {"content": f'=_t("{pivots["8"]["name"]}")'},
        "A43": {"content": "=PIVOT(8,10)"},
    }
    by = "team_id" if kind == "gm" else "user_id"
    figures = [
        scorecard("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a1001", 0, "Sales", "C1"),
        scorecard("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a1002", 205, "Collected", "C2"),
        scorecard("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a1003", 410, "Outstanding", "C3"),
        scorecard("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a1004", 615, "Follow-ups", "C4"),
        scorecard("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a1005", 820, "New Customers", "C5"),
        chart("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a2001", 0, 178, 1000, 300, "Sales by Month",
              "sale.report", "bar", ["date:month", by], "price_subtotal", CONFIRMED, stacked=True),
        chart("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a2002", 0, 1040, 490, 300, "Sales Funnel",
              "crm.lead", "bar", ["stage_id"], "expected_revenue", [["type", "=", "opportunity"]]),
        chart("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a2003", 510, 1040, 490, 300, "Follow-ups by Week",
              "crm.followup", "line", ["date:week", "followup_type"], "__count"),
        chart("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a2004", 0, 1360, 490, 300, "Customers by Source",
              "res.partner", "pie", ["crm_source_id"], "__count", CUSTOMERS),
        chart("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a2005", 510, 1360, 490, 300, "Customers by Grade",
              "res.partner", "pie", ["crm_grade_id"], "__count", CUSTOMERS),
    ]  # fmt: skip
    data_cells = {}
    for row, (label, pivot_id, measure) in enumerate(
        [("Sales", 1, "price_subtotal"), ("Collected", 2, "paid_amount"), ("Outstanding", 3, "residual_amount"),
         ("Follow-ups", 4, "__count"), ("New Customers", 5, "__count")], 1,
    ):  # fmt: skip
        data_cells[f"A{row}"] = {"content": f'=_t("{label}")'}
        data_cells[f"B{row}"] = {"content": f'=PIVOT.VALUE({pivot_id},"{measure}")'}
        data_cells[f"C{row}"] = {"content": f"=FORMAT.LARGE.NUMBER(B{row})"}

    def sheet(sheet_id, name, cells, figures, cols, rows=60):
        return {
            "id": sheet_id, "name": name, "colNumber": cols, "rowNumber": rows, "rows": {}, "cols": {},
            "merges": [], "cells": cells, "styles": {}, "formats": {}, "borders": {}, "conditionalFormats": [],
            "figures": figures, "tables": [], "areGridLinesVisible": False, "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []}, "dataValidationRules": [], "comments": {},
        }  # fmt: skip

    dashboard = sheet("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a0100", "Dashboard", cells, figures, 8, 70)
    dashboard["cols"] = {"0": {"size": 220}, "1": {"size": 110}, "2": {"size": 110}, "3": {"size": 40},
                         "4": {"size": 220}, "5": {"size": 110}, "6": {"size": 110}, "7": {"size": 110}}  # fmt: skip
    dashboard["styles"] = {"A1": 1, "A9": 1, "A27": 2, "E27": 2, "A42": 2}
    return {
        "version": 21, "sheets": [dashboard, sheet("9b2f1c1e-5c0a-4a51-9f0e-1d2b7c6a0200", "Data", data_cells, [], 3, 10)],
        "styles": {"1": {"textColor": "#01666b", "bold": True, "fontSize": 16}, "2": {"textColor": "#434343", "fontSize": 11, "bold": True}},
        "formats": {}, "borders": {}, "revisionId": "START_REVISION", "uniqueFigureIds": True,
        "settings": {"locale": {"name": "English (US)", "code": "en_US", "thousandsSeparator": ",", "decimalSeparator": ".",
                                "dateFormat": "mm/dd/yyyy", "timeFormat": "hh:mm:ss", "formulaArgSeparator": ",", "weekStart": 1}},
        "pivots": pivots, "pivotNextId": len(pivots) + 1, "customTableStyles": {}, "odooVersion": 12,
        "globalFilters": GLOBAL_FILTERS, "lists": {}, "listNextId": 1, "chartOdooMenusReferences": {
            f["id"]: MENUS[f["data"]["metaData"]["resModel"]] for f in figures if f["data"]["type"].startswith("odoo_")
        },
    }  # fmt: skip


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for kind in ("manager", "gm"):
        path = OUT / f"crm_{kind}_dashboard.json"
        path.write_text(json.dumps(build(kind), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(path)
