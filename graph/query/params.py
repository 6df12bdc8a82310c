"""Parameters of a query: parsed from --param options, bound to terms (a name resolved to one entity)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from graph.errors import QueryError
from graph.query.named import Param
from graph.query.sources import Source
from graph.query.syntax import query_variables
from graph.query.terms import CLASSES, NEKG, PREFIXES, Term, shown

# --- parameters ---------------------------------------------------------------------

_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_QUOTED = re.compile(r'^"(.*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*))?$', re.S)


def _as_iri(value: str, prefixes: Mapping[str, str]) -> ox.NamedNode | None:
    """``<…>``, ``https://…`` or ``prefix:local`` as an IRI; None for anything else."""
    text = value.strip()
    iri = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif _IRI_SCHEME.match(text):
        iri = text
    elif re.fullmatch(r"[A-Za-z][\w.-]*:\S*", text) and text.split(":", 1)[0] in prefixes:
        prefix, local = text.split(":", 1)
        iri = prefixes[prefix] + local
    if iri is None:
        return None
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"'{shown(value)}' is not a valid IRI: {shown(str(exc))}") from None


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` for an IRI under a known namespace, else ``<iri>``.

    >>> compact("https://w3id.org/nekg/id/place/320400", PREFIXES)
    'id:place/320400'
    """
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def bind_value(param: Param, value: str, source: Source) -> Term:
    """The RDF term ``value`` stands for as ``param``; names are resolved through the labels."""
    flag = f"--param {param.name}"
    if param.kind == "integer":
        try:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
        except ValueError:
            raise QueryError(f"{flag}: '{shown(value)}' is not an integer") from None
    if param.kind == "string":
        return ox.Literal(value)
    quoted = _QUOTED.match(value.strip())
    if quoted and param.kind == "entity" and not param.type:
        return (
            ox.Literal(quoted.group(1), language=quoted.group(2))
            if quoted.group(2)
            else ox.Literal(quoted.group(1))
        )
    iri = _as_iri(value, source.prefixes)
    if iri is not None:
        return iri
    if param.kind == "iri":
        raise QueryError(
            f"{flag}: '{shown(value)}' is not an IRI; write <https://…> or prefix:name"
        )
    if param.kind == "class":
        by_name = {c.lower(): c for c in CLASSES}
        if value.strip().lower() in by_name:
            return ox.NamedNode(NEKG + by_name[value.strip().lower()])
        raise QueryError(
            f"{flag}: no class '{shown(value)}'; classes: {', '.join(CLASSES)} (or give an IRI)"
        )
    return _resolve_name(param, value, source)


def _resolve_name(param: Param, name: str, source: Source) -> ox.NamedNode:
    flag = f"--param {param.name}"
    found = source.entities_named(name)
    if param.type:
        typed = {iri: info for iri, info in found.items() if param.type in info[1]}
        if not typed and found:
            others = "; ".join(_candidate(iri, info, PREFIXES) for iri, info in found.items())
            raise QueryError(f"{flag}: '{shown(name)}' names no {param.type}, only: {others}")
        found = typed
    if not found:
        kind = f" {param.type}" if param.type else ""
        raise QueryError(
            f"{flag}: no{kind} entity is named '{shown(name)}' (skos:prefLabel, skos:altLabel or rdfs:label); "
            f"run `nekg query entities-by-type` to see the names"
        )
    if len(found) > 1:
        listing = "; ".join(_candidate(iri, info, PREFIXES) for iri, info in found.items())
        first = compact(next(iter(found)), PREFIXES)
        raise QueryError(
            f"{flag}: '{shown(name)}' is ambiguous: {listing}; pass one IRI instead, e.g. {flag}={first}"
        )
    return ox.NamedNode(next(iter(found)))


def _candidate(iri: str, info: tuple[str, tuple[str, ...]], prefixes: Mapping[str, str]) -> str:
    label, types = info
    details = ", ".join(x for x in (label, "/".join(types)) if x)
    return f"{compact(iri, prefixes)} ({details})" if details else compact(iri, prefixes)


def bind_params(
    declared: Sequence[Param] | None,
    values: Mapping[str, str],
    source: Source,
    *,
    text: str = "",
    where: str = "the query",
) -> dict[str, Term]:
    """Check ``values`` against the declared parameters and turn each into an RDF term.

    ``declared`` None means an ad-hoc query: any of its variables may be given, as an IRI,
    a quoted literal (``"常州"@zh``) or an entity name.
    """
    if declared is None:
        variables = query_variables(text)
        declared = [Param(name) for name in variables if name in values]
        allowed = variables
        listing = ", ".join(f"?{v}" for v in variables) or "none"
        what = f"its variables: {listing}"
    else:
        allowed = [p.name for p in declared]
        what = f"its parameters: {', '.join(p.usage() for p in declared) or 'none'}"
    for name in values:
        if name not in allowed:
            raise QueryError(f"{where} has no parameter '{shown(name)}'; {what}")
    for param in declared:
        if param.name not in values and not param.optional:
            hint = f" ({param.help})" if param.help else ""
            raise QueryError(f"{where} needs --param {param.name}=…{hint}; {what}")
    return {p.name: bind_value(p, values[p.name], source) for p in declared if p.name in values}


def parse_param_options(options: Iterable[str]) -> dict[str, str]:
    """``["place=常州"]`` -> ``{"place": "常州"}``.

    >>> parse_param_options(["place=常州", "n = 3"])
    {'place': '常州', 'n': '3'}
    """
    values: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", name):
            raise QueryError(
                f"--param '{shown(option)}': write NAME=VALUE, e.g. --param place=常州"
            )
        if name in values:
            raise QueryError(f"--param {name} is given twice")
        values[name] = value.strip()
    return values
