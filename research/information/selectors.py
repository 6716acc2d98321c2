"""Every read of 信息报送, scoped by the access module; the ranking summed in the database from the monthly
summary the services keep (``services.ranking``)."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce

from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from documents.diff import side_by_side
from office.errors import not_found
from office.files.registry import ProtectedFile
from office.org.types import Actor

from . import access, conf
from .models import (
    ADOPTION_LEVELS,
    Adoption,
    AdoptionKind,
    BulletinIssue,
    InfoAttachment,
    InfoReport,
    InfoStatus,
    RankingMonth,
)


def report_list_for_user(
    *, user: Actor, status: str = "", unit_id: int | None = None
) -> QuerySet[InfoReport]:
    qs = access.report_scope(actor=user, qs=InfoReport.objects.select_related("unit", "issue"))
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-created_at", "-pk")


def report_get_for_user(*, user: Actor, id) -> InfoReport:
    try:
        pk = int(id)
    except (TypeError, ValueError):
        raise not_found() from None
    qs = access.report_scope(
        actor=user,
        qs=InfoReport.objects.select_related("unit", "unit__head", "urgent_report", "issue", "author"),
    )
    report = qs.filter(pk=pk).first()
    if report is None:
        raise not_found()
    return report


def inbox_for_user(*, user: Actor) -> dict[str, QuerySet[InfoReport]]:
    """The information section's work: to receive, being edited, approved and waiting to go out."""
    qs = report_list_for_user(user=user).order_by("submit_due_at", "pk")
    return {
        "submitted": qs.filter(status=InfoStatus.SUBMITTED),
        "received": qs.filter(status=InfoStatus.RECEIVED),
        "pending": qs.filter(status=InfoStatus.PENDING_APPROVAL),
        "approved": qs.filter(status=InfoStatus.APPROVED),
    }


def approvals_for_user(*, user: Actor) -> QuerySet[InfoReport]:
    return report_list_for_user(user=user, status=InfoStatus.PENDING_APPROVAL).order_by(
        "approve_due_at", "pk"
    )


def versions_with_diff(report: InfoReport) -> list[dict]:
    """Each version with its editor and time, and the diff from the version before it."""
    versions = list(report.versions.select_related("editor").order_by("number"))
    out = []
    for i, v in enumerate(versions):
        prev = versions[i - 1] if i else None
        out.append(
            {
                "v": v,
                "diff": side_by_side(prev.text, v.text) if prev else [],
                "title_changed": bool(prev and prev.title != v.title),
                "prev": prev,
            }
        )
    return out


def attachment_file(*, actor: Actor, pk) -> ProtectedFile:
    att = InfoAttachment.objects.select_related("report", "report__unit").filter(pk=pk).first()
    if att is None:
        raise not_found()
    try:
        access.report_access_for_action(actor=actor, report=att.report, action="attachment")
    except Exception:
        raise not_found() from None
    return ProtectedFile(file=att.file, name=att.name, subject=att.report)


def bulletin_list(*, user: Actor) -> QuerySet[BulletinIssue]:
    if not access.can_view_office_papers(user):
        return BulletinIssue.objects.none()
    return BulletinIssue.objects.annotate(n=Count("reports"))


def bulletin_get(*, user: Actor, id) -> BulletinIssue:
    issue = bulletin_list(user=user).filter(pk=id).first()
    if issue is None:
        raise not_found()
    return issue


def bulletin_candidates(*, user: Actor) -> QuerySet[InfoReport]:
    return report_list_for_user(user=user, status=InfoStatus.APPROVED).filter(outlet__in=["special", "daily"])


# --- the ranking ---------------------------------------------------------------------------------

PERIODS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # month 1–12, quarter 1–4; 0 for a year

    @property
    def start(self) -> datetime:
        month = {"month": self.number, "quarter": (self.number - 1) * 3 + 1}.get(self.kind, 1)
        return timezone.make_aware(datetime(self.year, month, 1))

    @property
    def end(self) -> datetime:
        if self.kind == "year":
            return timezone.make_aware(datetime(self.year + 1, 1, 1))
        last = self.number if self.kind == "month" else self.number * 3
        return timezone.make_aware(datetime(self.year + (last == 12), last % 12 + 1, 1))

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年"


def period_parse(kind: str | None, year, number) -> Period:
    """A period from the query (month, quarter or year; this one by default); nonsense falls back to
    the current year."""
    today = timezone.localdate()
    kind = kind if kind in PERIODS else "year"
    try:
        year = int(year) if year else today.year
    except (TypeError, ValueError):
        year = today.year
    if not 2000 <= year <= 2100:
        year = today.year
    try:
        number = int(number) if number else 0
    except (TypeError, ValueError):
        number = 0
    if kind == "month":
        number = number if 1 <= number <= 12 else today.month
    elif kind == "quarter":
        number = number if 1 <= number <= 4 else (today.month - 1) // 3 + 1
    else:
        number = 0
    return Period(kind, year, number)


@dataclass
class RankRow:
    key: int | None
    name: str
    unit: str
    submitted: int
    adopted: int
    instructions: int
    score: int
    late: int  # stages past their limit (the unit's own: submission)
    rank: int = 0

    @property
    def rate(self) -> float:
        return self.adopted / self.submitted if self.submitted else 0.0

    @property
    def rate_label(self) -> str:
        return f"{self.rate * 100:.1f}%"


def points_expression():
    """The points of an adoption row, from the settings, as a database expression."""
    return Case(
        *[When(kind=k, then=Value(conf.points(k))) for k in AdoptionKind.values],
        default=Value(0),
        output_field=IntegerField(),
    )


def _rank(rows: list[RankRow]) -> list[RankRow]:
    """Equal score, equal rank; the next rank skips (1, 1, 3)."""
    rows.sort(key=lambda r: (-r.score, -r.adopted, r.name))
    previous, rank = None, 0
    for i, row in enumerate(rows, 1):
        if row.score != previous:
            rank, previous = i, row.score
        row.rank = rank
    return rows


def ranking(*, period: Period, by: str = "unit") -> list[RankRow]:
    """Per unit (or per author): reports submitted in the period (报送数), how many of them were adopted
    at any level (采用数), instructions (批示数) and the points (得分), summed in the database. A report
    counts in the period of its submission; so do its adoptions and instructions, whenever they come.

    Per unit: one query on the monthly summary (``RankingMonth``, kept by the services), whatever the
    number of reports — at most twelve rows a unit for a year. Per author: two queries on the reports."""
    if by == "author":
        return ranking_from_reports(period=period, by="author")
    rows = [
        RankRow(
            key=s["unit_id"],
            name=s["unit__name"] or "—",
            unit=s["unit__name"],
            submitted=s["n"],
            adopted=s["n_adopted"] or 0,
            instructions=s["n_instructions"] or 0,
            score=s["score"] or 0,
            late=s["late"] or 0,
        )
        for s in _summary(period)
        .values("unit_id", "unit__name")
        .annotate(
            n=Sum("submitted"),
            late=Sum("submit_late"),
            n_adopted=Sum("adopted"),
            n_instructions=Sum(AdoptionKind.INSTRUCTION.value),
            score=Sum(summary_points_expression()),
        )
        .filter(n__gt=0)
        .order_by()
    ]
    return _rank(rows)


def _summary(period: Period) -> QuerySet[RankingMonth]:
    """The summary's rows of the period (every period is whole months)."""
    return RankingMonth.objects.filter(
        month__gte=timezone.localtime(period.start).date(), month__lt=timezone.localtime(period.end).date()
    )


def summary_points_expression():
    """The points of a summary row, from the settings: each kind's count times its points."""
    terms = [F(kind) * Value(conf.points(kind)) for kind in AdoptionKind.values]
    return ExpressionWrapper(reduce(operator.add, terms), output_field=IntegerField())


def ranking_from_reports(*, period: Period, by: str) -> list[RankRow]:
    """The ranking counted from the reports and adoptions themselves (two queries): per author, and what
    the summary's ranking must equal."""
    reports = InfoReport.objects.filter(submitted_at__gte=period.start, submitted_at__lt=period.end)
    # the adoptions are grouped by the report's unit (or author) id alone: no join to the units there
    if by == "author":
        group: tuple[str, ...] = ("author_id", "author_name", "unit__name")
        adoption_group: tuple[str, ...] = ("report__author_id", "report__author_name")
    else:
        group = ("unit_id", "unit__name")
        adoption_group = ("report__unit_id",)
    submitted = reports.values(*group).annotate(n=Count("pk"), late=Count("pk", filter=Q(submit_late=True)))
    adoptions = (
        Adoption.objects.filter(report__submitted_at__gte=period.start, report__submitted_at__lt=period.end)
        .values(*adoption_group)
        .annotate(
            adopted=Count("report", distinct=True, filter=Q(kind__in=ADOPTION_LEVELS)),
            instructions=Count("pk", filter=Q(kind=AdoptionKind.INSTRUCTION)),
            score=Sum(points_expression()),
        )
    )
    scores = {tuple(a[k] for k in adoption_group): a for a in adoptions}
    rows = []
    for s in submitted:
        key = (s["author_id"], s["author_name"]) if by == "author" else (s["unit_id"],)
        a = scores.get(key, {})
        rows.append(
            RankRow(
                key=s[group[0]],
                name=s[group[1]] or "—",
                unit=s["unit__name"],
                submitted=s["n"],
                adopted=a.get("adopted", 0) or 0,
                instructions=a.get("instructions", 0) or 0,
                score=a.get("score", 0) or 0,
                late=s["late"],
            )
        )
    return _rank(rows)


def ranking_for_user(*, user: Actor, period: Period, by: str = "unit") -> list[RankRow]:
    """The office's staff: every row. An external unit (user or key): its own unit's row only, with its
    rank among all; never another unit's numbers."""
    rows = ranking(period=period, by="unit" if not access.can_view_office_papers(user) else by)
    if access.can_view_office_papers(user):
        return rows
    unit = access.actor_unit(user)
    if unit is None:
        return []
    return [r for r in rows if r.key == unit.pk]


def unit_timeliness(*, unit, period: Period) -> dict:
    """A unit's timeliness in the period: reports submitted, how many late at each stage."""
    qs = InfoReport.objects.filter(unit=unit, submitted_at__gte=period.start, submitted_at__lt=period.end)
    return qs.aggregate(
        submitted=Count("pk"),
        submit_late=Count("pk", filter=Q(submit_late=True)),
        edit_late=Count("pk", filter=Q(edit_late=True)),
        approve_late=Count("pk", filter=Q(approve_late=True)),
        send_late=Count("pk", filter=Q(send_late=True)),
    )


TIMELINESS_FIELDS = ("submitted", "submit_late", "edit_late", "approve_late", "send_late")


def timeliness_table(*, period: Period) -> list[dict]:
    """Per unit: submitted and late at each stage (one query, on the monthly summary), the most late at
    the unit's own stage first."""
    rows = (
        _summary(period)
        .values("unit_id", "unit__name")
        .annotate(
            sum_submitted=Sum("submitted"),
            sum_submit_late=Sum("submit_late"),
            sum_edit_late=Sum("edit_late"),
            sum_approve_late=Sum("approve_late"),
            sum_send_late=Sum("send_late"),
        )
        .filter(sum_submitted__gt=0)
        .order_by("-sum_submit_late", "unit__name")
    )
    return [
        {
            "unit_id": r["unit_id"],
            "unit__name": r["unit__name"],
            **{name: r[f"sum_{name}"] or 0 for name in TIMELINESS_FIELDS},
        }
        for r in rows
    ]


def timeliness_from_reports(*, period: Period) -> list[dict]:
    """The same table counted from the reports themselves: what the summary's must equal."""
    return list(
        InfoReport.objects.filter(submitted_at__gte=period.start, submitted_at__lt=period.end)
        .values("unit_id", "unit__name")
        .annotate(
            submitted=Count("pk"),
            submit_late=Count("pk", filter=Q(submit_late=True)),
            edit_late=Count("pk", filter=Q(edit_late=True)),
            approve_late=Count("pk", filter=Q(approve_late=True)),
            send_late=Count("pk", filter=Q(send_late=True)),
        )
        .order_by("-submit_late", "unit__name")
    )


def month_period(d: date | None = None) -> Period:
    d = d or timezone.localdate()
    return Period("month", d.year, d.month)
