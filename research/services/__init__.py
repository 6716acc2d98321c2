"""政研's writes: calls and proposals, the plan, topics and milestones, records, outputs and adoptions."""
