"""An entity's figures in the HTML details panel, in a real browser (Debian chromium)."""

from __future__ import annotations

import pytest
from test_figures import FIGURES, _extraction
from test_html_browser import browser, visit  # noqa: F401  (fixtures)

from graph.outputs import html
from graph.rdf.build import to_graph

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        (
            "中创新航",
            [
                "40GWh · capacity · 2023",
                "20亿元 · investment · 2022",
                "150亿元 · investment · 2023",
            ],
        ),
        ("金坛区", []),
    ],
)
def test_figures_browser_details_panel_lists_the_entity_figures(visit, tmp_path, name, lines):  # noqa: F811
    page = visit(html.write_html(to_graph(_extraction(*FIGURES)), tmp_path / "figures.html"))
    assert not [n for n in page.js("() => nekg.nodes.getIds()") if "/figure/" in n]
    page.page.fill("#search", name)
    page.page.press("#search", "Enter")
    assert page.page.text_content("#details h3") == name
    shown = page.js("() => [...document.querySelectorAll('#details li')].map(li => li.textContent)")
    assert [s for s in shown if "·" in s] == lines
