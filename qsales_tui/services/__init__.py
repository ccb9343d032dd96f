"""Services: plain functions and classes the screens and commands call; no Textual here."""
