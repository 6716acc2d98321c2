"""Signals other parts of the office listen to (the post risk review counts meeting incidents).

``meeting_incident_recorded`` is sent (after the commit) with ``incident=`` a
``office.meetings.models.MeetingIncident`` that has at least: ``meeting`` (its ``title``, ``starts_at``,
``kind``), ``category`` (a ``IncidentCategory`` value: "equipment", "notice", "seating", "service",
"other"), ``started_at``, ``ended_at`` (or None), ``minutes_lost`` (int), ``description``, ``action_taken``,
``reported_by`` (a user).
"""

from django.dispatch import Signal

meeting_incident_recorded = Signal()
