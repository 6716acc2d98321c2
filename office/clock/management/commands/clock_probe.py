"""``manage.py clock_probe``: is the clock alive? Schedule a probe timer a few seconds ahead and wait for
it to fire (exit 0 with its lateness), or report that it did not (exit 1). For operators after a
restart, and for the run command's smoke test after killing the worker and the sweeper."""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from office.clock.models import ClockState, Timer
from office.clock.services import timer_schedule


class Command(BaseCommand):
    help = "Schedule a probe timer and wait until the clock fires it."

    def add_arguments(self, parser):
        parser.add_argument("--in", dest="delay", type=float, default=2.0, help="seconds until it is due")
        parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for it to fire")

    def handle(self, *args, delay=2.0, wait=60.0, **options):
        state, _created = ClockState.objects.get_or_create(pk=1)
        due_at = timezone.now() + timedelta(seconds=delay)
        timer = timer_schedule(subject=state, kind="clock.probe", step=int(time.time() * 1000), due_at=due_at)
        deadline = time.monotonic() + delay + wait
        while time.monotonic() < deadline:
            fired_at = Timer.objects.filter(pk=timer.pk).values_list("fired_at", flat=True).first()
            if fired_at is not None:
                late = (fired_at - due_at).total_seconds()
                self.stdout.write(f"clock probe: fired {late:.1f}s after it was due")
                return
            time.sleep(0.5)
        raise CommandError(f"clock probe: not fired {wait:g}s after it was due — the clock is not running")
