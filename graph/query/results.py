"""Query results as text: an aligned table for people, the W3C formats for programs.

SELECT results: ``table`` (columns aligned by display width, Chinese characters being two
columns wide, rows in the query's order), and the SPARQL 1.1 result formats ``csv``,
``tsv``, ``json`` and ``xml``. CONSTRUCT/DESCRIBE results: ``turtle``, ``ntriples``,
``jsonld``. ASK: ``true``/``false`` (or the W3C JSON/XML boolean document).

>>> import pyoxigraph as ox
>>> from graph.query.sources import Result
>>> result = Result("SELECT", ("name", "n"), ((ox.Literal("常州市"), ox.Literal("12", datatype=ox.NamedNode(XSD + "integer"))),))
>>> print(render(result, "table"), end="")
name     n
------  --
常州市  12
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
import os
import re
import shutil
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pyoxigraph as ox

from graph.errors import QueryError
from graph.query.params import compact
from graph.query.sources import Result
from graph.query.terms import Term
from graph.rdf.namespaces import RDF, SPARQL_RESULTS, XSD

RDF_LANG_STRING = RDF + "langString"
SPARQL_RESULTS_NS = SPARQL_RESULTS

TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
FORMATS = TABLE_FORMATS + GRAPH_FORMATS
# Other spellings people use for the same formats.
ALIASES = {
    "txt": "table",
    "text": "table",
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "srj": "json",
    "srx": "xml",
}
_EXTENSIONS = {
    ".txt": "table",
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".srj": "json",
    ".xml": "xml",
    ".srx": "xml",
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
}
_NUMERIC = frozenset(
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "nonNegativeInteger",
        "positiveInteger",
    )
)
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def format_for(path: Path | str) -> str | None:
    """The output format a file name asks for, from its extension.

    >>> format_for("companies.csv"), format_for("graph.ttl"), format_for("x.bin")
    ('csv', 'turtle', None)
    """
    return _EXTENSIONS.get(Path(path).suffix.lower())


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two.

    >>> display_width("常州 ok"), display_width("한"), display_width("é")
    (7, 2, 1)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


# A table is for people: at most this many rows are held and shown; the other formats stream.
TABLE_MAX_ROWS = 10_000
# A cell narrower than this is never cut to fit the terminal.
_MIN_CELL = 8
Labels = Mapping[str, str] | Callable[[set[str]], Mapping[str, str]]


class Counted(Iterator):
    """An iterator that counts the items taken from it."""

    def __init__(self, items: Iterable) -> None:
        self.items = iter(items)
        self.count = 0

    def __next__(self):
        item = next(self.items)
        self.count += 1
        return item


def counted(result: Result) -> tuple[Result, Counted]:
    """``result`` with its rows (or triples) counted as they are read."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        items = Counted(result.triples)
        return dataclasses.replace(result, triples=items), items
    items = Counted(result.rows)
    return dataclasses.replace(result, rows=items), items


def terminal_width() -> int | None:
    """Columns of the terminal stdout is (or ``$COLUMNS``); None when not known."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def render(
    result: Result,
    fmt: str | None = None,
    *,
    labels: Labels | None = None,
    width: int | None = None,
) -> str:
    """``result`` as text in ``fmt`` (default: a table, or Turtle for a graph).

    ``labels`` maps IRIs to the names shown instead of them (``--labels``), or is a
    function giving that map for a set of IRIs; ``width`` fits a table into that many columns.
    """
    return "".join(render_chunks(result, fmt, labels=labels, width=width))


def render_chunks(
    result: Result,
    fmt: str | None = None,
    *,
    labels: Labels | None = None,
    width: int | None = None,
) -> Iterator[str]:
    """:func:`render` in pieces, written as the rows come (a table waits for its rows)."""
    fmt = ALIASES.get(fmt or "", fmt)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        fmt = {None: "turtle", "json": "jsonld"}.get(fmt, fmt)
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"{result.form} gives a graph: use --format turtle, ntriples or jsonld, not {fmt}"
            )
        return _graph(result, fmt)
    fmt = fmt or "table"
    if fmt not in TABLE_FORMATS:
        raise QueryError(
            f"{result.form} gives a table: use --format table, csv, tsv, json or xml, not {fmt}"
        )
    if result.form == "ASK":
        return iter([_boolean(bool(result.boolean), fmt)])
    rows: Iterable[Sequence[Term | None]] = result.rows
    if fmt == "table":
        return iter([_table(result, rows, labels, width)])
    if labels:
        rows = _with_labels(rows, labels)
    writer = {"csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[fmt]
    return writer(result.variables, rows)


def _with_labels(rows: Iterable[Sequence[Term | None]], labels: Labels) -> Iterator[tuple]:
    """Rows with every IRI that has a label replaced by it, looked up a batch at a time."""
    lookup = labels if callable(labels) else None

    def swap(term: Term | None, found: Mapping[str, str]) -> Term | None:
        if isinstance(term, ox.NamedNode) and term.value in found:
            return ox.Literal(found[term.value], language="zh")
        return term

    rows = iter(rows)
    while batch := list(itertools.islice(rows, 500)):
        if lookup is None:
            found = labels
        else:
            iris = {t.value for row in batch for t in row if isinstance(t, ox.NamedNode)}
            found = lookup(iris) if iris else {}
        for row in batch:
            yield tuple(swap(t, found) for t in row)


# --- table ---------------------------------------------------------------------------


def cell(term: Term | None, prefixes: Mapping[str, str]) -> str:
    """How a term reads in the table: names as text, IRIs as ``prefix:local``, unbound empty."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())  # a table row stays one line
    return str(term)


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns, ending in … when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        used += display_width(char)
        if used > width - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def _fit(widths: list[int], floors: list[int], budget: int) -> list[int]:
    """Column widths narrowed, widest first, until a line fits ``budget`` columns."""
    widths = list(widths)
    excess = sum(widths) + 2 * (len(widths) - 1) - budget
    while excess > 0:
        i = max(range(len(widths)), key=lambda k: (widths[k] > floors[k], widths[k]))
        if widths[i] <= floors[i]:
            break
        widths[i] -= 1
        excess -= 1
    return widths


def _table(
    result: Result,
    rows: Iterable[Sequence[Term | None]],
    labels: Labels | None,
    width: int | None,
) -> str:
    """An aligned table; bound parameters as a caption, not a column repeated in every row."""
    held = list(itertools.islice(rows, TABLE_MAX_ROWS + 1))
    more = len(held) > TABLE_MAX_ROWS
    held = held[:TABLE_MAX_ROWS]
    variables = list(result.variables)
    keep = [i for i, v in enumerate(variables) if v not in result.bound]
    if labels:
        named = list(_with_labels(held, labels))
        keep = _without_repeated_labels(keep, held, named, result.prefixes)
        held = named
    caption = [
        f"{name} = {_bound_cell(term, labels, result.prefixes)}"
        for name, term in result.bound.items()
        if name in variables
    ]
    variables = [variables[i] for i in keep]
    terms = [[row[i] for i in keep] for row in held]
    cells = [[cell(term, result.prefixes) for term in row] for row in terms]
    numeric = [
        bool(terms)
        and all(
            row[i] is None or (isinstance(row[i], ox.Literal) and row[i].datatype.value in _NUMERIC)
            for row in terms
        )
        for i in range(len(variables))
    ]
    widths = [
        max([display_width(v)] + [display_width(r[i]) for r in cells])
        for i, v in enumerate(variables)
    ]
    if width:
        floors = [
            min(w, max(display_width(v), _MIN_CELL)) for v, w in zip(variables, widths, strict=True)
        ]
        widths = _fit(widths, floors, width)
        cells = [[_cut(c, w) for c, w in zip(r, widths, strict=True)] for r in cells]
        variables = [_cut(v, w) for v, w in zip(variables, widths, strict=True)]
    lines = [*caption]
    lines += [
        "  ".join(pad(v, w, right=n) for v, w, n in zip(variables, widths, numeric, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(pad(c, w, right=n) for c, w, n in zip(r, widths, numeric, strict=True))
        for r in cells
    ]
    if not held:
        lines.append("0 rows")
    elif more:
        lines.append(
            f"… only the first {TABLE_MAX_ROWS:,} rows are shown; "
            "use --format csv, tsv, json or xml (or LIMIT) for all"
        )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _bound_cell(term: Term, labels: Labels | None, prefixes: Mapping[str, str]) -> str:
    if labels and isinstance(term, ox.NamedNode):
        found = labels({term.value}) if callable(labels) else labels
        if term.value in found:
            return found[term.value]
    return cell(term, prefixes)


def _without_repeated_labels(
    keep: list[int],
    raw: Sequence[Sequence[Term | None]],
    named: Sequence[Sequence[Term | None]],
    prefixes: Mapping[str, str],
) -> list[int]:
    """``keep`` without a column of names that repeats an IRI column once it shows names.

    ``SELECT ?company ?label`` with ``--labels`` would show the company's name twice.
    """
    if not raw:
        return keep

    def column(rows: Sequence[Sequence[Term | None]], i: int) -> list[str]:
        return [cell(row[i], prefixes) for row in rows]

    iri_columns = [j for j in keep if all(isinstance(row[j], ox.NamedNode | None) for row in raw)]
    dropped = {
        i
        for i in keep
        if i not in iri_columns and any(column(named, j) == column(named, i) for j in iri_columns)
    }
    return [i for i in keep if i not in dropped]


# --- W3C SPARQL 1.1 result formats -------------------------------------------------------


def _csv(variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> Iterator[str]:
    """SPARQL 1.1 CSV: plain values (IRIs bare, literals as their text), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for n, row in enumerate(rows, 1):
        writer.writerow(
            [
                ""
                if t is None
                else f"_:{t.value}"
                if isinstance(t, ox.BlankNode)
                else t.value
                if isinstance(t, ox.NamedNode | ox.Literal)
                else str(t)
                for t in row
            ]
        )
        if n % 256 == 0:
            yield _drain(out)
    yield _drain(out)


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def _tsv(variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> Iterator[str]:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in N-Triples syntax (language tags kept)."""
    yield "\t".join(f"?{v}" for v in variables) + "\n"
    for row in rows:
        yield "\t".join("" if t is None else str(t) for t in row) + "\n"


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> Iterator[str]:
    """SPARQL 1.1 Query Results JSON, one binding a line."""
    head = json.dumps({"vars": list(variables)}, ensure_ascii=False)
    yield f'{{"head": {head}, "results": {{"bindings": ['
    separator = "\n"
    for row in rows:
        binding = {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        yield separator + json.dumps(binding, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}}\n"


def _xml_term(parent: ET.Element, term: Term) -> None:
    if isinstance(term, ox.NamedNode):
        ET.SubElement(parent, "uri").text = term.value
    elif isinstance(term, ox.BlankNode):
        ET.SubElement(parent, "bnode").text = term.value
    elif isinstance(term, ox.Literal):
        node = ET.SubElement(parent, "literal")
        node.text = _NOT_XML.sub("\ufffd", term.value)
        if term.language:
            node.set("xml:lang", term.language)
        elif term.datatype.value != XSD + "string":
            node.set("datatype", term.datatype.value)
    else:
        triple = ET.SubElement(parent, "triple")
        for part in ("subject", "predicate", "object"):
            _xml_term(ET.SubElement(triple, part), getattr(term, part))


def _xml(variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> Iterator[str]:
    """SPARQL Query Results XML, one result element at a time."""
    head = "".join(f'  <variable name="{escape(v, {chr(34): "&quot;"})}"/>\n' for v in variables)
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n'
        f" <head>\n{head} </head>\n <results>\n"
    )
    for row in rows:
        result = ET.Element("result")
        for v, term in zip(variables, row, strict=True):
            if term is not None:
                _xml_term(ET.SubElement(result, "binding", name=v), term)
        ET.indent(result, space=" ", level=2)
        yield "  " + ET.tostring(result, encoding="unicode") + "\n"
    yield " </results>\n</sparql>\n"


def _boolean(value: bool, fmt: str) -> str:
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt == "xml":
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        )
    return word + "\n"


# --- graphs ------------------------------------------------------------------------------


def _graph(result: Result, fmt: str) -> Iterator[str]:
    """Triples as sorted Turtle (the build's writer), N-Triples (streamed) or JSON-LD."""
    if fmt == "turtle":
        # rdflib is imported only when Turtle is asked for
        from graph.rdf import read as rdf_read
        from graph.rdf import write as rdf_write

        yield rdf_write.to_turtle(rdf_read.from_oxigraph(result.triples))
        return
    if fmt == "jsonld":
        yield ox.serialize(list(result.triples), format=ox.RdfFormat.JSON_LD).decode("utf-8")
        return
    triples = iter(result.triples)
    while batch := list(itertools.islice(triples, 1024)):
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
