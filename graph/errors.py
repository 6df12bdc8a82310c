"""Named errors the library raises; only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class NekgError(Exception):
    """Base of every error nekg reports to a user as one line."""


class InputError(NekgError):
    """An input file cannot be read as an article (encoding, binary, empty, bad JSON)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class AliasTableError(NekgError):
    """The curated alias table has a broken row."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")


class GraphError(NekgError):
    """A graph cannot be read, validated or written."""


class QueryError(NekgError):
    """A SPARQL query is malformed, unknown or not allowed."""
