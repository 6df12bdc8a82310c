"""The HTML view without a browser: what gets drawn, escaping, offline page, CLI and build."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from graph.cli import cli
from graph.errors import GraphError, QueryError
from graph.outputs import html
from graph.outputs import network as html_network
from graph.outputs import selection as html_selection
from graph.rdf.vocab import ID, NEKG

SAMPLE = ROOT / "tests" / "data" / "html" / "sample.ttl"
ENTITY_CLASSES = " ".join(
    f"nekg:{name}"
    for name in (
        "Company",
        "Place",
        "Platform",
        "Policy",
        "Organization",
        "Person",
        "IndustryChain",
        "Project",
    )
)
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "</script><script>alert(3)</script>",
    "<!--<script>alert(4)//",
    '<a href="javascript:alert(5)">href</a>',
    '"><svg onload=alert(6)>',
    "]]>\u2028\u2029{{7*7}}",
]


@pytest.fixture(scope="module")
def sample() -> Graph:
    return html_selection.load_graph(SAMPLE)


def expected_entities(graph: Graph) -> set[str]:
    """The entities of ``graph``, by a query independent of the code under test."""
    rows = graph.query(
        f"SELECT DISTINCT ?e WHERE {{ ?e a ?t VALUES ?t {{ {ENTITY_CLASSES} }} }}",
        initNs={"nekg": str(NEKG)},
    )
    return {str(row[0]) for row in rows}


def expected_facts(graph: Graph) -> set[tuple[str, str, str]]:
    """Every ``<entity> nekg:<relation> <entity>`` triple of ``graph``.

    A scan of the triples rather than a SPARQL join: rdflib's engine takes minutes for that
    join on the seed graph.
    """
    entities = expected_entities(graph)
    return {
        (str(s), str(p).rsplit("#", 1)[1], str(o))
        for s, p, o in graph
        if str(p).startswith(str(NEKG)) and str(s) in entities and str(o) in entities
    }


def drawn(net) -> tuple[set[str], set[tuple[str, str, str]]]:
    return set(net), {(h, rel, t) for h, t, rel in net.edges(keys=True)}


class Tags(HTMLParser):
    """Every start tag with its attributes, plus the text of script and style elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.raw else None
        if self._in:
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


def page_data(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="nekg-data">(.*?)</script>', page, flags=re.S
    )
    assert found, "no graph data in the page"
    return json.loads(found.group(1))


def options_data(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="nekg-options">(.*?)</script>', page, flags=re.S
    )
    assert found, "no vis-network options in the page"
    return json.loads(found.group(1))


# --- what is drawn -------------------------------------------------------------------


@pytest.mark.parametrize("include_articles", [False, True])
def test_html_network_holds_exactly_the_entities_and_facts(sample, include_articles):
    nodes, edges = drawn(html_network.to_network(sample, include_articles=include_articles))
    articles = (
        {str(s) for s in sample.subjects(RDF.type, NEKG.Article)} if include_articles else set()
    )
    mentions = {
        (str(a), "mentions", str(e))
        for a, e in sample.subject_objects(URIRef("https://schema.org/mentions"))
    }
    assert nodes == expected_entities(sample) | articles
    assert edges == expected_facts(sample) | (mentions if include_articles else set())
    assert not any("/statement/" in n or "/mention/" in n for n in nodes)


@pytest.mark.parametrize(
    ("iri", "label", "kind", "aliases"),
    [
        ("company/calb", "中创新航", "Company", ["CALB", "中创新航科技股份有限公司"]),
        ("place/320413", "金坛区", "Place", []),
        ("policy/532", "“532”发展战略", "Policy", []),
        ("project/p1", "中创新航金坛基地", "Project", []),
        ("company/lonely", "孤立公司", "Company", []),
    ],
)
def test_html_nodes_carry_name_type_and_aliases(sample, iri, label, kind, aliases):
    attrs = html_network.to_network(sample).nodes[f"{ID}{iri}"]
    assert (attrs["label"], attrs["type"], attrs["aliases"]) == (label, kind, aliases)


@pytest.mark.parametrize(
    ("head", "rel", "tail", "expected"),
    [
        (
            "company/calb",
            "locatedIn",
            "place/320413",
            [
                ("中创新航金坛基地投产。", "金坛动力电池", "2023-05-01", 0, 11, ""),
                ("中创新航位于金坛区。", "常州新能源之都", "2024-09", 12, 22, ""),
            ],
        ),
        (
            "person/zhang",
            "hasRole",
            "company/calb",
            [("中创新航董事长张三表示。", "常州新能源之都", "2024-09", 30, 42, "董事长")],
        ),
        ("place/320481", "partOf", "place/320400", []),
    ],
)
def test_html_edges_carry_their_evidence(sample, head, rel, tail, expected):
    page = html.draw(sample)
    edge = next(
        e
        for e in page_data(page)["edges"]
        if (e["from"], e["rel"], e["to"]) == (f"{ID}{head}", rel, f"{ID}{tail}")
    )
    got = [
        (ev["sentence"], ev["title"], ev["date"], ev["start"], ev["end"], ev["role"])
        for ev in edge["evidence"]
    ]
    assert got == expected
    for sentence, title, date, *_ in expected:
        assert sentence in edge["title"]
        assert title in edge["title"]
        assert date in edge["title"]
    if rel == "hasRole":
        assert "董事长" in edge["label"]


@pytest.mark.parametrize(
    ("iri", "must_show"),
    [
        ("company/calb", ["中创新航", "Company", "CALB", "中创新航科技股份有限公司"]),
        ("place/320400", ["常州市", "Place", "320400", "http://www.wikidata.org/entity/Q42112"]),
    ],
)
def test_html_node_tooltips_show_type_and_aliases(sample, iri, must_show):
    node = next(n for n in page_data(html.draw(sample))["nodes"] if n["id"] == f"{ID}{iri}")
    assert isinstance(node["title"], str)
    for text in must_show:
        assert text in node["title"]


@pytest.mark.parametrize("limit", [1, 3, 8])
def test_html_limit_keeps_the_most_connected_part_and_says_so(limit):
    graph = Graph()
    hub = URIRef(f"{ID}place/hub")
    graph.add((hub, RDF.type, NEKG.Place))
    for i in range(10):
        spoke = URIRef(f"{ID}company/c{i}")
        graph.add((spoke, RDF.type, NEKG.Company))
        graph.add((spoke, SKOS.prefLabel, Literal(f"公司{i}", lang="zh")))
        graph.add((spoke, NEKG.locatedIn, hub))
        if i % 2:
            graph.add((spoke, NEKG.partnersWith, URIRef(f"{ID}company/c{i - 1}")))
    for i in range(5):
        graph.add((URIRef(f"{ID}person/p{i}"), RDF.type, NEKG.Person))
    page = html.draw(graph, limit=limit)
    data = page_data(page)
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == limit
    assert str(hub) in ids
    assert not any("/person/" in i for i in ids)
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    kept = html_network.to_network(graph).subgraph(ids)
    assert nx.is_weakly_connected(kept), "the part drawn should hang together"
    assert 'id="limit-note"' in page
    assert f"most connected of {16} nodes" in page
    assert "graph.graphml" in page


def test_html_small_graph_has_no_limit_note(sample):
    assert 'id="limit-note"' not in html.draw(sample)


def test_html_same_graph_gives_the_same_page(sample):
    again = html_selection.load_graph(SAMPLE)
    assert html.draw(sample) == html.draw(again)


def test_html_positions_are_shipped_and_physics_is_off(sample):
    data = page_data(html.draw(sample))
    assert html.vis_options()["physics"] == {"enabled": False}
    assert options_data(html.draw(sample))["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])
    assert options_data(html.draw(sample))["edges"]["smooth"] is False


# --- offline and safe ----------------------------------------------------------------

URL_ATTRS = {
    "src",
    "href",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "xlink:href",
    "ping",
}


def external_references(page: str) -> list[str]:
    """Every way the page could load something: URL attributes, CSS url()/@import, link tags."""
    parsed = parse(page)
    found = [
        f"<{tag} {name}={value}>"
        for tag, attrs in parsed.tags
        for name, value in attrs.items()
        if name in URL_ATTRS and value and not value.startswith(("data:", "#"))
    ]
    found += [f"<link {attrs}>" for tag, attrs in parsed.tags if tag == "link"]
    for css in parsed.raw["style"] + [attrs.get("style") or "" for _, attrs in parsed.tags]:
        found += [
            u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) if not u.startswith("data:")
        ]
        found += re.findall(r"@import[^;]*", css)
    return found


@pytest.mark.parametrize("include_articles", [False, True])
def test_html_page_references_nothing_outside_itself(sample, include_articles):
    page = html.draw(sample, include_articles=include_articles)
    assert external_references(page) == []
    parsed = parse(page)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert len(scripts) == 4
    assert all("src" not in attrs for attrs in scripts)
    assert "vis.Network" in parsed.raw["script"][3]
    assert "cdn" not in " ".join(str(a) for _, a in parsed.tags).lower()


def test_html_page_scripts_are_allowed_by_hash_and_nothing_else(sample):
    page = html.draw(sample)
    parsed = parse(page)
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    code = [
        text
        for (tag, attrs), text in zip(
            [t for t in parsed.tags if t[0] == "script"], parsed.raw["script"], strict=True
        )
        if "type" not in attrs
    ]
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert sorted(re.findall(r"'(sha256-[^']+)'", csp)) == sorted(html._sha256(c) for c in code)


def test_html_writing_leaves_nothing_but_the_page(sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = html.write_html(sample, tmp_path / "view" / "g.html")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "view",
        "view/g.html",
    ]
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_json_in_script_cannot_close_it(payload):
    text = html._script_json({"name": payload, "list": [payload]})
    assert "</" not in text
    assert "<!--" not in text
    assert "<" not in text
    assert "\u2028" not in text
    assert json.loads(text) == {"name": payload, "list": [payload]}


def payload_graph(payload: str) -> Graph:
    """A graph whose names, aliases, evidence and article title are all ``payload``."""
    base = Graph().parse(SAMPLE)
    calb, place = URIRef(f"{ID}company/calb"), URIRef(f"{ID}place/320413")
    article = URIRef(f"{ID}article/a1")
    for node in (calb, place):
        base.set((node, SKOS.prefLabel, Literal(payload, lang="zh")))
    base.add((calb, SKOS.altLabel, Literal(payload + "别名", lang="zh")))
    base.set((article, URIRef("http://purl.org/dc/terms/title"), Literal(payload, lang="zh")))
    for st in base.subjects(RDF.subject, calb):
        base.set((st, NEKG.evidence, Literal(f"中创新航{payload}位于金坛区。", lang="zh")))
        base.set((st, NEKG.role, Literal(payload, lang="zh")))
    return base


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_untrusted_text_never_becomes_markup(sample, payload):
    clean = parse(html.draw(sample, include_articles=True))
    page = html.draw(payload_graph(payload), title=payload, include_articles=True)
    dirty = parse(page)
    assert [t for t, _ in dirty.tags] == [t for t, _ in clean.tags], (
        "the payload added or removed elements"
    )
    assert not any(name.startswith("on") for _, attrs in dirty.tags for name in attrs)
    assert "<img" not in page
    assert "<svg" not in page.lower()
    data = page_data(page)
    assert payload in {n["label"] for n in data["nodes"]}
    assert any(payload in ev["sentence"] for e in data["edges"] for ev in e["evidence"])
    heading = re.search(r'<h1 id="heading">(.*?)</h1>', page, flags=re.S).group(1)
    assert "<" not in heading


# --- queries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "labels", "relations"),
    [
        (
            "CONSTRUCT { ?c nekg:locatedIn ?p } WHERE { ?c nekg:locatedIn ?p }",
            {"中创新航", "宁德时代", "两湖创新区", "金坛区", "溧阳市", "常州市"},
            {"locatedIn"},
        ),
        ("SELECT ?p WHERE { ?p a nekg:Place }", {"金坛区", "溧阳市", "常州市"}, {"partOf"}),
        (
            "SELECT ?c ?p WHERE { ?c nekg:locatedIn ?p ; a nekg:Company }",
            {"中创新航", "宁德时代", "金坛区", "溧阳市"},
            {"locatedIn", "partnersWith"},
        ),
        (
            "SELECT ?st WHERE { ?st rdf:subject ?who ; nekg:role ?role }",
            {"张三", "中创新航"},
            {"hasRole"},
        ),
        (
            "DESCRIBE <https://w3id.org/nekg/id/policy/532>",
            {"“532”发展战略", "常州市人民政府"},
            {"issuedBy"},
        ),
        ("SELECT ?x WHERE { ?x a nekg:Project }", {"中创新航金坛基地"}, set()),
        ("SELECT ?a WHERE { ?a a nekg:Article }", {"常州新能源之都", "金坛动力电池"}, set()),
        (
            "SELECT ?a ?e WHERE { ?a schema:mentions ?e }",
            {"常州新能源之都", "中创新航", "金坛区"},
            {"mentions", "locatedIn"},
        ),
        (
            "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a nekg:Person ; skos:prefLabel ?l }",
            {"张三"},
            set(),
        ),
        (
            "CONSTRUCT { ?e nekg:note ?x } WHERE { ?e nekg:adminCode ?x }",
            {"金坛区", "溧阳市", "常州市"},
            set(),
        ),
    ],
)
def test_html_query_result_draws_what_it_asks_for(sample, query, labels, relations):
    part, articles = html_selection.select(sample, query)
    net = html_network.to_network(part, context=sample, include_articles=articles)
    assert {net.nodes[n]["label"] for n in net} == labels
    assert {rel for _, _, rel in net.edges(keys=True)} == relations


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ASK { ?s ?p ?o }", "ASK query gives only true/false"),
        ("SELECT ?s WHERE { ?s ?p ", "SPARQL syntax error at line 1, column"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "cannot draw a SPARQL update"),
        ("SELECT ?s WHERE { ?s nope:x ?o }", "unknown prefix 'nope:' at line 1"),
    ],
)
def test_html_bad_queries_say_what_is_wrong(sample, query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        html_selection.select(sample, query)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.ttl", None, "no such graph file; run `nekg build` first"),
        ("broken.ttl", "<a> <b> .", "cannot read as turtle"),
        ("graph.trig", "<a:a> <a:b> <a:c> .", "cannot draw trig files"),
    ],
)
def test_html_unreadable_graphs_say_what_is_wrong(tmp_path, name, text, message):
    if text is not None:
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(GraphError, match=re.escape(message)):
        html_selection.load_graph(tmp_path / name)


# --- command line and build ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "nodes", "edges"),
    [
        ([], 12, 10),
        (["--articles"], 14, 12),
        (["--limit", "5"], 5, None),
        (["-q", "CONSTRUCT { ?a nekg:partOf ?b } WHERE { ?a nekg:partOf ?b }"], 3, 2),
        (["-f", "QUERY_FILE"], 2, 1),
        (["--graph", "SAMPLE_FOLDER"], 12, 10),
    ],
)
def test_html_cli_writes_the_page(tmp_path, args, nodes, edges):
    query_file = tmp_path / "q.rq"
    query_file.write_text(
        "PREFIX nekg: <https://w3id.org/nekg/ontology#>\nSELECT ?c ?x WHERE { ?c nekg:leadsChain ?x ; nekg:partnersWith ?y }\n",
        encoding="utf-8",
    )
    folder = tmp_path / "built"
    folder.mkdir()
    (folder / "graph.ttl").write_bytes(SAMPLE.read_bytes())
    args = [{"QUERY_FILE": str(query_file), "SAMPLE_FOLDER": str(folder)}.get(a, a) for a in args]
    out = tmp_path / "page.html"
    graph = [] if "--graph" in args else ["--graph", str(SAMPLE)]
    result = CliRunner().invoke(cli, ["html", *graph, *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out}"
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == nodes
    if edges is not None:
        assert len(data["edges"]) == edges


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--graph", "no/such.ttl"],
            "Error: no/such.ttl: no such graph file; run `nekg build` first or give --graph FILE",
        ),
        (
            ["-q", "ASK { ?s ?p ?o }"],
            "Error: an ASK query gives only true/false; use SELECT or CONSTRUCT to draw a graph",
        ),
        (
            ["-q", "SELECT ?s {", "-f", str(SAMPLE)],
            "Error: give the query with --query or with -f FILE, not both",
        ),
        (["--limit", "0"], "Error: Invalid value for '--limit'"),
    ],
)
def test_html_cli_errors_are_one_line(tmp_path, args, message):
    if "--graph" not in args:
        args = ["--graph", str(SAMPLE), *args]
    result = CliRunner().invoke(cli, ["html", *args, "-o", str(tmp_path / "x.html")])
    assert result.exit_code != 0
    lines = [line for line in result.output.strip().splitlines() if line.startswith("Error")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(message), result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_html_build_writes_the_page_beside_the_graph(tmp_path):
    from graph import pipeline

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "中创新航落户金坛\n\n中创新航科技股份有限公司位于常州市金坛区。宁德时代位于溧阳市。\n",
        encoding="utf-8",
    )
    result = pipeline.build([folder], tmp_path / "out", check=False)
    page = tmp_path / "out" / "graph.html"
    assert page in result.written
    graph = html_selection.load_graph(tmp_path / "out" / "graph.ttl")
    data = page_data(page.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == expected_entities(graph)
    assert {(e["from"], e["rel"], e["to"]) for e in data["edges"]} == expected_facts(graph)


@pytest.mark.parametrize(("nodes", "edges"), [(20_000, 40_000)])
def test_html_large_graph_is_drawn_quickly_and_cut_to_the_limit(nodes, edges):
    graph = Graph()
    iris = [URIRef(f"{ID}company/c{i}") for i in range(nodes)]
    for i, iri in enumerate(iris):
        graph.add((iri, RDF.type, NEKG.Company))
        graph.add((iri, SKOS.prefLabel, Literal(f"公司{i}", lang="zh")))
    for j in range(edges):
        graph.add((iris[j % nodes], NEKG.partnersWith, iris[(j * 7919 + 1) % nodes]))
    started = time.perf_counter()
    page = html.draw(graph)
    seconds = time.perf_counter() - started
    assert len(page_data(page)["nodes"]) == html.DEFAULT_LIMIT
    assert seconds < 30, f"{nodes} nodes / {edges} edges took {seconds:.1f} s"


def test_html_template_files_ship_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"templates/*"' in pyproject
    assert {p.name for p in Path(html.TEMPLATES).iterdir()} >= {"graph.html", "graph.js"}


def test_html_cli_limit_default_is_the_library_default():
    from graph.cli import cli

    option = next(p for p in cli.commands["html"].params if p.name == "limit")
    assert option.default == html.DEFAULT_LIMIT
