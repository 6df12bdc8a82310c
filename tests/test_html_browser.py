"""The HTML view in a real browser (Debian chromium through Playwright), offline.

Each test opens a generated page from disk with the network switched off and every
request routed through a recorder, then reads what vis-network actually holds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import SEEDS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from test_html import (
    PAYLOADS,
    SAMPLE,
    expected_entities,
    expected_facts,
    page_data,
    payload_graph,
)
from test_html_scale import big_graph

from graph import pipeline
from graph.outputs import html
from graph.outputs import selection as html_selection
from graph.rdf import build as rdf
from graph.rdf.vocab import ID, NEKG

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SETTLED = "() => window.nekg && window.nekg.state.stabilized"
PAYLOAD_ARTICLE = (
    "<img src=x onerror=alert(1)>中创新航落户金坛\n\n"
    "中创新航<img src=x onerror=alert(1)>科技股份有限公司位于常州市金坛区。"
    "<script>alert(2)</script>宁德时代位于溧阳市，与中创新航签署合作协议。\n"
    '中创新航董事长张三<a href="javascript:alert(3)">href</a>表示，'
    "</script><script>alert(4)</script>金坛区将打造动力电池产业链。<!--\n"
)


def _missing(what: str) -> None:
    if os.environ.get("NEKG_REQUIRE_TOOLS"):
        pytest.fail(f"{what} is required (NEKG_REQUIRE_TOOLS is set) but not installed")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser():
    """One headless Debian chromium for the whole module."""
    if not CHROMIUM.exists():
        _missing(str(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened offline from disk, with every request, dialog, error and console line kept."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(offline=True, viewport={"width": 1280, "height": 860})
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        started = time.perf_counter()
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(SETTLED, timeout=60_000)
        self.seconds = time.perf_counter() - started

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def drawn(self) -> tuple[set[str], set[tuple[str, str, str]]]:
        nodes = self.js("() => nekg.nodes.getIds()")
        edges = self.js("() => nekg.edges.get().map(e => [e.from, e.rel, e.to])")
        return set(nodes), {tuple(e) for e in edges}

    def visible(self) -> tuple[set[str], set[str]]:
        """Ids of the nodes and edges vis-network is drawing right now (after filters)."""
        return (
            set(self.js("() => nekg.network.body.nodeIndices")),
            set(self.js("() => nekg.network.body.edgeIndices")),
        )

    def hover(self, most: int | None = None, *, click: bool = False) -> list[str]:
        """Move the mouse over the nodes and edge middles (the first ``most`` of each), maybe
        clicking them; return the tooltip texts shown."""
        box = self.page.locator("#network canvas").bounding_box()
        points = self.js(
            """() => {
                const pos = nekg.network.getPositions();
                const dom = p => nekg.network.canvasToDOM(p);
                const nodes = Object.values(pos).map(dom).slice(0, most);
                const edges = nekg.edges.get().filter(e => pos[e.from] && pos[e.to]).map(e =>
                    dom({x: (pos[e.from].x + pos[e.to].x) / 2, y: (pos[e.from].y + pos[e.to].y) / 2}));
                return nodes.concat(edges.slice(0, most));
            }""".replace("most", str(most) if most else "undefined")
        )
        shown = []
        for point in points:
            x, y = box["x"] + point["x"], box["y"] + point["y"]
            if not (
                box["x"] <= x <= box["x"] + box["width"]
                and box["y"] <= y <= box["y"] + box["height"]
            ):
                continue
            self.page.mouse.move(x, y)
            self.page.wait_for_timeout(200)
            text = self.js(
                "() => { const t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility === 'visible' ? t.textContent : null; }"
            )
            if text:
                shown.append(text)
            if click:
                self.page.mouse.click(x, y)
        return shown

    def elements(self) -> dict[str, int]:
        return self.js(
            """() => ({
                script: document.querySelectorAll('script').length,
                img: document.querySelectorAll('img').length,
                svg: document.querySelectorAll('svg').length,
                iframe: document.querySelectorAll('iframe').length,
                a: document.querySelectorAll('a').length,
                handlers: [...document.querySelectorAll('*')].filter(el =>
                    [...el.attributes].some(a => a.name.startsWith('on'))).length,
            })"""
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_page(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    """The graph of the seed articles, built by the real pipeline."""
    return rdf.to_graph(pipeline.run([SEEDS]))


@pytest.fixture(scope="module")
def pages(tmp_path_factory, seed_graph) -> dict[str, tuple[Graph, Path]]:
    folder = tmp_path_factory.mktemp("pages")
    sample = html_selection.load_graph(SAMPLE)
    made = {"sample": sample, "seeds": seed_graph}
    return {
        name: (graph, html.write_html(graph, folder / f"{name}.html"))
        for name, graph in made.items()
    }


@pytest.mark.parametrize("name", ["sample", "seeds"])
def test_html_browser_draws_exactly_the_graph(visit, pages, name):
    graph, path = pages[name]
    page = visit(path)
    nodes, edges = page.drawn()
    assert nodes == expected_entities(graph)
    assert edges == expected_facts(graph)
    data = page_data(path.read_text(encoding="utf-8"))
    loners = {n["id"] for n in data["nodes"] if n["degree"] == 0}
    hidden = loners if data["view"]["hideIsolated"] else set()
    assert page.visible() == (nodes - hidden, set(page.js("() => nekg.edges.getIds()")))
    assert page.js("() => nekg.network.physics.options.enabled") is False
    assert page.errors == []


@pytest.mark.parametrize(
    ("query", "iri", "label"),
    [
        ("中创新航", "company/calb", "中创新航"),
        ("CALB", "company/calb", "中创新航"),
        ("中创新航科技股份有限公司", "company/calb", "中创新航"),
        ("溧阳", "place/320481", "溧阳市"),
        ("  常州市 ", "place/320400", "常州市"),
    ],
)
def test_html_browser_search_selects_and_focuses_the_entity(visit, pages, query, iri, label):
    page = visit(pages["sample"][1])
    page.page.fill("#search", query)
    page.page.press("#search", "Enter")
    assert page.js("() => nekg.network.getSelectedNodes()") == [f"{ID}{iri}"]
    assert page.page.text_content("#details h3") == label
    # the view glides to the node: wait until its centre is on it and zoomed in
    page.page.wait_for_function(
        """id => { const c = nekg.network.getViewPosition(), p = nekg.network.getPositions([id])[id];
                   return Math.hypot(c.x - p.x, c.y - p.y) < 1 && Math.abs(nekg.network.getScale() - 1.0) < 0.01; }""",
        arg=f"{ID}{iri}",
        timeout=5_000,
    )
    assert page.page.text_content("#search-status") == ""


def test_html_browser_search_says_when_nothing_matches(visit, pages):
    page = visit(pages["sample"][1])
    page.page.fill("#search", "不存在的公司")
    page.page.click("#search-go")
    assert "未找到" in page.page.text_content("#search-status")
    assert page.js("() => nekg.network.getSelectedNodes()") == []


@pytest.mark.parametrize("name", ["sample", "seeds"])
def test_html_browser_no_request_leaves_the_page(visit, pages, name):
    page = visit(pages[name][1])
    shown = page.hover(most=20)
    page.page.fill("#search", "金坛")
    page.page.press("#search", "Enter")
    page.page.wait_for_timeout(500)
    assert page.outside == []
    assert all(url.startswith("file:") for url in page.requests)
    assert shown, "hovering showed no tooltip"
    assert not [
        line for line in page.console if "Content Security Policy" in line or "Refused" in line
    ]


@pytest.mark.parametrize(
    ("toggle", "hidden_nodes", "hidden_edges"),
    [
        ('input[data-type="Place"]', {"place/320413", "place/320481", "place/320400"}, set()),
        (
            'input[data-rel="locatedIn"]',
            set(),
            {
                ("company/calb", "place/320413"),
                ("company/catl", "place/320481"),
                ("platform/lianghu", "place/320400"),
            },
        ),
        ("#hide-isolated", {"company/lonely"}, set()),
    ],
)
def test_html_browser_filters_hide_types_relations_and_loners(
    visit, pages, toggle, hidden_nodes, hidden_edges
):
    page = visit(pages["sample"][1])
    nodes_before, edges_before = page.visible()
    page.page.click(toggle)
    nodes_after, edges_after = page.visible()
    assert nodes_before - nodes_after == {f"{ID}{n}" for n in hidden_nodes}
    if hidden_edges:
        assert edges_before - edges_after == {f"{ID}{h} locatedIn {ID}{t}" for h, t in hidden_edges}
    page.page.click(toggle)
    assert page.visible() == (nodes_before, edges_before)


def _payload_pages(tmp: Path) -> dict[str, Path]:
    handmade = payload_graph(" ".join(PAYLOADS))
    articles = tmp / "news"
    articles.mkdir()
    (articles / "payload.txt").write_text(PAYLOAD_ARTICLE, encoding="utf-8")
    built = rdf.to_graph(pipeline.run([articles]))
    return {
        "handmade": html.write_html(
            handmade, tmp / "handmade.html", title=PAYLOADS[0], include_articles=True
        ),
        "article": html.write_html(
            built, tmp / "article.html", title=PAYLOADS[1], include_articles=True
        ),
    }


@pytest.fixture(scope="module")
def payload_pages(tmp_path_factory) -> dict[str, Path]:
    return _payload_pages(tmp_path_factory.mktemp("payloads"))


@pytest.mark.parametrize("name", ["handmade", "article"])
def test_html_browser_untrusted_text_raises_no_dialog_and_adds_no_element(
    visit, pages, payload_pages, name
):
    clean = visit(pages["sample"][1]).elements()
    page = visit(payload_pages[name])
    shown = page.hover(click=True)
    page.page.fill("#search", "<img")
    page.page.press("#search", "Enter")
    page.page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.errors == []
    assert page.elements() == clean
    assert page.outside == []
    assert any("onerror=alert(1)" in text for text in shown), (
        "the payload should show as plain text in a tooltip"
    )
    assert "onerror=alert(1)" in page.page.text_content("#details")
    assert page.page.title() in PAYLOADS[:2]
    assert page.page.text_content("#heading") in PAYLOADS[:2]


def test_html_browser_big_graph_settles_and_stops(visit, tmp_path):
    graph = Graph()
    iris = [URIRef(f"{ID}company/c{i}") for i in range(3000)]
    for i, iri in enumerate(iris):
        graph.add((iri, RDF.type, NEKG.Company))
        graph.add((iri, SKOS.prefLabel, Literal(f"公司{i}", lang="zh")))
        graph.add((iri, NEKG.partnersWith, iris[(i * 7 + 1) % len(iris)]))
        graph.add((iri, NEKG.partnersWith, iris[(i * 13 + 5) % len(iris)]))
    page = visit(html.write_html(graph, tmp_path / "big.html"))
    assert len(page.js("() => nekg.nodes.getIds()")) == html.DEFAULT_LIMIT
    assert page.page.is_visible("#limit-note")
    assert page.js("() => nekg.network.physics.options.enabled") is False
    assert page.seconds < 30, f"took {page.seconds:.1f} s to settle"


# --- big graphs: fixed positions, hidden loners, groups ------------------------------


@pytest.fixture(scope="module")
def big_pages(tmp_path_factory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("big")
    return {
        size: html.write_html(big_graph(size), folder / f"big{size}.html", limit=size)
        for size in (html.HIDE_ISOLATED_ABOVE + 40, 2000)
    }


def test_html_browser_draws_2000_entities_at_their_shipped_positions(visit, big_pages):
    path = big_pages[2000]
    page = visit(path)
    shipped = {
        n["id"]: (n["x"], n["y"]) for n in page_data(path.read_text(encoding="utf-8"))["nodes"]
    }
    assert page.js("() => nekg.network.physics.options.enabled") is False
    groups = page.js("() => nekg.clusters()")
    assert groups, "a big page opens grouped by place"
    page.page.select_option("#cluster-by", "none")
    assert page.js("() => nekg.clusters()") == []
    drawn = page.js("() => nekg.network.getPositions()")
    assert drawn
    assert all((round(p["x"]), round(p["y"])) == shipped[node] for node, p in drawn.items())
    # without relations, hidden; the rest all drawn
    assert set(drawn) == expected_related(path)
    page.page.select_option("#cluster-by", "place")
    first = page.js("() => nekg.clusters()")[0]
    page.js("id => nekg.network.openCluster(id)", first)
    assert first not in page.js("() => nekg.clusters()")
    assert page.errors == []


def expected_related(path: Path) -> set[str]:
    data = page_data(path.read_text(encoding="utf-8"))
    return {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}


def test_html_browser_hidden_loners_are_found_and_listed(visit, big_pages):
    path = big_pages[html.HIDE_ISOLATED_ABOVE + 40]
    data = page_data(path.read_text(encoding="utf-8"))
    loners = sorted((n for n in data["nodes"] if n["degree"] == 0), key=lambda n: n["id"])
    page = visit(path)
    nodes, _ = page.visible()
    assert nodes == expected_related(path)
    assert page.page.is_checked("#hide-isolated")
    # search finds a hidden loner, shows it alone and its details
    page.page.fill("#search", loners[0]["label"])
    page.page.press("#search", "Enter")
    assert page.js("() => nekg.network.getSelectedNodes()") == [loners[0]["id"]]
    assert page.page.text_content("#details h3") == loners[0]["label"]
    assert page.visible()[0] == nodes | {loners[0]["id"]}
    # the list names every loner; picking one shows it
    page.page.click("#loners summary")
    items = page.page.locator("#loner-list li")
    assert items.count() == len(loners)
    page.page.click(f'#loner-list li[data-id="{loners[1]["id"]}"]')
    assert page.page.text_content("#details h3") == loners[1]["label"]
    assert loners[1]["id"] in page.visible()[0]
    page.page.uncheck("#hide-isolated")
    assert page.visible()[0] == {n["id"] for n in data["nodes"]}
    assert page.errors == []


@pytest.mark.parametrize(
    ("group_by", "hide_type", "name_of_first"),
    [
        ("place", None, "地0区"),
        ("place", "Place", "地0区"),  # the place itself filtered out: the group keeps its name
        ("type", None, "公司 Company"),
    ],
)
def test_html_browser_groups_are_named_and_open_on_click(
    visit, big_pages, group_by, hide_type, name_of_first
):
    page = visit(big_pages[2000])
    page.page.select_option("#cluster-by", group_by)
    if hide_type:
        page.page.uncheck(f'input[data-type="{hide_type}"]')
    groups = page.js("() => nekg.clusters()")
    assert groups
    label = page.js("id => nekg.network.body.nodes[id].options.label", groups[0])
    assert label.startswith(name_of_first + " (")
    page.js("id => nekg.network.moveTo({position: nekg.network.getPositions([id])[id]})", groups[0])
    point = page.js(
        "id => nekg.network.canvasToDOM(nekg.network.getPositions([id])[id])", groups[0]
    )
    box = page.page.locator("#network canvas").bounding_box()
    page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert groups[0] not in page.js("() => nekg.clusters()")
    assert page.errors == []
