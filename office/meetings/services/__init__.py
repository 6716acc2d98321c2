"""Every write of 办会, split by concern: meetings (create, edit, cancel, room booking), notices and
receipts, the checklist, sign-in, incidents, minutes and the seating plan."""
