"""The store: a graph that grows and shrinks by `nekg add` and `nekg remove`.

The invariant: after any sequence of builds, adds and removes, every output is byte for
byte what a fresh build of the articles that remain writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import grow, pipeline, store
from graph.cli import cli
from graph.query import engine as querying
from graph.query import sources as query_sources

OUTPUTS = ("graph.ttl", "graph.graphml", "graph.html")

# Small articles of our own that share entities, so that removing one article leaves
# entities and facts that others still state, and removes those only it states.
TINY = {
    "t1": "金坛招商\n\n江苏华远新能源有限公司位于常州市金坛区。"
    "江苏华远新能源有限公司与中创新航科技股份有限公司签署合作协议。\n",
    "t2": "溧阳新项目\n\n宁德时代新能源科技股份有限公司位于溧阳市。宁德时代是动力电池产业链链主。\n",
    "t3": "金坛产业园\n\n中创新航科技股份有限公司位于常州市金坛区。金坛区委书记张明调研中创新航。\n",
    "t4": "锡山签约\n\n无锡市锡山区与江苏华远新能源有限公司签约，共建储能产业园。\n",
}
# The shortest seed article joins them (the others only make each example slower).
SEED_IDS = ("001_0ce5258201754e13",)


def _digest(out: Path) -> dict[str, str]:
    return {n: hashlib.sha256((out / n).read_bytes()).hexdigest() for n in OUTPUTS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """One file per article, ids from the file names."""
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in TINY.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    for name in SEED_IDS:
        shutil.copy(SEEDS / f"{name}.txt", folder / f"{name}.txt")
    return folder


def _files(corpus: Path, ids) -> list[Path]:
    return [corpus / f"{i}.txt" for i in sorted(ids)]


_FRESH: dict[frozenset[str], dict[str, str]] = {}


def _fresh(corpus: Path, ids, tmp: Path) -> dict[str, str]:
    """The outputs of a fresh build of ``ids`` (memoized: examples share remainders)."""
    key = frozenset(ids)
    if key not in _FRESH:
        out = tmp / f"fresh-{len(_FRESH)}"
        pipeline.build(_files(corpus, key), out, check=False, allow_empty=True)
        _FRESH[key] = _digest(out)
    return _FRESH[key]


def _ids(out: Path) -> list[str]:
    return [r.article.id for r in store.current(out).records()]


# --- the invariant ------------------------------------------------------------------------------


@settings(
    # More scenarios on demand: NEKG_STORE_EXAMPLES=200 pytest tests/test_store.py
    max_examples=int(os.environ.get("NEKG_STORE_EXAMPLES", "6")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_adds_and_removes_equal_a_fresh_build(corpus, tmp_path_factory, data):
    """Split the corpus into a build and adds, remove some articles after any step, put
    some back: the outputs equal a fresh build of what remains."""
    ids = data.draw(st.permutations(sorted([*TINY, *SEED_IDS])), label="order")
    cuts = sorted(data.draw(st.sets(st.integers(1, len(ids) - 1), max_size=2), label="cuts"))
    batches = [list(ids[a:b]) for a, b in zip([0, *cuts], [*cuts, len(ids)], strict=True)]
    tmp = tmp_path_factory.mktemp("scenario")
    out = tmp / "out"
    pipeline.build(_files(corpus, batches[0]), out, check=False)
    present, removed = set(batches[0]), set()
    for batch in [*batches[1:], None]:
        if batch is None:  # at the end, put back some of what was removed
            batch = data.draw(st.lists(st.sampled_from(sorted(removed or {""})), unique=True))
            batch = [i for i in batch if i]
        if batch:
            grow.add(out, _files(corpus, batch), check=False)
            present |= set(batch)
            removed -= set(batch)
        gone = data.draw(st.lists(st.sampled_from(sorted(present)), unique=True, max_size=2))
        if gone:
            grow.remove(out, gone, check=False)
            present -= set(gone)
            removed |= set(gone)
    assert _ids(out) == sorted(present)
    assert _digest(out) == _fresh(corpus, present, tmp)


@settings(
    # 200 scenarios over the small articles alone (a few milliseconds of text each), so the
    # suite holds the invariant over many splits and removals without the seed's cost
    max_examples=int(os.environ.get("NEKG_STORE_SMALL_EXAMPLES", "200")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_adds_and_removes_of_small_articles_equal_a_fresh_build(corpus, tmp_path_factory, data):
    """The invariant above over many scenarios: any split into a build and adds, any removals."""
    ids = data.draw(st.permutations(sorted(TINY)), label="order")
    cuts = sorted(data.draw(st.sets(st.integers(1, len(ids) - 1), max_size=2), label="cuts"))
    batches = [list(ids[a:b]) for a, b in zip([0, *cuts], [*cuts, len(ids)], strict=True)]
    out = tmp_path_factory.mktemp("small") / "out"
    pipeline.build(_files(corpus, batches[0]), out, check=False)
    present = set(batches[0])
    for batch in batches[1:]:
        grow.add(out, _files(corpus, batch), check=False)
        present |= set(batch)
        gone = data.draw(st.lists(st.sampled_from(sorted(present)), unique=True, max_size=2))
        if gone and len(gone) < len(present):
            grow.remove(out, gone, check=False)
            present -= set(gone)
    assert _ids(out) == sorted(present)
    assert _digest(out) == _fresh(corpus, present, tmp_path_factory.mktemp("fresh"))


def test_ids_of_entities_stay_when_articles_come_and_go(corpus, tmp_path):
    """An entity keeps its IRI whatever else is in the graph (table ids, codes, name hashes)."""
    out = tmp_path / "out"
    pipeline.build(_files(corpus, ["t1"]), out, check=False)
    before = (out / "graph.ttl").read_text(encoding="utf-8")
    grow.add(out, _files(corpus, ["t2", "t3", "t4"]), check=False)
    grow.remove(out, ["t2", "t3", "t4"], check=False)
    assert (out / "graph.ttl").read_text(encoding="utf-8") == before
    assert "江苏华远新能源有限公司" in before


# --- the command line ---------------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory) -> Path:
    """A graph of t1 and t2, built through the command line (with SHACL validation)."""
    out = tmp_path_factory.mktemp("built") / "out"
    result = _run("build", *map(str, _files(corpus, ["t1", "t2"])), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _copy(out: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(out, target, symlinks=True)
    return target


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["remove", "t9"], "no article 't9' in"),
        (["remove", "t1", "nope", "t2"], "no article 'nope' in"),
        (["add", "t1.txt"], "article 't1' is already in"),
        (["add", "t3.txt", "t2.txt"], "article 't2' is already in"),
        (["add", "missing.txt"], "missing.txt"),
    ],
)
def test_refused_changes_leave_everything_as_it_was(built, corpus, tmp_path, args, message):
    out = _copy(built, tmp_path)
    before, ids = _digest(out), _ids(out)
    args = [str(corpus / a) if a.endswith(".txt") else a for a in args]
    result = _run(*args, "-o", str(out))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert message in lines[0]
    assert _digest(out) == before
    assert _ids(out) == ids


def test_add_replace_takes_the_new_text(built, corpus, tmp_path):
    out = _copy(built, tmp_path)
    changed = tmp_path / "t1.txt"
    changed.write_text(TINY["t1"].replace("金坛区", "溧阳市"), encoding="utf-8")
    result = _run("add", str(changed), "--replace", "-o", str(out))
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "fresh"
    pipeline.build([changed, corpus / "t2.txt"], fresh)
    assert _digest(out) == _digest(fresh)


@pytest.mark.parametrize("command", [["add", "t3.txt"], ["remove", "t1"], ["serve"]])
def test_a_store_of_another_version_is_refused(built, corpus, tmp_path, command):
    out = _copy(built, tmp_path)
    meta_file = out / "store" / "current" / "version.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta_file.write_text(json.dumps({**meta, "nekg": "0.0.1"}), encoding="utf-8")
    before = _digest(out)
    args = [str(corpus / a) if a.endswith(".txt") else a for a in command]
    result = _run(*args, "-o", str(out))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "written by nekg 0.0.1" in lines[0]
    assert "rebuild it with `nekg build" in lines[0]
    assert _digest(out) == before
    # A query does not use such a store; it reads graph.ttl.
    assert store.fresh_oxigraph(out / "graph.ttl") is None


def test_add_without_a_store_says_to_build_first(corpus, tmp_path):
    result = _run("add", str(corpus / "t1.txt"), "-o", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "build one first with `nekg build" in result.output


# --- querying the store -------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(source) -> int:
    result = querying.run(source, COUNT)
    return int(result.rows[0][0].value)


def test_query_uses_the_store_and_falls_back_to_a_changed_file(built, tmp_path, monkeypatch):
    out = _copy(built, tmp_path)
    parsed = []
    original = query_sources.LocalGraph._read
    monkeypatch.setattr(
        query_sources.LocalGraph,
        "_read",
        staticmethod(lambda path, fmt: parsed.append(path) or original(path, fmt)),
    )
    expected = _count(query_sources.LocalGraph.from_text((out / "graph.ttl").read_text("utf-8")))
    assert _count(querying.open_source(out / "graph.ttl")) == expected
    assert parsed == []  # answered from OUT/store, graph.ttl not parsed
    with (out / "graph.ttl").open("a", encoding="utf-8") as handle:
        handle.write("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    assert _count(querying.open_source(out / "graph.ttl")) == expected + 1
    assert parsed == [out / "graph.ttl"]


def test_the_store_holds_graph_ttl_with_a_graph_per_article(built):
    db = pyoxigraph.Store.read_only(str(store.current(built).oxigraph))
    quads = list(db)
    parsed = pyoxigraph.parse(path=built / "graph.ttl", format=pyoxigraph.RdfFormat.TURTLE)
    triples = {q.triple for q in parsed}
    assert len(quads) == len(triples)  # each triple in one graph only
    assert {q.triple for q in quads} == triples
    article = "https://w3id.org/nekg/id/article/"
    assert {g.value for g in db.named_graphs()} == {article + "t1", article + "t2"}
    derived = "SELECT ?g ?a WHERE { GRAPH ?g { ?node prov:wasDerivedFrom ?a } }"
    rows = list(db.query(derived, prefixes={"prov": "http://www.w3.org/ns/prov#"}))
    assert rows
    assert all(row["g"] == row["a"] for row in rows)  # evidence lives in its article's graph


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_on_a_port_in_use_says_so_in_one_line(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run("serve", "-o", str(built), "--port", str(port))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"cannot listen on 127.0.0.1 port {port}" in lines[0]
    assert "give another --port" in lines[0]


def test_serve_answers_sparql_over_http(built):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "-o", str(built), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start within 30 s"
                time.sleep(0.1)
        local = querying.open_source(built / "graph.ttl")
        assert _count(querying.open_source(endpoint=endpoint, timeout=10)) == _count(local)
        result = _run("query", "ASK { ?c a nekg:Company }", "--endpoint", endpoint)
        assert result.exit_code == 0, result.output
        assert "true" in result.output.lower()
        refused = _run(
            "query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--update", "-e", endpoint
        )
        assert refused.exit_code == 1  # read-only unless --writable
        assert "read-only" in refused.output
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- killed and concurrent runs -----------------------------------------------------------------

_CHILD = """
import os, signal, sys
import graph.files, graph.store
def kill(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
{patch}
from graph.cli import main
sys.argv = ["nekg", "add", *{inputs!r}, "-o", {out!r}]
main()
"""

KILL_POINTS = [
    # while the new generation's records are written
    pytest.param("graph.store._write_synced = kill", id="writing-records"),
    # after the outputs were replaced, before the store switched
    pytest.param(
        "_replace = graph.files.replace_outputs\n"
        "def replace_then_kill(*a, **k):\n"
        "    _replace(*a, **k)\n"
        "    kill()\n"
        "graph.files.replace_outputs = replace_then_kill",
        id="outputs-replaced",
    ),
]


@pytest.mark.parametrize("patch", KILL_POINTS)
def test_killed_add_leaves_the_store_as_it_was(built, corpus, tmp_path, patch):
    out = _copy(built, tmp_path)
    before_ids = _ids(out)
    before_meta = (out / "store" / "current" / "version.json").read_bytes()
    before_outputs = _digest(out)
    new = [str(corpus / "t3.txt"), str(corpus / "t4.txt")]
    code = _CHILD.format(patch=patch, inputs=new, out=str(out))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _ids(out) == before_ids
    assert (out / "store" / "current" / "version.json").read_bytes() == before_meta
    if _digest(out) != before_outputs:
        # The outputs moved ahead of the store: a query reads graph.ttl, not the old store.
        assert store.fresh_oxigraph(out / "graph.ttl") is None
    # The next add works from the store as it was, and cleans up what the killed one left.
    result = _run("add", *new, "-o", str(out))
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "fresh"
    pipeline.build(_files(corpus, ["t1", "t2", "t3", "t4"]), fresh)
    assert _digest(out) == _digest(fresh)
    assert sorted(p.name for p in (out / "store").iterdir() if not p.name.startswith("gen-")) == [
        ".lock",
        "current",
    ]
    assert len(list((out / "store").glob("gen-*"))) == 1
    assert store.fresh_oxigraph(out / "graph.ttl") is not None


def test_two_adds_at_once_take_turns(built, corpus, tmp_path):
    out = _copy(built, tmp_path)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "graph", "add", str(corpus / name), "-o", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        for name in ("t3.txt", "t4.txt")
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    assert _ids(out) == ["t1", "t2", "t3", "t4"]
    fresh = tmp_path / "fresh"
    pipeline.build(_files(corpus, ["t1", "t2", "t3", "t4"]), fresh)
    assert _digest(out) == _digest(fresh)


def test_another_alias_table_recognizes_the_kept_articles_again(corpus, tmp_path):
    """Records made with one alias table are not reused with another: the result is what a
    fresh build with the new table writes."""
    table = tmp_path / "aliases.tsv"
    rows = (ROOT / "seeds" / "aliases.tsv").read_text(encoding="utf-8").splitlines(True)
    table.write_text("".join(r for r in rows if "中创新航" not in r), encoding="utf-8")
    out = tmp_path / "out"
    pipeline.build(_files(corpus, ["t1", "t3"]), out, check=False)
    grow.add(out, _files(corpus, ["t2"]), aliases=table, check=False)
    fresh = tmp_path / "fresh"
    pipeline.build(_files(corpus, ["t1", "t2", "t3"]), fresh, aliases=table, check=False)
    assert _digest(out) == _digest(fresh)
    default = tmp_path / "default"
    pipeline.build(_files(corpus, ["t1", "t2", "t3"]), default, check=False)
    assert _digest(out) != _digest(default)  # the table matters for these articles


def test_records_read_back_equal_the_records_written():
    """Every field of every record survives the store: rule ids, confidences, offsets."""
    from graph.entities import recognize as entities
    from graph.text.articles import read_articles

    table = entities.load_table(None)
    records = pipeline.recognize_articles(read_articles([SEEDS]), table)
    assert any(m.rule for r in records for m in r.mentions)
    for record in records:
        assert store.record_from_json(store.record_json(record)) == record
