"""The ledger (台账): Excel export of a list (its filters honoured) and Excel import of items in the same
columns. An import checks every row first and writes nothing unless every row is right."""

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from office.errors import ServiceError
from office.org.models import Unit
from office.org.types import Actor

from .. import access
from ..models import Category, ItemUnit, Light, Milestone, Source, UnitRole, Urgency
from .items import item_create

COLUMNS = [
    ("number", "编号", 16),
    ("category", "类别", 10),
    ("source", "来源", 12),
    ("source_date", "来源日期", 12),
    ("source_ref", "来源文号", 18),
    ("title", "事项名称", 30),
    ("instructing_leader", "批示领导", 10),
    ("requirement", "督办要求", 40),
    ("lead_unit", "主办单位", 18),
    ("lead_person", "责任人", 10),
    ("assisting_units", "协办单位", 24),
    ("due", "办结时限", 12),
    ("urgency", "紧急程度", 8),
    ("expected_output", "预期成果", 20),
    ("milestones", "工作节点", 36),
    ("last_feedback_at", "最近反馈时间", 17),
    ("status", "状态", 8),
    ("progress", "进展情况", 40),
    ("light", "红黄绿灯", 8),
]
HEADERS = [c[1] for c in COLUMNS]
_LIGHT_LABEL = dict(Light.choices)


def _local(value, fmt):
    return timezone.localtime(value).strftime(fmt) if value else ""


def ledger_export(queryset) -> bytes:
    """The rows of ``queryset`` (a scoped, filtered item list) as an .xlsx, write-only for speed."""
    qs = queryset.select_related("lead_unit").prefetch_related(
        Prefetch(
            "assignments",
            queryset=ItemUnit.objects.filter(role=UnitRole.ASSIST).select_related("unit"),
            to_attr="assisting",
        ),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_at", "order"), to_attr="plan"),
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("督办台账")
    for i, (_key, _label, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    bold = Font(bold=True)
    header = []
    for label in HEADERS:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    categories, sources, statuses, urgencies = (
        dict(Category.choices),
        dict(Source.choices),
        dict(qs.model._meta.get_field("status").choices),
        dict(Urgency.choices),
    )
    for item in qs.iterator(chunk_size=2000):
        ws.append(
            [
                item.number,
                str(categories.get(item.category, item.category)),
                str(sources.get(item.source, item.source)),
                item.source_date.isoformat() if item.source_date else "",
                item.source_ref,
                item.title,
                item.instructing_leader,
                item.requirement,
                item.lead_unit.name if item.lead_unit_id else "",
                item.lead_person,
                "、".join(a.unit.name for a in item.assisting),
                _local(item.due_at, "%Y-%m-%d"),
                str(urgencies.get(item.urgency, item.urgency)),
                item.expected_output,
                "\n".join(f"{_local(m.due_at, '%Y-%m-%d')} {m.title}" for m in item.plan),
                _local(item.last_feedback_at, "%Y-%m-%d %H:%M"),
                str(statuses.get(item.status, item.status)),
                item.progress,
                str(_LIGHT_LABEL.get(getattr(item, "light", ""), "")),
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class ImportResult:
    items: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, column label, message)

    @property
    def ok(self) -> bool:
        return not self.errors


class LedgerImportError(ServiceError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def _parse_row(row: dict, units: dict, rownum: int, errors: list) -> dict | None:
    by_label = {
        "category": {str(v): k for k, v in Category.choices},
        "source": {str(v): k for k, v in Source.choices},
        "urgency": {str(v): k for k, v in Urgency.choices},
    }
    before = len(errors)

    def err(col, msg):
        errors.append((rownum, col, msg))

    out: dict[str, Any] = {}
    for key, label in (("title", "事项名称"), ("requirement", "督办要求")):
        out[key] = _text(row.get(label))
        if not out[key]:
            err(label, _("不能为空"))
    if len(out["title"]) > 200:
        err("事项名称", _("不能超过200字"))
    for key, label in (("category", "类别"), ("source", "来源"), ("urgency", "紧急程度")):
        text = _text(row.get(label))
        if key == "urgency" and not text:
            out[key] = Urgency.NORMAL
            continue
        if text not in by_label[key]:
            err(
                label,
                _("“{text}”不是有效的{label}（可选：{choices}）").format(
                    text=text, label=label, choices="、".join(by_label[key])
                ),
            )
        out[key] = by_label[key].get(text)
    for key, label in (("source_date", "来源日期"), ("due", "办结时限")):
        try:
            out[key] = _date(row.get(label))
        except ValueError:
            err(label, _("日期格式应为 2026-03-20"))
    lead = _text(row.get("主办单位"))
    out["lead_unit"] = units.get(lead)
    if out["lead_unit"] is None:
        err("主办单位", _("找不到单位“{lead}”").format(lead=lead) if lead else _("不能为空"))
    out["assisting_units"] = []
    for name in filter(None, (n.strip() for n in _text(row.get("协办单位")).replace(",", "、").split("、"))):
        if name not in units:
            err("协办单位", _("找不到单位“{name}”").format(name=name))
        else:
            out["assisting_units"].append(units[name])
    out["milestones"] = []
    for line in _text(row.get("工作节点")).splitlines():
        line = line.strip()
        if not line:
            continue
        date_text, _sep, title = line.partition(" ")
        try:
            out["milestones"].append((title.strip() or "节点", dt.date.fromisoformat(date_text)))
        except ValueError:
            err("工作节点", _("“{line}”应为“日期 节点名称”").format(line=line))
    for key, label in (
        ("source_ref", "来源文号"),
        ("instructing_leader", "批示领导"),
        ("lead_person", "责任人"),
        ("expected_output", "预期成果"),
    ):
        out[key] = _text(row.get(label))
    return out if len(errors) == before else None


def ledger_import(*, actor: Actor, fileobj) -> ImportResult:
    """Register every row as a draft item — or none: any bad row is reported and nothing is written."""
    access.item_access_for_action(actor=actor, item=None, action="import")
    result = ImportResult()
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:
        result.errors.append((0, "", _("无法读取文件，请上传 .xlsx 格式的台账。")))
        return result
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [(_text(h)) for h in next(rows, ())]
    missing = [h for h in ("事项名称", "督办要求", "类别", "来源", "主办单位") if h not in header]
    if missing:
        result.errors.append((1, "", _("缺少列：{missing}").format(missing="、".join(missing))))
        return result
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    parsed = []
    for rownum, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = dict(zip(header, values, strict=False))
        data = _parse_row(row, units, rownum, result.errors)
        if data is not None:
            parsed.append((rownum, data))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for rownum, data in parsed:
                try:
                    result.items.append(item_create(actor=actor, **data))
                except ServiceError as exc:
                    result.errors.append((rownum, "", exc.message))
                except ValidationError as exc:
                    result.errors.append((rownum, "", "；".join(exc.messages)))
            if result.errors:
                raise LedgerImportError("rollback")
    except LedgerImportError:
        result.items = []
    return result
