"""Dispatch: issued letters and orders go out by e-mail from an outbox; the moment the
recipient's server accepts one is recorded, and the terms it starts count from then."""
