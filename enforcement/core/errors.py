"""Domain errors raised by services and turned into messages or 4xx answers by views."""


class DomainError(Exception):
    """A request the domain refuses, with a message fit for the user."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing asked for does not exist."""

    status_code = 404


class PermissionDenied(DomainError):
    """The acting user may not do this."""

    status_code = 403


class Conflict(DomainError):
    """The data changed underneath the request, or a unique value is taken."""

    status_code = 409
    default_message = "Someone else changed this at the same time. Reload and try again."


class FieldErrors(DomainError):
    """Validation failed; ``errors`` maps each field to its messages."""

    status_code = 422

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        parts = [f"{field}: {'; '.join(msgs)}" for field, msgs in errors.items()]
        super().__init__("; ".join(parts))


class ImportErrors(DomainError):
    """A file import failed; ``errors`` lists (row number, column, reason)."""

    status_code = 422

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the file; nothing was imported")
