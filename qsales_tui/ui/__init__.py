"""The Textual app: screens render and dispatch; the numbers come from services."""
