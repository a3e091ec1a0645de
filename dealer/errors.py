"""Domain errors raised by operations; views and the API turn them into answers."""

from collections.abc import Iterable


class DomainError(Exception):
    """Bad input for an operation, carrying ``(field, message)`` pairs (422)."""

    status = 422

    def __init__(self, errors: Iterable[tuple[str, str]] | str, field: str = ""):
        if not isinstance(errors, (list, tuple)):
            errors = [(field, errors)]
        self.errors = list(errors)
        super().__init__("; ".join(str(message) for _, message in self.errors))

    def by_field(self) -> dict[str, list[str]]:
        """Group the messages under their field names."""
        grouped: dict[str, list[str]] = {}
        for field, message in self.errors:
            grouped.setdefault(field or "_", []).append(str(message))
        return grouped


class RuleBroken(DomainError):
    """A rule of the lifecycle or of a record's state forbids the change (409)."""

    status = 409


class Forbidden(DomainError):
    """The actor's roles do not allow the operation (403)."""

    status = 403


class NotFound(DomainError):
    """The record does not exist or is out of the actor's reach (404)."""

    status = 404
