"""The roster as an Excel sheet (openpyxl): exported for printing and editing, imported back into a draft."""

import io
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from office.audit.services import audit_record
from office.org.types import Actor

from . import access
from .errors import DutyError
from .models import Roster, RosterStatus, Shift
from .selectors.roster import roster_shifts
from .services.roster import user_by_label

HEADERS = [
    "日期",
    "星期",
    "班次",
    "开始",
    "结束",
    "节假日",
    "带班领导",
    "主班",
    "副班",
    "带班领导电话",
    "主班电话",
    "副班电话",
    "编号",
]
WEEKDAYS = "一二三四五六日"


def _name(user) -> str:
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    return staff.name if staff else user.get_username()


def _phone(user) -> str:
    staff = getattr(user, "staff", None) if user else None
    return staff.phone if staff else ""


def roster_export(roster: Roster) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{roster.year}年{roster.month}月"
    ws.append([f"{roster.year}年{roster.month}月值班表（{roster.get_status_display()}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F5")
    for s in roster_shifts(roster):
        start, end = timezone.localtime(s.starts_at), timezone.localtime(s.ends_at)
        ws.append(
            [
                s.day.isoformat(),
                "星期" + WEEKDAYS[s.day.weekday()],
                s.slot + 1,
                start.strftime("%Y-%m-%d %H:%M"),
                end.strftime("%Y-%m-%d %H:%M"),
                "是" if s.is_holiday else "",
                _name(s.leader),
                _name(s.main_officer),
                _name(s.deputy_officer),
                _phone(s.leader),
                _phone(s.main_officer),
                _phone(s.deputy_officer),
                s.pk,
            ]
        )
    for col, width in zip("ABCDEFGHIJKLM", (12, 8, 6, 18, 18, 8, 12, 12, 12, 14, 14, 14, 8), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(horizontal="center")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@transaction.atomic
def roster_import(*, actor: Actor, roster: Roster, file) -> int:
    """Apply an edited export to a draft roster: shifts matched by their number (编号) column.

    Every row is checked before anything is written; one bad row rejects the whole file.
    """
    access.roster_access_for_action(actor=actor, roster=roster, action="import")
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.status != RosterStatus.DRAFT:
        raise DutyError(_("值班表已发布，不能导入。"))
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise DutyError(
            _("无法读取该文件，请上传由本系统导出的 Excel 值班表（.xlsx）。"), code="invalid"
        ) from None
    ws = wb.active
    shifts = {s.pk: s for s in roster.shifts.all()}
    found: dict = {}

    def _lookup(label: str):
        if label not in found:
            found[label] = user_by_label(label)
        return found[label]

    changes = []
    errors = []
    for n, row in enumerate(ws.iter_rows(min_row=3, values_only=True), start=3):
        if not row or all(v in (None, "") for v in row):
            continue
        row = list(row) + [None] * (len(HEADERS) - len(row))
        try:
            shift = shifts.get(int(row[12]))
        except (TypeError, ValueError):
            shift = None
        if shift is None:
            errors.append(_("第{n}行：编号不属于本月值班表").format(n=n))
            continue
        try:
            people = [_lookup(str(v or "")) for v in row[6:9]]
        except DutyError as exc:
            errors.append(_("第{n}行：{message}").format(n=n, message=exc.message))
            continue
        if people[1] is not None and people[2] is not None and people[1].pk == people[2].pk:
            errors.append(_("第{n}行：主班和副班不能是同一人").format(n=n))
            continue
        changes.append((shift, people))
    if errors:
        raise DutyError(_("导入失败：") + "；".join(errors[:10]), code="invalid")
    changed = 0
    for shift, (leader, main, deputy) in changes:
        if (shift.leader_id, shift.main_officer_id, shift.deputy_officer_id) == (
            getattr(leader, "pk", None),
            getattr(main, "pk", None),
            getattr(deputy, "pk", None),
        ):
            continue
        shift.leader, shift.main_officer, shift.deputy_officer = leader, main, deputy
        shift.version += 1
        changed += 1
    Shift.objects.bulk_update(
        [s for s, _p in changes], ["leader", "main_officer", "deputy_officer", "version"]
    )
    roster.version += 1
    roster.save(update_fields=["version"])
    audit_record(
        actor=actor,
        verb="duty.roster_imported",
        subject=roster,
        data={"changed": changed, "at": datetime.now().isoformat()},
    )
    return changed
