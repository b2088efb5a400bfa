"""Shared, domain-free building blocks: time, errors, database types, web helpers."""
