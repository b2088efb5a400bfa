"""Notices sent by the hotline and the monitor's measurements of them."""
