"""Headless writers of what the KPI engine computes: the quarter report (Markdown,
JSON, HTML with inline SVG charts) and table exports (CSV, XLSX, JSON)."""
