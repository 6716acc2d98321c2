"""Reads of the duty room, split by sub-domain, each scoped by the user who asks."""
