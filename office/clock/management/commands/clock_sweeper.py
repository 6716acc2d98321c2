"""``manage.py clock_sweeper``: the office clock's loop (see office/clock/services/sweeper.py)."""

import signal
import threading

from django.core.management.base import BaseCommand

from office.clock import conf
from office.clock.services.sweeper import clock_sweep_forever, clock_sweep_once


class Command(BaseCommand):
    help = "Fire due timers every OFFICE_CLOCK_TICK_SECONDS until stopped (SIGTERM/SIGINT)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="sweep once and exit")
        parser.add_argument("--interval", type=float, default=None, help="seconds between sweeps")

    def handle(self, *args, once=False, interval=None, **options):
        if once:
            fired = clock_sweep_once()
            self.stdout.write(f"clock sweep: {fired} fired")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        every = interval if interval is not None else conf.tick_seconds()
        self.stdout.write(f"clock sweeper: sweeping every {every:g}s", ending="\n")
        self.stdout.flush()
        sweeps = clock_sweep_forever(stop=stop, interval=every)
        self.stdout.write(f"clock sweeper: stopped after {sweeps} sweeps")
