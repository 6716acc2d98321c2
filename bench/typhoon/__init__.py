"""The typhoon night scenario (issue 16): the production-like layout started on loopback, a surge of
urgent reports from townships' systems, staff watching the board, duty officers reporting upward, and
faults at fixed moments. ``bench/typhoon.py`` drives it with Locust; ``tests/clock/test_typhoon.py``
runs a short version of the same scenario without Locust.

- ``stack``: start and stop the processes (gunicorn, Celery workers, beat, the clock sweeper), the
  database of the run and the broker's Redis database.
- ``world``: the people, units, API keys and roster of the run.
- ``scenario``: what a township's system sends (the arrival curve, first report, follow-ups, final,
  attachments), the ledger of acknowledged items, the clock monitor and the final accounting (lost items,
  alarms late / missed / doubled, both for the office clock and for the naive Celery countdown).
- ``naive``: the naive alarm — one Celery ETA task per alarm, no database sweep — for comparison.
- ``locustfile``: the Locust users (township systems, staff sessions, duty officers).
"""
