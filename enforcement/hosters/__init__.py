"""Hosters."""
