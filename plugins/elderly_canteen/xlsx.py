"""The monthly subsidy report as an .xlsx workbook (openpyxl): a sheet per canteen total and a
sheet per elder, amounts as numbers with two decimals, and a total row."""

from __future__ import annotations

from io import BytesIO

from plugins.elderly_canteen.accounts import Report

MONEY_FORMAT = "0.00"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(report: Report, place_name: str) -> bytes:
    # openpyxl is ~26 MB imported: loaded with the first report, not by every server.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    canteens = book.active
    assert canteens is not None
    canteens.title = "食堂汇总"
    canteens.append([f"{place_name} 老年食堂助餐补贴 {report.month}"])
    canteens.append(
        ["食堂", "供餐次数", "堂食", "送餐", "就餐老人", "餐费合计", "补贴合计", "个人支付合计"]
    )
    for line in report.canteens:
        t = line.tally
        canteens.append(
            [line.name, t.meals, t.dine_in, t.delivered, len(t.elders), t.price, t.subsidy, t.pay]
        )
    t = report.totals
    canteens.append(
        ["合计", t.meals, t.dine_in, t.delivered, len(t.elders), t.price, t.subsidy, t.pay]
    )
    elders = book.create_sheet("老人明细")
    elders.append(
        ["食堂", "老人", "年龄段", "供餐次数", "堂食", "送餐", "餐费", "补贴", "个人支付"]
    )
    names = {line.canteen_id: line.name for line in report.canteens}
    for row in report.elders:
        e = row.tally
        elders.append(
            [
                names.get(row.canteen_id, ""),
                row.name,
                row.age_tier,
                e.meals,
                e.dine_in,
                e.delivered,
                e.price,
                e.subsidy,
                e.pay,
            ]
        )
    for sheet, header_row, money_columns in ((canteens, 2, "FGH"), (elders, 1, "GHI")):
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for column in money_columns:
            for cell in sheet[column][header_row:]:
                cell.number_format = MONEY_FORMAT
    out = BytesIO()
    book.save(out)
    return out.getvalue()
