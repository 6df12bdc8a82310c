"""Check a graph against the SHACL shapes in ``ontology/shapes.ttl`` (with pySHACL).

Every problem is reported with the sentence that produced the offending node, so a bad
fact can be traced to its source:

>>> from graph.records import Article, Entity, EntityType, Extraction
>>> from graph.rdf.build import to_graph
>>> ex = Extraction(articles=(Article("a1", "金坛区。", title="t"),),
...                 entities=(Entity("place/320413", EntityType.PLACE, "金坛区"),))
>>> validate(to_graph(ex)).conforms
True
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SH
from rdflib.term import Node

from graph.errors import GraphError
from graph.rdf.build import new_graph
from graph.rdf.read import read_graph, to_memory, to_oxigraph
from graph.rdf.vocab import ID, NEKG, PREFIXES, SHAPES_FILE
from graph.rdf.write import NodeSource

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


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


@cache
def _core_shapes() -> Graph:
    """The shapes for pySHACL: without SPARQL constraints, property shapes standing alone.

    The SPARQL constraints run in Oxigraph (see :func:`_sparql_problems`). A property
    shape nested in a node shape is given that node shape's targets instead: pySHACL
    then checks it once over all focus nodes rather than once per focus node, which
    is ten times faster and reports the same results.
    """
    source = shapes()
    core = Graph()
    for s, p, o in source:
        if p in (SH.sparql, SH.property):
            continue
        core.add((s, p, o))
    for node_shape, property_shape in source.subject_objects(SH.property):
        for target in _TARGETS:
            for value in source.objects(node_shape, target):
                core.add((property_shape, target, value))
        core.add((property_shape, RDF.type, SH.PropertyShape))
    return core


@dataclass(frozen=True, slots=True)
class _SparqlConstraint:
    shape: Node
    query: str
    message: str
    severity: str


@cache
def _sparql_constraints() -> tuple[_SparqlConstraint, ...]:
    """The SHACL-SPARQL constraints of the shapes, with their prefixes spelled out."""
    graph = shapes()
    found = []
    for shape, constraint in graph.subject_objects(SH.sparql):
        prefixes = "".join(
            f"PREFIX {graph.value(d, SH.prefix)}: <{graph.value(d, SH.namespace)}>\n"
            for source in graph.objects(constraint, SH.prefixes)
            for d in graph.objects(source, SH.declare)
        )
        severity = graph.value(shape, SH.severity, default=SH.Violation)
        found.append(
            _SparqlConstraint(
                shape,
                prefixes + str(graph.value(constraint, SH.select)),
                str(graph.value(constraint, SH.message, default="SPARQL constraint not met")),
                _SEVERITY.get(severity, "violation"),
            )
        )
    return tuple(sorted(found, key=lambda c: (str(c.shape), c.query)))


def _targets(store: pyoxigraph.Store, shape: Node) -> set[str]:
    """Focus nodes of ``shape`` (targetClass, targetSubjectsOf, targetObjectsOf) as N-Triples terms."""
    graph = shapes()
    found: set[str] = set()
    for cls in graph.objects(shape, SH.targetClass):
        found |= {str(q.subject) for q in store.quads_for_pattern(None, _ox(RDF.type), _ox(cls))}
    for prop in graph.objects(shape, SH.targetSubjectsOf):
        found |= {str(q.subject) for q in store.quads_for_pattern(None, _ox(prop), None)}
    for prop in graph.objects(shape, SH.targetObjectsOf):
        found |= {str(q.object) for q in store.quads_for_pattern(None, _ox(prop), None)}
    return found


def _ox(iri: Node) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(str(iri))


def _plain(term: object | None) -> str:
    """An Oxigraph term as the plain string rdflib's ``str()`` gives."""
    if term is None:
        return ""
    return getattr(term, "value", str(term))


# Above this many triples the SPARQL constraints run in a temporary on-disk Oxigraph store:
# in memory the copy would cost about 0.5 kB a triple on top of the graph itself.
ON_DISK_ABOVE = 200_000


def _sparql_problems(
    data: Graph, graph: Graph, on_disk: bool | None = None, extra: _Extra | None = None
) -> set[Problem]:
    """Run every SPARQL constraint once over the whole graph in Oxigraph.

    pySHACL runs a SPARQL constraint once per focus node in rdflib's engine, which
    takes minutes on a graph of a few hundred thousand triples; one query per
    constraint, joined with the shape's targets, gives the same results in a second.
    The store is on disk when ``on_disk`` (default: above :data:`ON_DISK_ABOVE` triples).
    """
    if on_disk is None:
        on_disk = len(graph) > ON_DISK_ABOVE
    if not on_disk:
        return _run_sparql(data, to_oxigraph(graph), extra)
    with tempfile.TemporaryDirectory(prefix="nekg-shacl-") as folder:
        store = to_oxigraph(graph, folder)
        try:
            return _run_sparql(data, store, extra)
        finally:
            del store  # closes the store before its folder goes


def _run_sparql(data: Graph, store: pyoxigraph.Store, extra: _Extra | None) -> set[Problem]:
    problems = set()
    for constraint in _sparql_constraints():
        targets = _targets(store, constraint.shape)
        solutions = store.query(constraint.query)
        names = {v.value for v in solutions.variables}
        for row in solutions:
            this = row["this"]
            if this is None or str(this) not in targets:
                continue
            path, value = (row[v] if v in names else None for v in ("path", "value"))
            focus, path_node, value_node = (_rdflib(t) for t in (this, path, value))
            problems.add(
                Problem(
                    constraint.severity,
                    _plain(this),
                    _plain(path) if isinstance(path, pyoxigraph.NamedNode) else "",
                    _plain(value),
                    constraint.message,
                    tuple(sources_of(data, focus, path_node, value_node, extra)),
                )
            )
    return problems


def _rdflib(term: object | None) -> Node | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.Literal):
        return Literal(
            term.value,
            lang=term.language,
            datatype=None if term.language else URIRef(term.datatype.value),
        )
    return None


# Nodes made from the records (see :class:`graph.rdf.build.MentionNodes`) are checked this
# many at a time, in a graph of their own.
NODE_BATCH = 20_000


class _Extra:
    """Nodes made from the records, with the entity -> mention nodes index that the
    sources of a problem need (made once, when first asked for)."""

    def __init__(self, nodes: NodeSource) -> None:
        self.nodes = nodes
        self._by_entity: dict[Node, list[Node]] | None = None

    def mentions_of(self, entity: Node) -> list[Node]:
        if self._by_entity is None:
            self._by_entity = {}
            for node in self.nodes:
                for _, p, o in self.nodes.triples_of(node):
                    if p == NEKG.mentionOf:
                        self._by_entity.setdefault(o, []).append(node)
        return self._by_entity.get(entity, [])

    def graph_of(self, nodes: Iterable[Node]) -> Graph:
        found = new_graph()
        for node in nodes:
            found.addN((s, p, o, found) for s, p, o in self.nodes.triples_of(node))
        return found


def _batches(nodes: NodeSource, size: int) -> Iterator[list[Node]]:
    batch: list[Node] = []
    for node in nodes:
        batch.append(node)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _shacl_problems(data: Graph, on_disk: bool | None, extra: _Extra | None = None) -> set[Problem]:
    from pyshacl import validate as shacl  # slow to import; only when validating

    _, results, _ = shacl(data, shacl_graph=_core_shapes(), inference="none", allow_warnings=True)
    problems = {
        _problem(data, results, result, extra)
        for result in results.subjects(RDF.type, SH.ValidationResult)
    }
    return problems | _sparql_problems(data, data, on_disk, extra)


def validate(
    graph: Graph,
    *,
    on_disk: bool | None = None,
    nodes: NodeSource | None = None,
    batch: int = NODE_BATCH,
) -> Report:
    """Run the nekg shapes over ``graph``: core shapes in pySHACL, SPARQL ones in Oxigraph.

    ``on_disk`` puts the Oxigraph copy for the SPARQL constraints in a temporary folder
    (default: when the graph is large, see :data:`ON_DISK_ABOVE`); the report is the same.

    ``nodes`` are subjects made from the records (:class:`graph.rdf.build.MentionNodes`)
    that ``graph`` leaves out: they are checked ``batch`` at a time, each batch in a graph
    of its own that also holds the types of the nodes they point at, and only the problems
    of the batch's own nodes are kept. The report is that of one graph holding both.
    """
    started = time.perf_counter()
    data = to_memory(graph)
    extra = _Extra(nodes) if nodes is not None else None
    problems = _shacl_problems(data, on_disk, extra)
    triples = len(data)
    for part in _batches(nodes, batch) if nodes is not None else ():
        own = extra.graph_of(part)  # type: ignore[union-attr]
        triples += sum(1 for t in own if t not in data)
        focus = {str(n) for n in part}
        pointed = {o for o in own.objects() if isinstance(o, URIRef)}
        for o in pointed:
            own.addN((o, RDF.type, t, own) for t in data.objects(o, RDF.type))
        problems |= {p for p in _shacl_problems(own, False) if p.focus in focus}
    ordered = sorted(
        problems, key=lambda p: (p.severity != "violation", p.focus, p.path, p.value, p.message)
    )
    return Report(tuple(ordered), triples, time.perf_counter() - started)


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


def check(graph: Graph, nodes: NodeSource | None = None) -> Report:
    """Validate ``graph`` (with ``nodes``, see :func:`validate`); raise :class:`InvalidGraph`
    if it breaks a shape."""
    report = validate(graph, nodes=nodes)
    if not report.conforms:
        raise InvalidGraph(report)
    return report


def validate_file(path: Path | str) -> Report:
    """Read the Turtle graph at ``path`` and validate it."""
    return validate(read_graph(path))


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _problem(data: Graph, results: Graph, result: Node, extra: _Extra | None = None) -> Problem:
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
        sources=tuple(sources_of(data, focus, path, value, extra)),
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
    data: Graph,
    focus: Node | None,
    path: Node | None = None,
    value: Node | None = None,
    extra: _Extra | None = None,
) -> list[Source]:
    """The sentences behind a node: its own evidence, a fact's statements, or an entity's mentions.

    At most three, in a stable order. ``extra`` holds the mention nodes ``data`` leaves out.
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
        if extra is not None:
            made = sorted(set(extra.mentions_of(focus)) - set(nodes))
            if made:
                return _sources(data, nodes, (extra.graph_of(made), made))
    return _sources(data, nodes)


def _sources(
    data: Graph, nodes: list[Node], made: tuple[Graph, list[Node]] | None = None
) -> list[Source]:
    found = {s for s in (_source(data, n) for n in nodes) if s is not None}
    if made is not None:
        found |= {s for s in (_source(made[0], n) for n in made[1]) if s is not None}
    return sorted(found, key=lambda s: (s.article, s.start, s.end))[:3]


def _short(iri: str) -> str:
    """``id:company/calb``, ``nekg:locatedIn``: an IRI with the longest known prefix."""
    best = ("", "")
    for prefix, namespace in (("id", str(ID)), *((p, str(ns)) for p, ns in PREFIXES.items())):
        if iri.startswith(namespace) and len(namespace) > len(best[1]):
            best = (prefix, namespace)
    return f"{best[0]}:{iri[len(best[1]) :]}" if best[0] else iri


def format_problem(problem: Problem) -> str:
    """A problem as a few lines: severity, node, property, message, then its sentences.

    >>> print(format_problem(Problem("violation", "https://w3id.org/nekg/id/company/x",
    ...       str(NEKG.locatedIn), "https://w3id.org/nekg/id/company/y", "must end at a Place or a Platform",
    ...       (Source("a1", 0, 8, "X位于Y。"),))))
    violation: id:company/x nekg:locatedIn id:company/y: must end at a Place or a Platform
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
