"""The HTML view: an rdflib graph in, one self-contained interactive page out.

The page draws entities and the facts between them with vis-network (the copy that
ships inside pyvis, inlined), so it opens from disk with no network at all. Statement
and mention nodes are never drawn; articles only when asked for.

Everything taken from the graph is untrusted text (names, aliases, evidence
sentences come from articles): the template escapes everything it writes, the graph
data travels as JSON inside a non-executable ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, the page builds its menus with ``textContent``,
tooltips are plain strings (vis-network shows those as text) and a Content Security
Policy allows only the page's own two scripts.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
...   @prefix nekg: <https://w3id.org/nekg/ontology#> .
...   @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...   <https://w3id.org/nekg/id/company/a> a nekg:Company ; skos:prefLabel "甲公司"@zh ;
...       nekg:locatedIn <https://w3id.org/nekg/id/place/b> .
...   <https://w3id.org/nekg/id/place/b> a nekg:Place ; skos:prefLabel "乙区"@zh .
... ''')
>>> net = network.to_network(g)
>>> sorted(net.nodes[n]["label"] for n in net)
['乙区', '甲公司']
>>> [rel for _, _, rel in net.edges(keys=True)]
['locatedIn']
>>> "<script src=" in render(net)
False
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from rdflib import Graph
from rdflib.namespace import DCTERMS

from graph.errors import GraphError
from graph.files import write_output
from graph.outputs import network
from graph.outputs.layout import LAYOUT_SEED, layout, place_clusters
from graph.outputs.network import _first, _local_name, _Lookup, keep_most_connected
from graph.outputs.selection import load_graph, select
from graph.outputs.style import STYLES, font_stack
from graph.query.guards import DEFAULT_TIMEOUT
from graph.records import SYMMETRIC_RELATIONS, RelationType
from graph.text.chars import NONCHARACTERS, scalar_text

DEFAULT_LIMIT = 2000
TOOLTIP_EVIDENCE = 5
# Above this many nodes the page opens with the entities without relations hidden (they
# stay listed and searchable) and, above CLUSTER_ABOVE, with entities grouped by place.
HIDE_ISOLATED_ABOVE = 200
CLUSTER_ABOVE = 1000
TEMPLATES = Path(__file__).parents[1] / "templates"


RELATION_NAMES: dict[str, str] = {
    RelationType.LOCATED_IN: "位于",
    RelationType.LEADS_CHAIN: "链主",
    RelationType.PARTNERS_WITH: "合作",
    RelationType.SUBSIDIARY_OF: "隶属",
    RelationType.PART_OF: "属于",
    RelationType.BUILT_BY: "建设方",
    RelationType.ISSUED_BY: "发布方",
    RelationType.IN_INDUSTRY: "产业",
    RelationType.HAS_ROLE: "任职",
    "mentions": "提及",
}


def _article_info(look_titles: dict[str, dict[str, str]], article: str) -> dict[str, str]:
    return look_titles.get(article, {"title": _local_name(article), "date": ""})


def _node_tooltip(attrs: dict[str, Any]) -> str:
    style = STYLES.get(attrs["type"], STYLES["Other"])
    lines = [attrs["label"], f"类型 Type: {style.name} ({attrs['type']})"]
    details = attrs["details"]
    if attrs["aliases"]:
        lines.append("别名 Aliases: " + "、".join(attrs["aliases"]))
    if details.get("adminCode"):
        lines.append(f"行政区划代码 Admin code: {details['adminCode']}")
    if details.get("date"):
        lines.append(f"日期 Date: {details['date']}")
    if details.get("publisher"):
        lines.append(f"来源 Publisher: {details['publisher']}")
    lines.extend(details.get("sameAs", []))
    lines.append(attrs["iri"])
    return "\n".join(lines)


def _edge_tooltip(head: str, tail: str, rel: str, evidence: list[dict[str, Any]]) -> str:
    lines = [f"{head} —{RELATION_NAMES.get(rel, rel)} ({rel})→ {tail}"]
    if evidence:
        lines.append(f"证据 Evidence ({len(evidence)}):")
    for number, ev in enumerate(evidence[:TOOLTIP_EVIDENCE], 1):
        role = f"【{ev['role']}】" if ev["role"] else ""
        lines.append(f"{number}. {role}「{ev['sentence']}」")
        where = "，".join(x for x in (f"《{ev['title']}》", ev["date"]) if x.strip("《》"))
        lines.append(f"   — {where} [{ev['start']}–{ev['end']}]")
    if len(evidence) > TOOLTIP_EVIDENCE:
        lines.append(f"… {len(evidence) - TOOLTIP_EVIDENCE} more: click the edge")
    return "\n".join(lines)


def _view_data(net: nx.MultiDiGraph, articles: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The JSON the page draws: vis-network node and edge records plus the page's own fields."""
    degree = dict(net.degree())
    positions = layout(net)
    clusters = place_clusters(net)
    nodes = []
    for iri in sorted(net):
        attrs = dict(net.nodes[iri], iri=iri)
        style = STYLES.get(attrs["type"], STYLES["Other"])
        node = {
            "id": iri,
            "label": attrs["label"],
            "type": attrs["type"],
            "aliases": attrs["aliases"],
            "title": _node_tooltip(attrs),
            "shape": style.shape,
            "color": style.colour,
            "value": degree[iri] + 1,
            "degree": degree[iri],
            "details": attrs["details"],
            "x": positions[iri][0],
            "y": positions[iri][1],
        }
        if iri in clusters:
            node["cluster"] = clusters[iri]
        if style.dashed:
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["color"] = {"background": "#ffffff", "border": style.colour}
            node["borderWidth"] = 3
        nodes.append(node)
    edges = []
    for head, tail, rel, attrs in sorted(net.edges(keys=True, data=True), key=lambda e: e[:3]):
        evidence = sorted(
            (
                {
                    "sentence": str(ev.get("sentence", "")),
                    "article": str(ev.get("article", "")),
                    **_article_info(articles, str(ev.get("article", ""))),
                    "start": _number(ev.get("start")),
                    "end": _number(ev.get("end")),
                    "role": str(ev.get("role", "")),
                    "confidence": _number(ev.get("confidence")),
                    "method": str(ev.get("method", "")),
                }
                for ev in attrs["evidence"]
            ),
            key=lambda ev: (
                ev["date"],
                ev["title"],
                ev["article"],
                ev["start"] or 0,
                ev["sentence"],
            ),
        )
        roles = sorted({ev["role"] for ev in evidence if ev["role"]})
        label = RELATION_NAMES.get(rel, rel) + (f"：{'、'.join(roles)}" if roles else "")
        edge = {
            "id": f"{head} {rel} {tail}",
            "from": head,
            "to": tail,
            "rel": rel,
            "label": label,
            "title": _edge_tooltip(
                net.nodes[head]["label"], net.nodes[tail]["label"], rel, evidence
            ),
            "evidence": evidence,
            "predicate": attrs["predicate"],
        }
        if rel in SYMMETRIC_RELATIONS:
            edge["arrows"] = {"to": {"enabled": False}}
        edges.append(edge)
    return {"nodes": nodes, "edges": edges}


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _articles(graph: Graph) -> dict[str, dict[str, str]]:
    """Article IRI → title and date, for the evidence shown with each edge."""
    titles = _Lookup._literals(graph, DCTERMS.title)
    dates = _Lookup._literals(graph, DCTERMS.date)
    return {
        str(node): {
            "title": _first(titles.get(node)) or _local_name(node),
            "date": _first(dates.get(node)),
        }
        for node in set(titles) | set(dates)
    }


def vis_options() -> dict[str, Any]:
    """vis-network options: no physics (positions come from :func:`layout`), straight edges,
    labels drawn only once zoomed in far enough to read them (hubs first)."""
    options: dict[str, Any] = {"physics": {"enabled": False}}
    options["edges"] = {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "color": {"color": "#8a8a8a", "highlight": "#d62728", "hover": "#444444"},
        "font": {
            "size": 11,
            "color": "#555555",
            "strokeWidth": 3,
            "align": "horizontal",
            "face": font_stack(),
        },
        "width": 1.2,
        "selectionWidth": 2,
    }
    # Labels grow with a node's relations and are drawn once they would be at least
    # drawThreshold pixels high: zoomed out, only the hubs are named.
    options["edges"]["scaling"] = {"label": {"drawThreshold": 8}}
    options["nodes"] = {
        "scaling": {
            "min": 10,
            "max": 32,
            "label": {"enabled": True, "min": 12, "max": 30, "drawThreshold": 7},
        },
        "font": {
            "size": 14,
            "face": font_stack(),
        },
        "borderWidth": 1,
    }
    options["layout"] = {"randomSeed": LAYOUT_SEED, "improvedLayout": False}
    options["interaction"] = {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "hideEdgesOnZoom": True,
        "navigationButtons": False,
    }
    return options


def _vis_script() -> str:
    path = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return path.read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    """Script text that cannot end its ``<script>`` element early."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.I).replace("<!--", "<\\!--")


# Escaped inside the page's JSON: what could end the <script> element, the line
# separators, and what HTML calls a parse error (DEL, C1 controls, noncharacters).
_SCRIPT_ESCAPE = re.compile(f"[<>&\u2028\u2029\x7f-\x9f{NONCHARACTERS}]")


# Dropped from text the template writes: controls and noncharacters (HTML parse errors).
_NOT_PAGE_TEXT = re.compile(f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f{NONCHARACTERS}]")


def _page_text(text: str) -> str:
    return _NOT_PAGE_TEXT.sub("", scalar_text(text))


def _script_json(value: Any) -> str:
    r"""JSON safe inside a ``<script>`` element: no ``</``, ``<!--``, ``]]>`` or line separators.

    >>> print(_script_json({"label": "</script>\x85\ud800"}))
    {"label":"\u003c/script\u003e\u0085�"}
    """
    text = scalar_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return _SCRIPT_ESCAPE.sub(lambda m: _json_escape(m.group()), text)


def _json_escape(char: str) -> str:
    """``char`` as a JSON escape; beyond U+FFFF as the two halves of a surrogate pair."""
    units = char.encode("utf-16-be")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode(
        "ascii"
    )


def render(
    net: nx.MultiDiGraph,
    *,
    title: str = "nekg 知识图谱",
    total: tuple[int, int] | None = None,
    articles: dict[str, dict[str, str]] | None = None,
) -> str:
    """The page for ``net`` as one HTML string with vis-network inlined.

    Args:
        net: What to draw, as made by :func:`to_network` (and :func:`keep_most_connected`).
        title: The page heading (escaped).
        total: Nodes and edges of the whole graph when ``net`` is only its most
            connected part; the page then says so and points to the full exports.
        articles: Article IRI → title and date, for the evidence of edges.
    """
    data = _view_data(net, articles or {})
    count = len(data["nodes"])
    data["view"] = {
        "hideIsolated": count > HIDE_ISOLATED_ABOVE,
        "clusterBy": "place" if count > CLUSTER_ABOVE else "none",
        "typeNames": {t: style.name for t, style in STYLES.items()},
    }
    vis = _inline_script(_vis_script())
    app = _inline_script((TEMPLATES / "graph.js").read_text(encoding="utf-8"))
    types = sorted(
        {n["type"] for n in data["nodes"]},
        key=lambda t: list(STYLES).index(t) if t in STYLES else 99,
    )
    relations = sorted({e["rel"] for e in data["edges"]})
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        keep_trailing_newline=True,
    )
    page = env.get_template("graph.html").render(
        title=_page_text(title),
        vis_js=Markup(vis),
        app_js=Markup(app),
        data_json=Markup(_script_json(data)),
        options_json=Markup(_script_json(vis_options())),
        font_stack=Markup(font_stack("system-ui, sans-serif")),
        csp_scripts=" ".join(f"'{_sha256(code)}'" for code in (vis, app)),
        node_count=count,
        isolated=sum(n["degree"] == 0 for n in data["nodes"]),
        view=data["view"],
        edge_count=len(data["edges"]),
        total=total,
        types=[
            (t, STYLES.get(t, STYLES["Other"]), sum(n["type"] == t for n in data["nodes"]))
            for t in types
        ],
        relations=[
            (r, RELATION_NAMES.get(r, r), sum(e["rel"] == r for e in data["edges"]))
            for r in relations
        ],
    )
    return page


def draw(
    graph: Graph,
    *,
    context: Graph | None = None,
    title: str = "nekg 知识图谱",
    limit: int = DEFAULT_LIMIT,
    include_articles: bool = False,
    warn: Callable[[str], None] | None = None,
) -> str:
    """The page for ``graph``: :func:`to_network`, cut to ``limit`` nodes, :func:`render`.

    When there is nothing to draw, ``warn`` (if given) is told why the page is empty.
    """
    if limit < 1:
        raise GraphError(f"node limit must be at least 1, not {limit}")
    full = network.to_network(graph, context=context, include_articles=include_articles)
    if warn is not None and full.number_of_nodes() == 0:
        warn(
            "the query selected nothing to draw, so the page is empty; check the names "
            "and language tags it matches, e.g. nekg query "
            "'SELECT ?e ?name WHERE { ?e skos:prefLabel ?name }'"
            if context is not None
            else "the graph has no entities to draw, so the page is empty"
        )
    shown = keep_most_connected(full, limit)
    total = (full.number_of_nodes(), full.number_of_edges()) if shown is not full else None
    return render(
        shown,
        title=title,
        total=total,
        articles=_articles(context if context is not None else graph),
    )


def write_html(
    graph: Graph,
    path: Path | str,
    *,
    context: Graph | None = None,
    title: str = "nekg 知识图谱",
    limit: int = DEFAULT_LIMIT,
    include_articles: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Path | str:
    """Write the page for ``graph`` to ``path``; return the path.

    ``"-"`` is standard output, a FIFO or device is written into, a regular file is
    replaced atomically (:func:`graph.files.write_output`).
    """
    page = draw(
        graph,
        context=context,
        title=title,
        limit=limit,
        include_articles=include_articles,
        warn=warn,
    )
    return write_output(path, page)


def from_file(
    graph_file: Path | str,
    output: Path | str,
    *,
    query: str | None = None,
    title: str | None = None,
    limit: int = DEFAULT_LIMIT,
    include_articles: bool = False,
    warn: Callable[[str], None] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_remote: bool = False,
) -> Path | str:
    """Draw a graph file, or the part of it a SPARQL query returns, into ``output``.

    Args:
        graph_file: A graph written by ``nekg build`` or any Turtle/N-Triples file.
        output: The HTML file to write (``"-"``: standard output).
        query: A SPARQL CONSTRUCT, DESCRIBE or SELECT query; see :func:`select`.
        title: The page heading; defaults to the graph file's name.
        limit: Draw at most this many nodes, the most connected ones.
        include_articles: Also draw articles and their mentions.
        warn: Told when there is nothing to draw (an empty page is still written).
        timeout: Seconds the query may run (as ``nekg query --timeout``).
        allow_remote: Allow SERVICE and LOAD in the query.
    """
    graph = load_graph(graph_file)
    drawn, asked_articles = (
        (graph, False)
        if query is None
        else select(graph, query, timeout=timeout, allow_remote=allow_remote)
    )
    heading = title or f"nekg 知识图谱 · {Path(graph_file).name}" + (
        " · 查询结果 query result" if query else ""
    )
    return write_html(
        drawn,
        output,
        context=None if query is None else graph,
        title=heading,
        limit=limit,
        include_articles=include_articles or asked_articles,
        warn=warn,
    )


# rdflib's name of a format → the Oxigraph parser for it (Rust, much faster on big files).
