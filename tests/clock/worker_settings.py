"""Settings of the real Celery workers started by the reliability tests: the project's settings with
short leases and grace periods, so recovery after a SIGKILL is observable in seconds, not minutes."""

from office.settings import *  # noqa: F403

OFFICE_NOTIFY_LEASE_SECONDS = 4
OFFICE_NOTIFY_SWEEP_GRACE_SECONDS = 1
OFFICE_NOTIFY_SWEEP_SECONDS = 2
