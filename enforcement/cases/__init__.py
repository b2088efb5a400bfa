"""Enforcement cases: one per hoster under enforcement, climbing the ladder of sanctions."""
