"""Check a graph against the SHACL shapes in ``ontology/shapes.ttl`` (with pySHACL).

Every problem is reported with the sentence that produced the offending node, so a bad
fact can be traced to its source:

>>> from graph.records import Article, Entity, EntityType, Extraction
>>> from graph.rdf import to_graph
>>> ex = Extraction(articles=(Article("a1", "金坛区。", title="t"),),
...                 entities=(Entity("place/320413", EntityType.PLACE, "金坛区"),))
>>> validate(to_graph(ex)).conforms
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, SH, SKOS
from rdflib.term import Node

from graph.errors import GraphError
from graph.rdf import read_graph
from graph.vocab import NEKG, SHAPES_FILE

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a node of the graph comes from: article, sentence offsets and text."""

    article: str
    start: int
    end: int
    sentence: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One SHACL result: what is wrong with which node, and the sentences behind it."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of :func:`validate`."""

    problems: tuple[Problem, ...]
    triples: int
    seconds: float

    @property
    def violations(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "violation")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "violation")

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings allowed)."""
        return not self.violations


@cache
def shapes() -> Graph:
    """The shapes graph, parsed once."""
    return Graph().parse(SHAPES_FILE, format="turtle")


def _memory_copy(graph: Graph) -> Graph:
    # pySHACL makes many small pattern lookups: rdflib's memory store answers them faster
    # than a round trip through the Oxigraph store for each one.
    if type(graph.store).__name__ == "Memory":
        return graph
    copy = Graph()
    copy.addN((s, p, o, copy) for s, p, o in graph)
    return copy


def validate(graph: Graph) -> Report:
    """Run the nekg shapes over ``graph``."""
    from pyshacl import validate as shacl  # slow to import; only when validating

    started = time.perf_counter()
    data = _memory_copy(graph)
    _, results, _ = shacl(
        data, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=True
    )
    problems = sorted(
        {
            _problem(data, results, result)
            for result in results.subjects(RDF.type, SH.ValidationResult)
        },
        key=lambda p: (p.severity != "violation", p.focus, p.path, p.value, p.message),
    )
    return Report(tuple(problems), len(data), time.perf_counter() - started)


class InvalidGraph(GraphError):
    """A graph breaks the SHACL shapes; ``report`` holds every problem."""

    def __init__(self, report: Report) -> None:
        self.report = report
        first = report.violations[0]
        where = format_problem(first).split("\n")
        source = f" [{where[1].strip()}]" if len(where) > 1 else ""
        super().__init__(
            f"graph not written: {len(report.violations)} SHACL violations, the first: "
            f"{where[0].removeprefix('violation: ')}{source}; "
            "fix the input or the alias table, or write it anyway with --no-validate"
        )


def check(graph: Graph) -> Report:
    """Validate ``graph``; raise :class:`InvalidGraph` if it breaks a shape."""
    report = validate(graph)
    if not report.conforms:
        raise InvalidGraph(report)
    return report


def validate_file(path: Path | str) -> Report:
    """Read the Turtle graph at ``path`` and validate it."""
    return validate(read_graph(path))


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _problem(data: Graph, results: Graph, result: Node) -> Problem:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    return Problem(
        severity=_SEVERITY.get(results.value(result, SH.resultSeverity), "violation"),
        focus=_text(focus),
        path=_text(path) if isinstance(path, URIRef) else "",
        value=_text(value),
        message=messages[0] if messages else "constraint not met",
        sources=tuple(sources_of(data, focus, path, value)),
    )


def _source(data: Graph, node: Node) -> Source | None:
    article = data.value(node, PROV.wasDerivedFrom)
    sentence = data.value(node, NEKG.evidence)
    start, end = data.value(node, NEKG.start), data.value(node, NEKG.end)
    if article is None:
        return None
    try:
        offsets = int(start.toPython()), int(end.toPython())  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError):
        offsets = (-1, -1)
    return Source(str(article).rsplit("/", 1)[-1], *offsets, _text(sentence))


def sources_of(
    data: Graph, focus: Node | None, path: Node | None = None, value: Node | None = None
) -> list[Source]:
    """The sentences behind a node: its own evidence, a fact's statements, or an entity's mentions.

    At most three, in a stable order.
    """
    if focus is None:
        return []
    nodes: list[Node] = []
    if (focus, PROV.wasDerivedFrom, None) in data:
        nodes = [focus]
    elif isinstance(path, URIRef) and value is not None and (focus, path, value) in data:
        # a fact: only its own evidence, even if it has none
        nodes = [
            st
            for st in data.subjects(RDF.subject, focus)
            if (st, RDF.predicate, path) in data and (st, RDF.object, value) in data
        ]
        return _sources(data, nodes)
    if not nodes:
        nodes = sorted(data.subjects(RDF.subject, focus)) + sorted(data.subjects(RDF.object, focus))
    if not nodes:
        nodes = sorted(data.subjects(NEKG.mentionOf, focus))
    return _sources(data, nodes)


def _sources(data: Graph, nodes: list[Node]) -> list[Source]:
    found = {s for s in (_source(data, n) for n in nodes) if s is not None}
    return sorted(found, key=lambda s: (s.article, s.start, s.end))[:3]


def _short(iri: str) -> str:
    for prefix, namespace in (
        ("id:", "https://w3id.org/nekg/id/"),
        ("nekg:", str(NEKG)),
        ("skos:", str(SKOS)),
        ("rdf:", str(RDF)),
    ):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def format_problem(problem: Problem) -> str:
    """A problem as a few lines: severity, node, property, message, then its sentences.

    >>> print(format_problem(Problem("violation", "https://w3id.org/nekg/id/company/x",
    ...       str(NEKG.locatedIn), "https://w3id.org/nekg/id/company/y", "must end at a Place",
    ...       (Source("a1", 0, 8, "X位于Y。"),))))
    violation: id:company/x nekg:locatedIn id:company/y: must end at a Place
        a1 [0:8] X位于Y。
    """
    value = problem.value if problem.value != problem.focus else ""
    where = " ".join(_short(x) for x in (problem.focus, problem.path, value) if x)
    lines = [f"{problem.severity}: {where}: {problem.message}"]
    for source in problem.sources:
        sentence = source.sentence or "(no sentence recorded)"
        lines.append(f"    {source.article} [{source.start}:{source.end}] {sentence}")
    return "\n".join(lines)


def summary(report: Report, name: str = "graph") -> str:
    """One line: conforms or not, counts, size and time."""
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        f"{name} {verdict}: {len(report.violations)} violations, {len(report.warnings)} warnings "
        f"({report.triples} triples, {report.seconds:.2f} s)"
    )
