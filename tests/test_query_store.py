"""Named queries answered from OUT/store give what the same queries give on graph.ttl.

`nekg query NAME --graph OUT/` opens the build's Oxigraph store read-only and resolves names
through the store's index of labels; without a store it parses graph.ttl and reads every
label. Both paths must answer every named query with the same rows, on the seed graph and on
a generated graph of the nekg shape (scripts/bench_query_store.py).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from graph import pipeline, store
from graph.query import engine, sources
from graph.query import named as query_named
from graph.rdf import store_index


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_query_store", ROOT / "scripts" / "bench_query_store.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed-store") / "out"
    pipeline.build([SEEDS], out, check=False)
    return out


@pytest.fixture(scope="module")
def generated_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated-store") / "out"
    _bench().write_out(4000, out)
    return out


def _plain(out: Path, tmp_path: Path) -> Path:
    """graph.ttl alone in another folder: queried by parsing it."""
    (tmp_path / "plain").mkdir()
    return Path(shutil.copy(out / "graph.ttl", tmp_path / "plain" / "graph.ttl"))


def _rows(source: sources.LocalGraph, name: str, params: dict[str, str]) -> list[tuple]:
    named = query_named.named_query(name)
    result = engine.run(source, named.text, params, declared=named.params, name=name)
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


# Every named query, with parameters the seed articles state facts about.
SEED_CASES = [
    ("about", {"entity": "中创新航"}),
    ("about", {"entity": "常州"}),
    ("articles-mentioning", {"entity": "中创新航"}),
    ("capacity-by-company", {"chain": "动力电池"}),
    ("chain-leaders", {}),
    ("chain-leaders", {"chain": "动力电池"}),
    ("companies-in", {"place": "常州"}),
    ("companies-in", {"place": "金坛"}),
    ("entities-by-type", {}),
    ("entities-by-type", {"type": "Company"}),
    ("figures-of", {"entity": "常州"}),
    ("investments-in", {"place": "常州"}),
    ("investments-in", {"place": "常州", "year": "2023"}),
    ("partners", {}),
    ("partners", {"entity": "中创新航"}),
    ("policies-by-place", {"place": "常州"}),
]


def test_query_store_cases_cover_every_named_query():
    assert {name for name, _ in SEED_CASES} == set(query_named.named_queries())
    assert set(_bench().PARAMS) == set(query_named.named_queries())


@pytest.mark.parametrize(("name", "params"), SEED_CASES)
def test_query_store_seed_rows_equal_the_file_rows(seed_out, tmp_path, name, params):
    from_store = engine.open_source(seed_out)
    from_file = engine.open_source(_plain(seed_out, tmp_path))
    assert from_store.names is not None
    assert from_file.names is None
    rows = _rows(from_store, name, params)
    assert rows == _rows(from_file, name, params)


@pytest.mark.parametrize(
    ("name", "params"), [(n, p) for n, cases in sorted(_bench().PARAMS.items()) for p in cases]
)
def test_query_store_generated_rows_equal_the_file_rows(generated_out, tmp_path, name, params):
    from_store = engine.open_source(generated_out)
    from_file = engine.open_source(_plain(generated_out, tmp_path))
    assert from_store.names is not None
    assert from_file.names is None
    rows = _rows(from_store, name, params)
    assert rows
    assert rows == _rows(from_file, name, params)


# Names as a user types them: resolved through the index as through every label.
NAMES = [
    "常州",
    "常州市",
    " 常州 ",  # spaces around
    "中创新航",
    "中創新航",  # traditional characters
    "532发展战略",  # the label is “532”发展战略
    "动力电池",
    "no such name",
    "",
]


@pytest.mark.parametrize("name", NAMES)
def test_query_store_index_resolves_names_as_the_labels_do(seed_out, tmp_path, name):
    from_store = engine.open_source(seed_out)
    from_file = engine.open_source(_plain(seed_out, tmp_path))
    assert from_store.entities_named(name) == from_file.entities_named(name)


def test_query_store_index_is_dropped_by_an_update(seed_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(seed_out, out, symlinks=True)
    source = engine.open_source(out)
    assert source.names is not None
    source.update(
        "INSERT DATA { <https://w3id.org/nekg/id/place/x> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "新地名"@zh }'
    )
    assert list(source.entities_named("新地名")) == ["https://w3id.org/nekg/id/place/x"]


def test_query_store_opens_without_hashing_an_unchanged_graph(seed_out, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(seed_out, out, symlinks=True)  # a copy: new inode, so hashed once
    assert store.fresh_oxigraph(out / "graph.ttl") is not None
    store_index.write_stamp(
        out / "graph.ttl", out / "store" / "current" / store.STAMP_FILE, store._write_synced
    )
    monkeypatch.setattr(store.hashlib, "sha256", None)  # hashing would fail now
    assert store.fresh_oxigraph(out / "graph.ttl") is not None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("same-size", id="same-size-same-mtime"),
        pytest.param("appended", id="appended"),
        pytest.param("replaced", id="replaced-by-rename"),
    ],
)
def test_query_store_is_not_used_for_a_changed_graph(seed_out, tmp_path, change):
    out = tmp_path / "out"
    shutil.copytree(seed_out, out, symlinks=True)
    graph = out / "graph.ttl"
    assert store.fresh_oxigraph(graph) is not None
    store_index.write_stamp(
        graph, out / "store" / "current" / store.STAMP_FILE, store._write_synced
    )
    info = graph.stat()
    data = graph.read_bytes()
    if change == "same-size":  # one character changed, size and mtime as before
        at = data.index("中创新航".encode())
        with open(graph, "r+b") as handle:
            handle.seek(at)
            handle.write("中创新能".encode())
        os.utime(graph, ns=(info.st_atime_ns, info.st_mtime_ns))
    elif change == "appended":
        with open(graph, "ab") as handle:
            handle.write(b"<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    else:
        (out / "new.ttl").write_bytes(data.replace("中创新航".encode(), "中创新能".encode()))
        os.replace(out / "new.ttl", graph)
    assert store.fresh_oxigraph(graph) is None
    assert engine.open_source(out).names is None
