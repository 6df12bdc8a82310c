"""Reading query text: its form, variables and prefixes, and syntax errors told plainly."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.errors import QueryError
from graph.query.terms import Term, shown

# --- reading query text ----------------------------------------------------------

_TOKENS = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<var>[?$]\w+)"
    r"|(?P<bnode>_:[\w.-]+)"
    r"|(?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<punct>\S)"
)
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_QUERY_WORDS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    """SPARQL tokens (strings, IRIs and comments kept whole), comments left out."""
    return [
        _Token(m.lastgroup or "", m.group(), m.start())
        for m in _TOKENS.finditer(text)
        if m.lastgroup != "comment"
    ]


def _after_prologue(tokens: Sequence[_Token]) -> int:
    """Index of the first token after the ``PREFIX``/``BASE`` declarations."""
    i = 0
    while (
        i < len(tokens)
        and tokens[i].kind == "word"
        and tokens[i].text.upper() in ("PREFIX", "BASE")
    ):
        i += 3 if tokens[i].text.upper() == "PREFIX" else 2
    return i


def query_form(text: str) -> str:
    """The form of a SPARQL request: SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or "" if unclear.

    >>> query_form("PREFIX ex: <http://e/#> # a comment\\nselect * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("INSERT DATA { <a:b> <a:c> <a:d> }")
    'UPDATE'
    """
    tokens = _tokens(text)
    i = _after_prologue(tokens)
    if i >= len(tokens):
        return ""
    word = tokens[i].text.upper()
    if word in _QUERY_WORDS:
        return word
    return "UPDATE" if word in _UPDATE_WORDS else ""


def query_variables(text: str) -> list[str]:
    """The variables a query mentions, in order of first appearance.

    >>> query_variables("SELECT ?a WHERE { ?a <p> $b . FILTER(?a != '?c') }")
    ['a', 'b']
    """
    seen: dict[str, None] = {}
    for token in _tokens(text):
        if token.kind == "var":
            seen.setdefault(token.text[1:], None)
    return list(seen)


def _declared_prefixes(tokens: Sequence[_Token]) -> set[str]:
    return {
        tokens[i + 1].text[:-1]
        for i in range(len(tokens) - 1)
        if tokens[i].kind == "word"
        and tokens[i].text.upper() == "PREFIX"
        and tokens[i + 1].kind == "pname"
    }


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unknown_prefix(text: str, known: Iterable[str]) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix is neither declared nor known, with its position."""
    tokens = _tokens(text)
    defined = _declared_prefixes(tokens) | set(known)
    for i, token in enumerate(tokens):
        if token.kind != "pname" or (i and tokens[i - 1].text.upper() == "PREFIX"):
            continue
        prefix = token.text.split(":", 1)[0]
        if prefix not in defined:
            return prefix, *_line_col(text, token.offset)
    return None


_ERROR_AT = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)


def _syntax_error(
    message: str, text: str, known: Iterable[str], inserted: tuple[int, int] = (0, 0)
) -> QueryError:
    """One line for a SPARQL syntax error: line and column, and what was expected.

    ``inserted`` is ``(offset, length)`` of text added to ``text`` before parsing (bound
    parameters); positions after it are mapped back.
    """
    unknown = _unknown_prefix(text, known)
    if unknown:
        prefix, line, col = unknown
        names = ", ".join(sorted(known)) or "none"
        return QueryError(
            f"unknown prefix '{prefix}:' at line {line}, column {col}; defined prefixes: {names} "
            f"(declare others with PREFIX {prefix}: <…>)"
        )
    match = _ERROR_AT.match(message)
    if not match:
        return QueryError(f"SPARQL syntax error: {_first_line(message)}")
    line, col, detail = match.groups()
    at, length = inserted
    if length and (int(line), int(col)) > _line_col(text, at):
        prepared = text[:at] + " " * length + text[at:]
        offset = sum(len(x) + 1 for x in prepared.split("\n")[: int(line) - 1]) + int(col) - 1
        line, col = (str(n) for n in _line_col(text, max(offset - length, at)))
    lines = text.split("\n")
    near = (
        lines[int(line) - 1][max(int(col) - 12, 0) : int(col) + 8].strip()
        if int(line) <= len(lines)
        else ""
    )
    near_note = f" near '{shown(near)}'" if near else ""
    return QueryError(
        f"SPARQL syntax error at line {line}, column {col}{near_note}: {_first_line(detail)}"
    )


def _first_line(message: str, limit: int = 160) -> str:
    return shown(" ".join(message[: limit * 4].split()), limit)


def _with_values(text: str, bindings: Mapping[str, Term]) -> tuple[str, tuple[int, int]]:
    """``text`` with ``VALUES`` for ``bindings`` at the start of its WHERE group.

    Returns the text and ``(offset, length)`` of what was inserted. The terms are written
    by pyoxigraph in N-Triples syntax, so a value cannot change the query's shape.

    >>> import pyoxigraph as ox
    >>> _with_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/x")})
    ('SELECT ?s WHERE { VALUES ?s { <http://e/x> } ?s ?p ?o }', (17, 27))
    """
    tokens = _tokens(text)
    i = _after_prologue(tokens)
    form = tokens[i].text.upper() if i < len(tokens) else ""
    if form in ("CONSTRUCT", "DESCRIBE"):
        while i < len(tokens) and tokens[i].text.upper() != "WHERE":
            i += 1
    while i < len(tokens) and tokens[i].text != "{":
        i += 1
    if i >= len(tokens):
        raise QueryError("cannot bind --param values in a query without a WHERE { … } group")
    values = " ".join(f"VALUES ?{name} {{ {term} }}" for name, term in bindings.items())
    at = tokens[i].offset + 1
    inserted = f" {values}"
    return f"{text[:at]}{inserted}{text[at:]}", (at, len(inserted))
