"""Clock wiring of 信息报送: a stage's deadline passed. Runs inside the tick's transaction; idempotent
(a stage already ended or already late does nothing; notify dedupes on subject, step and recipient)."""

from office.clock.registry import timer_handler

from .models import InfoReport
from .services.ranking import bucket_lock
from .services.timeliness import TIMER_KIND, stage_mark_late, timer_step


@timer_handler(TIMER_KIND)
def stage_late(timer) -> None:
    # the ranking's row before the report's (services.ranking): marking a stage late may change a count
    bucket_lock(InfoReport.objects.filter(pk=timer.subject_id).only("unit_id", "submitted_at"))
    report = (
        # the report's row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins
        # (the unit's head, the author), and the timer failed there on every attempt
        InfoReport.objects.select_for_update(of=("self",))
        .select_related("unit", "unit__head", "author")
        .filter(pk=timer.subject_id)
        .first()
    )
    if report is None:
        return
    stage = int((timer.data or {}).get("stage", timer.step % 10))
    if timer_step(report, stage) != timer.step:
        return  # a timer of a pass before a return: that pass is over
    stage_mark_late(report=report, stage=stage)
