"""The PlanKPI dashboard (Plotly Dash). Reads only the published snapshot, read-only."""
