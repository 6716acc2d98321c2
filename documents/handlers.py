"""Clock handlers of the documents app: a review step's deadline (idempotent: a step acted on, returned
or delegated does nothing; the reminder is written once per step)."""

from office.clock.registry import timer_handler

from .services.chain import STEP_DUE, step_deadline_passed


@timer_handler(STEP_DUE)
def step_due(timer) -> None:
    step_deadline_passed(int(timer.subject_id))
