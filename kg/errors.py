"""Errors a user can act on: each names the file, line or field that is wrong."""
from __future__ import annotations


def _printable(text: str) -> str:
    """Escape control characters, so a hostile file name cannot break or fake a message line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


class KgError(Exception):
    """Base for every error the CLI reports as one paragraph and exit code 2."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.source:
            source = _printable(self.source)
            where.append(f"{source}:{self.line}" if self.line else source)
        if self.field:
            where.append(f"field '{_printable(self.field)}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InputError(KgError):
    """An article, annotation or parameter that cannot be used as given."""


class ValidationError(KgError):
    """The graph violates the SHACL shapes."""


class QueryError(KgError):
    """A SPARQL query that does not parse or cannot run."""


class StoreError(KgError):
    """A store that cannot be opened or written."""
