import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from supervision.models import SupervisionItem
from supervision.selectors import item_list_for_user
from supervision.services.ledger import HEADERS, ledger_export, ledger_import

from .factories import make_item

pytestmark = pytest.mark.django_db


def _rows(data: bytes):
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _compare(row):
    skip = {HEADERS.index("编号")}
    return [v for i, v in enumerate(row) if i not in skip]


def test_export_then_import_round_trip(clock, director, unit_a, unit_b):
    make_item(
        actor=director,
        lead_unit=unit_a,
        assisting_units=[unit_b],
        due=dt.date(2026, 4, 30),
        milestones=[("完成方案", dt.date(2026, 3, 20)), ("开工", dt.date(2026, 4, 10))],
    )
    make_item(actor=director, lead_unit=unit_b, title="第二项", due=dt.date(2026, 5, 15))
    exported = _rows(ledger_export(item_list_for_user(user=director)))
    assert exported[0] == HEADERS
    result = ledger_import(
        actor=director, fileobj=io.BytesIO(ledger_export(item_list_for_user(user=director)))
    )
    assert result.ok, result.errors
    assert len(result.items) == 2 and SupervisionItem.objects.count() == 4
    new_ids = [i.pk for i in result.items]
    again = _rows(ledger_export(item_list_for_user(user=director).filter(pk__in=new_ids)))
    assert sorted(map(_compare, again[1:]), key=str) == sorted(map(_compare, exported[1:]), key=str)


def test_import_with_a_bad_row_changes_nothing(clock, director, unit_a):
    make_item(actor=director, lead_unit=unit_a)
    data = ledger_export(item_list_for_user(user=director))
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    good = [c.value for c in ws[2]]
    ws.append(good)
    bad = list(good)
    bad[HEADERS.index("主办单位")] = "不存在的单位"
    bad[HEADERS.index("办结时限")] = "下个月"
    ws.append(bad)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    before = SupervisionItem.objects.count()
    result = ledger_import(actor=director, fileobj=buf)
    assert not result.ok
    assert {(r, c) for r, c, _m in result.errors} == {(4, "主办单位"), (4, "办结时限")}
    assert SupervisionItem.objects.count() == before


def test_export_honours_scope_and_filters(client, clock, director, unit_a, unit_b, user_a):
    make_item(actor=director, lead_unit=unit_a, issue=True, title="甲的")
    make_item(actor=director, lead_unit=unit_b, issue=True, title="乙的")
    make_item(actor=director, lead_unit=unit_a, issue=True, title="甲的城建", category="urban")
    client.force_login(user_a)
    titles = [r[HEADERS.index("事项名称")] for r in _rows(client.get("/supervision/export.xlsx").content)[1:]]
    assert sorted(titles) == ["甲的", "甲的城建"]
    resp = client.get("/supervision/export.xlsx?category=urban")
    titles = [r[HEADERS.index("事项名称")] for r in _rows(resp.content)[1:]]
    assert titles == ["甲的城建"]


def test_import_page_reports_row_errors(client, clock, director):
    client.force_login(director)
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["", "招商引资", "常委会", "", "", "", "", "要求", "无此单位"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "ledger.xlsx"
    resp = client.post("/supervision/import/", {"file": buf})
    body = resp.content.decode()
    assert resp.status_code == 200 and "事项名称" in body and "无此单位" in body
