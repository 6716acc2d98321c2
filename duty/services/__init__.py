"""Writes of the duty room, split by sub-domain: roster, handover, logs (duty log and phone
records), reports (urgent reports) and alerts (what the timers raise)."""
