"""Screens. A module with a ``NAV`` entry becomes a main screen (see ``ui/nav.py``)."""
