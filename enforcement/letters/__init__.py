"""Formal letters: templates, rendering to PDF/A, the register of issued letters."""
