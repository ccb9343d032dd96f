"""Headless analytics: KPIs, drill-down and forecasts over pandas DataFrames (no Textual)."""
