"""PlanKPI: plan texts -> tasks, targets and progress -> KPI marts -> dashboard."""
