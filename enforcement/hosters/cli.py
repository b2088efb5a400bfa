"""Hoster commands."""

from flask.cli import AppGroup

hosters_cli = AppGroup("hosters", help="The registry of supervised hosting companies.")
