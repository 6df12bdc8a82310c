"""Named errors the library raises; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from graph.display import shown


class NekgError(Exception):
    """Base of every error nekg reports to a user as one line."""


class InputError(NekgError):
    """An input file (or one line of it) cannot be read as an article.

    The message is ``FILE: reason`` or ``FILE:LINE: reason``, the name shown escaped.
    """

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = shown(path) if line is None else f"{shown(path)}:{line}"
        super().__init__(f"{where}: {reason}")


class AliasTableError(NekgError):
    """The curated alias table has a broken row."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{shown(path)}:{line}: {reason}")


class GraphError(NekgError):
    """A graph cannot be read, validated or written."""


class QueryError(NekgError):
    """A SPARQL query is malformed, unknown or not allowed."""
