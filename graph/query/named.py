"""Named queries: the library in graph/queries/*.rq, each with its # @param header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from graph.errors import QueryError
from graph.query.guards import decode_query, read_query_file
from graph.query.terms import shown

# --- named queries -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    """A declared parameter of a named query.

    ``kind`` is ``entity`` (an IRI, or a name resolved through the labels, of ``type`` when
    given), ``class`` (a nekg class such as ``Company``), ``iri``, ``string`` or ``integer``.
    """

    name: str
    kind: str = "entity"
    type: str = ""
    optional: bool = False
    help: str = ""

    def usage(self) -> str:
        """``place`` for a required parameter, ``[type]`` for an optional one."""
        return f"[{self.name}]" if self.optional else self.name


_PARAM = re.compile(
    r"#\s*@param\s+(\w+)(\??)\s+(entity|class|iri|string|integer)(?::(\w+))?\s*(.*)"
)
_PARAM_KINDS_HELP = "entity[:Type], class, iri, string or integer"


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query shipped in ``graph/queries/NAME.rq``."""

    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the ``# description`` line and the ``# @param`` lines of a named query.

    >>> q = parse_header("q", "# Things.\\n# @param place? entity:Place  where\\nSELECT ?place {}")
    >>> q.description, q.params[0]
    ('Things.', Param(name='place', kind='entity', type='Place', optional=True, help='where'))
    """
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#") or lines[0].lstrip("# ").startswith("@param"):
        raise QueryError(f"named query {name}: the first line must be a '# description' comment")
    params = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        if "@param" in line:
            match = _PARAM.match(line)
            if not match:
                raise QueryError(
                    f"named query {name}: cannot read '{shown(line.strip())}'; "
                    f"write '# @param NAME[?] KIND  help' with KIND one of {_PARAM_KINDS_HELP}"
                )
            pname, optional, kind, type_, help_ = match.groups()
            params.append(Param(pname, kind, type_ or "", bool(optional), help_.strip()))
    return NamedQuery(name, lines[0].lstrip("#").strip(), text, tuple(params))


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped with the package, by name, sorted."""
    folder = resources.files("graph") / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            found[name] = parse_header(name, entry.read_text(encoding="utf-8"))
    return found


def named_query(name: str) -> NamedQuery:
    """The named query ``name``; the error lists the names there are."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(
            f"no named query '{name}'; there are: {', '.join(queries)}. Run `nekg queries` to list them."
        )
    return queries[name]


def looks_like_name(text: str) -> bool:
    """True for ``companies-in``, false for SPARQL text."""
    return bool(re.fullmatch(r"[a-z][a-z0-9_-]*", text))


def request(
    query: str | None, file_text: str | None = None, *, stdin: str | bytes | None = None
) -> tuple[str, NamedQuery | None]:
    """The SPARQL text to run and, for a named query, its declaration.

    ``query`` is SPARQL text, ``-`` (read ``stdin``), a path to a query file or the name of
    a named query; ``file_text`` is the content of ``-f FILE``. A query file may declare
    parameters with ``# @param`` lines just as the named queries do.
    """
    if query is not None and file_text is not None:
        raise QueryError("give the query either as an argument or with -f FILE, not both")
    if query is None and file_text is None:
        raise QueryError(
            "no query: give SPARQL text, -f FILE, - for stdin, or a name (run `nekg queries`)"
        )
    if query == "-":
        file_text = decode_query(stdin, "stdin") if isinstance(stdin, bytes) else stdin or ""
    elif query is not None and looks_like_name(query):
        named = named_query(query)
        return named.text, named
    elif query is not None and "{" not in query and "\n" not in query and _is_file(query):
        file_text = read_query_file(query)
    text = file_text if file_text is not None else query or ""
    if not text.strip():
        raise QueryError("the query is empty")
    if re.search(r"^\s*#\s*@param", text, re.M):
        return text, parse_header("the query", text)
    return text, None


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long
        return False
