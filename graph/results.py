"""Query results as text: an aligned table for people, the W3C formats for programs.

SELECT results: ``table`` (columns aligned by display width, Chinese characters being two
columns wide, rows in the query's order), and the SPARQL 1.1 result formats ``csv``,
``tsv``, ``json`` and ``xml``. CONSTRUCT/DESCRIBE results: ``turtle``, ``ntriples``,
``jsonld``. ASK: ``true``/``false`` (or the W3C JSON/XML boolean document).

>>> import pyoxigraph as ox
>>> from graph.query import Result
>>> result = Result("SELECT", ("name", "n"), ((ox.Literal("常州市"), ox.Literal("12", datatype=ox.NamedNode(XSD + "integer"))),))
>>> print(render(result, "table"), end="")
name     n
------  --
常州市  12
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QueryError
from graph.query import ID, Result, Term, compact

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

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


def render(
    result: Result, fmt: str | None = None, *, labels: Mapping[str, str] | None = None
) -> str:
    """``result`` as text in ``fmt`` (default: a table, or Turtle for a graph).

    ``labels`` maps IRIs to the names shown instead of them (``--labels``).
    """
    fmt = ALIASES.get(fmt or "", fmt)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        fmt = {None: "turtle", "table": "turtle", "json": "jsonld"}.get(fmt, fmt)
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
        return _boolean(bool(result.boolean), fmt)
    rows = _with_labels(result.rows, labels) if labels else result.rows
    if fmt == "table":
        return _table(result.variables, rows, result.prefixes)
    writer = {"csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}[fmt]
    return writer(result.variables, rows)


def _with_labels(rows: Sequence[Sequence[Term | None]], labels: Mapping[str, str]) -> list[tuple]:
    def swap(term: Term | None) -> Term | None:
        if isinstance(term, ox.NamedNode) and term.value in labels:
            return ox.Literal(labels[term.value], language="zh")
        return term

    return [tuple(swap(t) for t in row) for row in rows]


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


def _table(
    variables: Sequence[str], rows: Sequence[Sequence[Term | None]], prefixes: Mapping[str, str]
) -> str:
    cells = [[cell(term, prefixes) for term in row] for row in rows]
    numeric = [
        bool(rows)
        and all(
            row[i] is None or (isinstance(row[i], ox.Literal) and row[i].datatype.value in _NUMERIC)
            for row in rows
        )
        for i in range(len(variables))
    ]
    widths = [
        max([display_width(v)] + [display_width(r[i]) for r in cells])
        for i, v in enumerate(variables)
    ]
    lines = [
        "  ".join(pad(v, w, right=n) for v, w, n in zip(variables, widths, numeric, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(pad(c, w, right=n) for c, w, n in zip(r, widths, numeric, strict=True))
        for r in cells
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


# --- W3C SPARQL 1.1 result formats -------------------------------------------------------


def _csv(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 CSV: plain values (IRIs bare, literals as their text), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
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
    return out.getvalue()


def _tsv(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in N-Triples syntax (language tags kept)."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


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


def _json(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


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


def _xml(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL Query Results XML."""
    root = ET.Element("sparql", xmlns=SPARQL_RESULTS_NS)
    head = ET.SubElement(root, "head")
    for v in variables:
        ET.SubElement(head, "variable", name=v)
    results = ET.SubElement(root, "results")
    for row in rows:
        result = ET.SubElement(results, "result")
        for v, term in zip(variables, row, strict=True):
            if term is not None:
                _xml_term(ET.SubElement(result, "binding", name=v), term)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


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


def _graph(result: Result, fmt: str) -> str:
    rdf_format = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
    }[fmt]
    if fmt == "turtle":
        # Entity IRIs (id/company/calb) are not valid prefixed names; a base keeps them short.
        prefixes = {p: iri for p, iri in result.prefixes.items() if iri != ID}
        data = ox.serialize(result.triples, format=rdf_format, prefixes=prefixes, base_iri=ID)
    else:
        data = ox.serialize(result.triples, format=rdf_format)
    return data.decode("utf-8")
