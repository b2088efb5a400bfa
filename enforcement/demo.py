"""Synthetic demo data."""

import click


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Add synthetic demo users and hosters (placeholder)."""
