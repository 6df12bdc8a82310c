"""Time-to-interactive of graph.html in Chromium on generated graphs of the nekg shape.

Generates graphs of 500, 2,000 and 5,000 entities shaped like ``nekg build`` output: places
in a province/city/district hierarchy, companies, platforms, policies, organizations, people,
industry chains and projects, about three in four of them without any relation (as in a
year of regional news, where most names are mentioned once), the rest joined by
``locatedIn``, ``partOf``, ``partnersWith``, ``leadsChain``, ``issuedBy``, ``hasRole`` and
``builtBy`` facts, each with an ``rdf:Statement`` carrying its evidence sentence.

For each size it writes the page with every entity kept (``limit`` = the size), then opens it
from disk in headless Debian chromium (Playwright, offline) and reports:

- ``python``: seconds to draw the page (load the graph, lay it out, write the HTML);
- ``MB``: the size of the page;
- ``interactive``: seconds from navigation until the page says it is ready to use (the
  graph drawn and still: ``window.nekg.state.stabilized``), median of ``--runs`` opens;
- ``shown``: the nodes vis-network draws once ready (after hidden loners and clusters);
- ``show all``: seconds to show every node (loners unhidden, groups opened) and draw them,
  once the page is ready (0 when everything is shown from the start).

Usage::

    python3 scripts/bench_html.py                      # 500, 2,000 and 5,000 entities
    python3 scripts/bench_html.py --sizes 2000 --runs 3
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.outputs import html
from graph.outputs import network as html_network
from graph.rdf.vocab import ID, NEKG

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
READY = "() => window.nekg && window.nekg.state.stabilized"
COUNT = "() => nekg.nodes.length"
# Show every node (no hidden loners, no groups) and wait for the next drawing: seconds.
EVERYTHING = """() => new Promise(done => {
    const started = performance.now();
    nekg.network.once("afterDrawing", () => done((performance.now() - started) / 1000));
    const box = document.getElementById("hide-isolated");
    if (box && box.checked) { box.click(); }
    const group = document.getElementById("cluster-by");
    group.value = "none";
    group.dispatchEvent(new Event("change"));
    nekg.network.redraw();
})"""

# Share of each kind among the entities that are not places (places come first).
KINDS = [
    ("company", NEKG.Company, "科技有限公司", 0.62),
    ("org", NEKG.Organization, "管理委员会", 0.12),
    ("person", NEKG.Person, "", 0.1),
    ("platform", NEKG.Platform, "产业园", 0.06),
    ("policy", NEKG.Policy, "行动方案", 0.05),
    ("project", NEKG.Project, "项目", 0.04),
    ("chain", NEKG.IndustryChain, "产业链", 0.01),
]
CONNECTED = 0.26  # share of entities with at least one relation


def generate(size: int) -> Graph:
    """A graph of ``size`` entities in the nekg shape, the same for the same size."""
    g = Graph()
    n_places = max(size // 25, 12)
    places: list[URIRef] = []
    for p in range(n_places):
        node = URIRef(f"{ID}place/{320000 + p * 100 + 1}")
        places.append(node)
        level = "省" if p == 0 else "市" if p < 1 + n_places // 8 else "区"
        g.add((node, RDF.type, NEKG.Place))
        g.add((node, SKOS.prefLabel, Literal(f"地名{p}{level}", lang="zh")))
        g.add((node, RDFS.label, Literal(f"地名{p}{level}", lang="zh")))
        g.add((node, NEKG.adminCode, Literal(str(320000 + p * 100 + 1))))
        if p:
            parent = 0 if p < 1 + n_places // 8 else 1 + p % (n_places // 8)
            _fact(g, node, NEKG.partOf, places[parent], p)
    others: list[tuple[str, URIRef]] = []
    rest = size - n_places
    for kind, cls, suffix, share in KINDS:
        for i in range(max(round(rest * share), 1)):
            if len(others) >= rest:
                break
            node = URIRef(f"{ID}{kind}/{kind[0]}{i}")
            others.append((kind, node))
            g.add((node, RDF.type, cls))
            name = f"{kind}{i}号{suffix}" if suffix else f"人物{i}"
            g.add((node, SKOS.prefLabel, Literal(name, lang="zh")))
            if kind == "company" and i % 3 == 0:
                g.add((node, SKOS.altLabel, Literal(f"{kind}{i}号", lang="zh")))
    by_kind: dict[str, list[URIRef]] = {}
    for kind, node in others:
        by_kind.setdefault(kind, []).append(node)
    connected = int(len(others) * CONNECTED)
    for i, (kind, node) in enumerate(others[:: max(len(others) // max(connected, 1), 1)]):
        if kind in ("company", "platform", "project", "org"):
            _fact(g, node, NEKG.locatedIn, places[1 + (i * 7) % (len(places) - 1)], i)
        if kind == "company" and i % 4 == 0:
            partner = by_kind["company"][(i * 13 + 1) % len(by_kind["company"])]
            _fact(g, node, NEKG.partnersWith, partner, i)
        if kind == "company" and i % 9 == 0 and by_kind.get("chain"):
            _fact(g, node, NEKG.leadsChain, by_kind["chain"][i % len(by_kind["chain"])], i)
        if kind == "policy":
            _fact(g, node, NEKG.issuedBy, by_kind["org"][i % len(by_kind["org"])], i)
        if kind == "person":
            _fact(g, node, NEKG.hasRole, by_kind["company"][i % len(by_kind["company"])], i)
        if kind == "project":
            _fact(g, node, NEKG.builtBy, by_kind["company"][(i * 5) % len(by_kind["company"])], i)
    return g


def _fact(g: Graph, head: URIRef, rel: URIRef, tail: URIRef, i: int) -> None:
    g.add((head, rel, tail))
    key = f"{head} {rel} {tail}".encode()
    statement = URIRef(f"{ID}statement/{hashlib.sha1(key).hexdigest()[:16]}")
    article = URIRef(f"{ID}article/a{i % 97}")
    g.add((statement, RDF.type, RDF.Statement))
    g.add((statement, RDF.subject, head))
    g.add((statement, RDF.predicate, rel))
    g.add((statement, RDF.object, tail))
    g.add((statement, PROV.wasDerivedFrom, article))
    g.add((statement, NEKG.evidence, Literal(f"第{i}句：某某与某某的关系见于此句。", lang="zh")))
    g.add((statement, NEKG.start, Literal(i % 300)))
    g.add((statement, NEKG.end, Literal(i % 300 + 18)))
    g.add((article, RDF.type, NEKG.Article))
    g.add((article, DCTERMS.title, Literal(f"新闻{i % 97}", lang="zh")))
    g.add((article, DCTERMS.date, Literal("2024-09")))


def _open(browser, path: Path) -> tuple[float, int]:
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 860})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function(READY, timeout=300_000, polling=50)
        seconds = time.perf_counter() - started
        shown = page.evaluate("() => nekg.network.body.nodeIndices.length")
        everything = page.evaluate(EVERYTHING) if shown < page.evaluate(COUNT) else 0.0
        return seconds, shown, everything
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--runs", type=int, default=3, help="opens per page (median)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for size in args.sizes:
            graph = generate(size)
            ttl = Path(tmp) / f"g{size}.ttl"
            graph.serialize(ttl, format="turtle")
            out = Path(tmp) / f"g{size}.html"
            started = time.perf_counter()
            html.from_file(ttl, out, limit=size)
            python = time.perf_counter() - started
            net = html_network.to_network(graph)
            loners = sum(1 for n in net if net.degree(n) == 0)
            opens = [_open(browser, out) for _ in range(max(args.runs, 1))]
            rows.append(
                (
                    size,
                    net.number_of_nodes(),
                    loners,
                    net.number_of_edges(),
                    python,
                    out.stat().st_size / 1e6,
                    statistics.median(s for s, _, _ in opens),
                    opens[-1][1],
                    statistics.median(e for _, _, e in opens),
                )
            )
            print(_format(rows[-1]), flush=True)
        browser.close()


def _format(row: tuple) -> str:
    size, nodes, loners, edges, python, mb, seconds, shown, everything = row
    return (
        f"entities {size:>5}  nodes {nodes:>5}  loners {loners:>5}  edges {edges:>5}  "
        f"python {python:6.2f} s  page {mb:5.1f} MB  interactive {seconds:6.2f} s  "
        f"shown {shown:>5}  show all {everything:5.2f} s"
    )


if __name__ == "__main__":
    main()
