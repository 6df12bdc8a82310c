"""Hostile cases for what a build leaves on disk: empty inputs, killed runs, a full disk,
counts that must agree, empty drawings, fonts, and the test setup a new user meets."""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS

from graph import pipeline
from graph.cli import cli

OUTPUTS = ("graph.ttl", "graph.graphml", "graph.html")

ARTICLE_A = "中创新航落户金坛\n\n中创新航科技股份有限公司位于常州市金坛区。宁德时代位于溧阳市。\n"
ARTICLE_B = "溧阳动力电池\n\n宁德时代是动力电池产业链链主。宁德时代与中创新航签署合作协议。\n"


def _digest(out: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest()
        for name in OUTPUTS
        if (out / name).exists()
    }


def _corpus(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "news.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, dict[str, str]]]:
    """Two different small corpora and the digests of a normal build of each."""
    root = tmp_path_factory.mktemp("builds")
    made = {}
    for name, text in (("a", ARTICLE_A), ("b", ARTICLE_B)):
        corpus = _corpus(root / f"corpus_{name}", text)
        out = root / f"out_{name}"
        pipeline.build([corpus], out, check=False)
        made[name] = (corpus, _digest(out))
    assert made["a"][1] != made["b"][1]
    return made


def _previous_build(tmp_path: Path, builds) -> tuple[Path, dict[str, str]]:
    """An output folder holding build A and a file of the user's own."""
    corpus, digest = builds["a"]
    out = tmp_path / "out"
    pipeline.build([corpus], out, check=False)
    (out / "notes.md").write_text("my notes", encoding="utf-8")
    assert _digest(out) == digest
    return out, digest


# --- a build that reads nothing never replaces a graph --------------------------------------------


def _empty_folder(tmp: Path) -> list[str]:
    (tmp / "empty").mkdir()
    return [str(tmp / "empty")]


def _only_other_files(tmp: Path) -> list[str]:
    (tmp / "data").mkdir()
    (tmp / "data" / "table.csv").write_text("a,b\n", encoding="utf-8")
    (tmp / "data" / "picture.png").write_bytes(b"\x89PNG\r\n")
    return [str(tmp / "data")]


def _all_bad_skipped(tmp: Path) -> list[str]:
    (tmp / "bad").mkdir()
    (tmp / "bad" / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (tmp / "bad" / "blank.md").write_text("   \n\n", encoding="utf-8")
    (tmp / "bad" / "broken.jsonl").write_text('{"id": "x", "text": \n', encoding="utf-8")
    return ["--skip-bad", str(tmp / "bad")]


def _bad_file_skipped(tmp: Path) -> list[str]:
    (tmp / "utf32.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    return ["--skip-bad", str(tmp / "utf32.txt")]


NOTHING_TO_READ = [
    pytest.param(_empty_folder, id="empty folder"),
    pytest.param(_only_other_files, id="folder without article files"),
    pytest.param(_all_bad_skipped, id="--skip-bad, every file bad"),
    pytest.param(_bad_file_skipped, id="--skip-bad, the only file bad"),
]


@pytest.mark.parametrize("make_inputs", NOTHING_TO_READ)
def test_build_of_nothing_keeps_the_previous_graph(tmp_path, builds, make_inputs):
    out, before = _previous_build(tmp_path, builds)
    args = make_inputs(tmp_path)
    result = CliRunner().invoke(cli, ["build", *args, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
    assert len(errors) == 1, result.stderr
    assert "no article could be read from" in errors[0]
    assert f"{out} left as it was" in errors[0]
    assert "--allow-empty" in errors[0]
    assert _digest(out) == before
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"


@pytest.mark.parametrize("make_inputs", NOTHING_TO_READ)
def test_build_of_nothing_writes_an_empty_graph_when_asked(tmp_path, builds, make_inputs):
    out, before = _previous_build(tmp_path, builds)
    args = make_inputs(tmp_path)
    result = CliRunner().invoke(cli, ["build", *args, "--allow-empty", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 articles" in result.stdout
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == 0
    assert _digest(out).keys() == before.keys()
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"


# --- a killed build leaves one build's outputs, and the next run cleans up ---------------------------

# Each case kills the build (SIGKILL: nothing can clean up) at one moment of its run, and
# says what the output folder holds right after: the previous build's files, untouched,
# or (killed while moving the new files in) whatever the next run must finish.
KILL_POINTS = [
    pytest.param(
        "import graph.outputs.html as m; m.draw = lambda *a, **k: kill()",
        "previous",
        id="while drawing the page",
    ),
    pytest.param(
        "import os as m; m.fsync = lambda fd: kill()",
        "previous",
        id="while writing the first file",
    ),
    pytest.param(
        "import os as m; real = m.replace; calls = []\n"
        "def replace(*a, **k):\n"
        "    calls.append(a)\n"
        "    if len(calls) == 2: kill()\n"
        "    return real(*a, **k)\n"
        "m.replace = replace",
        "unfinished",
        id="between moving two files in",
    ),
]

_CHILD = """
import os, signal, sys
def kill():
    os.kill(os.getpid(), signal.SIGKILL)
{patch}
from graph.cli import main
sys.argv = ["nekg", "build", {corpus!r}, "-o", {out!r}]
main()
"""


@pytest.mark.parametrize(("patch", "right_after"), KILL_POINTS)
def test_killed_build_never_mixes_two_builds(tmp_path, builds, patch, right_after):
    from graph import files

    out, digest_a = _previous_build(tmp_path, builds)
    corpus_b, digest_b = builds["b"]
    code = _CHILD.format(patch=patch, corpus=str(corpus_b), out=str(out))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr

    if right_after == "previous":
        assert _digest(out) == digest_a
    else:
        # What every later run into the folder does first: finish the move.
        files.recover(out, OUTPUTS)
        assert _digest(out) == digest_b
        assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, "notes.md", "store"])

    result = CliRunner().invoke(cli, ["build", str(corpus_b), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _digest(out) == digest_b
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, "notes.md", "store"])
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"


def test_build_cleans_up_stray_temporary_files_of_its_outputs(tmp_path, builds):
    out, _ = _previous_build(tmp_path, builds)
    strays = [out / ".graph.ttl.k2j3x9.tmp", out / ".graph.html.a8sd7f.tmp"]
    for stray in strays:
        stray.write_text("half a file", encoding="utf-8")
    (out / ".hidden-user-file.tmp").write_text("mine", encoding="utf-8")
    corpus_b, digest_b = builds["b"]
    result = CliRunner().invoke(cli, ["build", str(corpus_b), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _digest(out) == digest_b
    assert not any(stray.exists() for stray in strays)
    assert (out / ".hidden-user-file.tmp").read_text(encoding="utf-8") == "mine"


# --- a write that fails names the file and keeps the old outputs -------------------------------------


def _limit_file_size() -> None:
    # Writes past 64 KB fail with EFBIG (Python ignores SIGXFSZ), like a disk that fills up.
    resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))


def test_build_on_a_full_disk_names_the_file_and_keeps_the_old_outputs(tmp_path, builds):
    out, before = _previous_build(tmp_path, builds)
    corpus_b, _ = builds["b"]
    done = subprocess.run(
        [sys.executable, "-m", "graph", "build", str(corpus_b), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_file_size,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert re.search(
        rf"{re.escape(str(out))}/(graph\.\w+|store): cannot write: .*File too large", lines[0]
    )
    assert f"{out} left as it was" in lines[0]
    assert _digest(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, "notes.md", "store"])


# --- one count of entities and facts everywhere -----------------------------------------------------


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "out"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.stdout.strip().splitlines()[-1]


def _turtle_counts(path: Path) -> tuple[int, int]:
    from graph.rdf.vocab import NEKG
    from graph.records import EntityType, RelationType

    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    classes = " ".join(f"<{NEKG[t.value]}>" for t in EntityType)
    predicates = " ".join(f"<{NEKG[r.value]}>" for r in RelationType)
    entities = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }}"
    facts = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
        f"VALUES ?p {{ {predicates} }} VALUES ?cs {{ {classes} }} VALUES ?co {{ {classes} }} "
        "?s ?p ?o . ?s a ?cs . ?o a ?co } }"
    )
    return tuple(int(next(iter(store.query(q)))["n"].value) for q in (entities, facts))


def test_build_summary_graph_graphml_and_page_count_the_same(seed_build):
    out, summary = seed_build
    match = re.search(r"(\d+) entities, (\d+) relations", summary)
    assert match, summary
    printed = (int(match[1]), int(match[2]))

    in_turtle = _turtle_counts(out / "graph.ttl")
    network = nx.read_graphml(out / "graph.graphml")
    in_graphml = (network.number_of_nodes(), network.number_of_edges())
    page = (out / "graph.html").read_text(encoding="utf-8")
    shown = re.search(r"(\d+) 个节点 nodes · (\d+) 条关系 relations", page)
    assert shown, "the page states no counts"
    in_page = (int(shown[1]), int(shown[2]))

    assert printed == in_turtle == in_graphml == in_page
    assert printed[1] > 0


# --- a drawing of nothing says so ---------------------------------------------------------------------

HTML_SELECTIONS = [
    # (query, is the selection empty?)
    ('SELECT ?c WHERE { ?c nekg:locatedIn ?p . ?p skos:prefLabel "不存在的地方"@zh }', True),
    ('SELECT ?c WHERE { ?c nekg:locatedIn ?p . ?p skos:prefLabel "金坛区" }', True),
    ("CONSTRUCT { ?s nekg:locatedIn ?o } WHERE { ?s nekg:noSuchRelation ?o }", True),
    ("CONSTRUCT { ?a schema:name ?t } WHERE { ?a schema:headline ?t }", True),
    ("SELECT ?c WHERE { ?c nekg:locatedIn ?p }", False),
    ("CONSTRUCT { ?s nekg:locatedIn ?o } WHERE { ?s nekg:locatedIn ?o }", False),
]


@pytest.mark.parametrize(("query", "empty"), HTML_SELECTIONS)
def test_html_warns_when_a_selection_draws_nothing(tmp_path, hand_ttl, query, empty):
    page = tmp_path / "view.html"
    result = CliRunner().invoke(
        cli, ["html", "--graph", str(hand_ttl), "-q", query, "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    assert page.is_file()
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    if empty:
        assert len(warned) == 1, result.stderr
        assert "nothing to draw" in warned[0]
        assert "0 个节点" in page.read_text(encoding="utf-8")
    else:
        assert not warned, result.stderr


# --- Chinese labels name CJK fonts everywhere they are drawn ----------------------------------------

CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei")


def _page_fonts(page: str) -> dict[str, str]:
    options = re.search(
        r"<script type=\"application/json\" id=\"nekg-options\">(.*?)</script>", page
    )
    body = re.search(r"body \{[^}]*font: ([^;]+);", page)
    assert options
    assert body
    vis = json.loads(options[1])
    return {
        "page": body[1],
        "node labels": vis["nodes"]["font"]["face"],
        "edge labels": vis["edges"]["font"]["face"],
    }


@pytest.mark.parametrize("where", ["page", "node labels", "edge labels"])
def test_html_names_cjk_fonts_with_a_fallback(hand_graph, where):
    from graph.outputs import html

    fonts = _page_fonts(html.draw(hand_graph))[where]
    for family in CJK_FAMILIES:
        assert family in fonts, (where, fonts)
    assert fonts.rstrip().endswith("sans-serif"), (where, fonts)


def test_ci_installs_a_cjk_font_for_the_browser_tests():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = re.search(r"apt-get install[^\n]*", script.replace("\\\n", " "))
    assert install
    assert "fonts-wqy-microhei" in install[0].split()


# --- the test setup a new user meets ----------------------------------------------------------------


def test_make_test_puts_the_venv_tools_on_path(tmp_path):
    make = shutil.which("make")
    if make is None or not (ROOT / ".venv" / "bin" / "oxigraph").exists():
        pytest.skip("needs make and the test extra installed into .venv")
    plain = os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if Path(p).resolve() != ROOT / ".venv/bin"
    )
    done = subprocess.run(
        [make, "-s", "-C", str(ROOT), "--eval", "where:\n\t@command -v oxigraph", "where"],
        env={**os.environ, "PATH": plain},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == ROOT / ".venv" / "bin" / "oxigraph"


def test_tests_read_their_own_copy_of_the_seed_articles():
    from graph.text.articles import read_articles

    assert ROOT / "tests" / "data" in SEEDS.parents
    gold = ROOT / "tests" / "data" / "seeds" / "entities.jsonl"
    annotated = {
        doc
        for line in gold.read_text(encoding="utf-8").splitlines()
        for doc in json.loads(line)["docs"]
    }
    assert {article.id for article in read_articles([SEEDS])} == annotated
