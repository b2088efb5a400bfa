"""Validators shared by forms, imports and services."""

import email_validator


def normalize_email(value: str) -> str:
    """Return the normalized address, or raise ValueError with a readable reason.

    Synthetic data lives under example.test, so the reserved ``test`` domain is accepted;
    no DNS look-up is made.
    """
    value = (value or "").strip()
    if not value:
        raise ValueError("an e-mail address is required")
    try:
        result = email_validator.validate_email(
            value, check_deliverability=False, test_environment=True
        )
    except email_validator.EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address ({exc})") from None
    return result.normalized.lower()
