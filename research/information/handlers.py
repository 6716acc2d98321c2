"""Clock wiring of 信息报送: a stage's deadline passed. Runs inside the tick's transaction; idempotent
(a stage already ended or already late does nothing; notify dedupes on subject, step and recipient)."""

from office.clock.registry import timer_handler

from .models import InfoReport
from .services.timeliness import TIMER_KIND, stage_mark_late, timer_step


@timer_handler(TIMER_KIND)
def stage_late(timer) -> None:
    report = (
        InfoReport.objects.select_for_update()
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
