"""A remote SPARQL endpoint, spoken to over the SPARQL 1.1 protocol."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from graph.errors import QueryError
from graph.query.guards import DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES, QueryTimeout
from graph.query.sources import Result, _answers, _failures, _local, _result
from graph.query.syntax import _declared_prefixes, _first_line, _tokens, _with_values, query_form
from graph.query.terms import (
    ALT_LABEL,
    DISPLAY_LABELS,
    PREF_LABEL,
    PREFIXES,
    RDF_TYPE,
    RDFS_LABEL,
    Term,
    shown,
)
from graph.text.normalize import normalize_name


class Endpoint:
    """A remote SPARQL endpoint spoken to over the SPARQL 1.1 protocol (HTTP POST).

    Every request is bounded by ``timeout`` seconds in all (not per read), and an answer
    larger than :data:`MAX_RESPONSE_BYTES` is refused.
    """

    ACCEPT = (
        "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
        "application/n-triples;q=0.9, text/turtle;q=0.8"
    )

    def __init__(
        self, url: str, timeout: float = DEFAULT_TIMEOUT, *, allow_remote: bool = False
    ) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError as exc:
            raise QueryError(f"--endpoint {shown(url)}: not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise QueryError(
                f"--endpoint {shown(url)}: give an http:// or https:// URL of a SPARQL endpoint"
            )
        self.url = url
        self.timeout = timeout
        self.allow_remote = allow_remote
        self.prefixes = dict(PREFIXES)

    def _post(self, url: str, form: Mapping[str, str], accept: str) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                "Accept": accept,
                "User-Agent": "nekg",
            },
        )
        deadline = time.monotonic() + self.timeout
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), _read_bounded(
                    response, deadline, url, self.timeout
                )
        except urllib.error.HTTPError as exc:
            detail = exc.read(4096).decode("utf-8", "replace").strip()
            raise QueryError(
                f"{url} answered {exc.code} {exc.reason}: {_first_line(detail) or 'no details'}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError | OSError) and "timed out" in str(reason):
                raise QueryTimeout(
                    f"{url} did not answer within --timeout {self.timeout:g} s; "
                    "check the URL or give a larger --timeout"
                ) from None
            raise QueryError(f"cannot reach {url}: {reason}") from None

    def _prepare(self, text: str, bindings: Mapping[str, Term]) -> str:
        """Declare the nekg prefixes the text uses but does not declare, and add ``bindings``."""
        tokens = _tokens(text)
        declared = _declared_prefixes(tokens)
        used = {t.text.split(":", 1)[0] for t in tokens if t.kind == "pname"}
        missing = sorted((used - declared) & set(self.prefixes))
        prologue = "".join(f"PREFIX {p}: <{self.prefixes[p]}> " for p in missing)
        return prologue + (_with_values(text, bindings)[0] if bindings else text)

    def execute(self, text: str, bindings: Mapping[str, Term], *, stream: bool = False) -> Result:
        """Send the query; read SPARQL JSON/XML results or an RDF graph back."""
        form = query_form(text)
        content_type, body = self._post(
            self.url, {"query": self._prepare(text, bindings)}, self.ACCEPT
        )
        results = {
            "application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV,
        }
        what = f"reading the answer of {self.url}"
        try:
            if content_type in results:
                items = _answers(ox.parse_query_results(body, format=results[content_type]), form)
            else:
                rdf_format = ox.RdfFormat.from_media_type(content_type)
                if rdf_format is None:
                    raise QueryError(
                        f"{self.url} answered with {content_type}, which is not a SPARQL result format"
                    )
                head = (form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", None)
                quads = ox.parse(body, format=rdf_format)
                items = iter([head, *(q.triple for q in quads)])
            head = next(items)
        except SyntaxError as exc:
            raise QueryError(
                f"cannot read the answer of {self.url}: {_first_line(str(exc))}"
            ) from None
        rows = _failures(_syntax_as_query_error(items, self.url), what)
        return _result(head, rows, stream, prefixes=self.prefixes, bound=dict(bindings))

    def update(self, text: str) -> str:
        """Send a SPARQL update (to ``…/update`` when the query URL ends in ``/query``)."""
        url = re.sub(r"/query$", "/update", self.url)
        self._post(url, {"update": self._prepare(text, {})}, "*/*")
        return f"updated {url}"

    def labels_of(self, iris: Iterable[str]) -> dict[str, str]:
        """Labels of ``iris``, asked for in batches bound through ``VALUES``."""
        iris = sorted(set(iris))
        predicates = " ".join(str(p) for p in DISPLAY_LABELS)
        best: dict[str, tuple[int, str]] = {}
        for start in range(0, len(iris), 200):
            batch = " ".join(str(ox.NamedNode(iri)) for iri in iris[start : start + 200])
            text = f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {batch} }} VALUES ?p {{ {predicates} }} ?s ?p ?l }}"
            for s, p, label in self.execute(text, {}).rows:
                if s is None or p is None or label is None:
                    continue
                rank = DISPLAY_LABELS.index(p)
                if s.value not in best or (rank, label.value) < best[s.value]:
                    best[s.value] = (rank, label.value)
        return {iri: label for iri, (_, label) in best.items()}

    def entities_named(self, name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Entities with a label equal to ``name`` or its normalized form (as plain or @zh text)."""
        forms = {name.strip(), normalize_name(name)}
        literals = " ".join(
            str(lit)
            for form in sorted(forms)
            for lit in (ox.Literal(form), ox.Literal(form, language="zh"))
        )
        text = (
            "SELECT ?s ?t WHERE { VALUES ?l { " + literals + " } "
            f"VALUES ?p {{ {PREF_LABEL} {ALT_LABEL} {RDFS_LABEL} }} ?s ?p ?l OPTIONAL {{ ?s {RDF_TYPE} ?t }} }}"
        )
        types: dict[str, set[str]] = {}
        for s, t in self.execute(text, {}).rows:
            if isinstance(s, ox.NamedNode):
                types.setdefault(s.value, set())
                if t is not None:
                    types[s.value].add(_local(t.value))
        labels = self.labels_of(types)
        return {iri: (labels.get(iri, ""), tuple(sorted(types[iri]))) for iri in sorted(types)}


def _read_bounded(response: Any, deadline: float, url: str, timeout: float) -> bytes:
    """The body of ``response``, refused past :data:`MAX_RESPONSE_BYTES` or the deadline."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise QueryError(
                f"{url} answered more than {MAX_RESPONSE_BYTES // 2**20} MB; "
                "ask for less (LIMIT) or use the endpoint's own export"
            )
        if time.monotonic() > deadline:
            raise QueryTimeout(
                f"{url} was still answering after --timeout {timeout:g} s; "
                "ask for less (LIMIT) or give a larger --timeout"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _syntax_as_query_error(items: Iterator[Any], url: str) -> Iterator[Any]:
    try:
        yield from items
    except SyntaxError as exc:
        raise QueryError(f"cannot read the answer of {url}: {_first_line(str(exc))}") from None
