"""nekg in spaCy: the ``nekg_entities`` component, Docs and DocBins of an extraction.

No network and no model: only ``spacy.blank("zh")``, whose tokenizer needs no download.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import DocBin

from graph import pipeline
from graph.cli import cli
from graph.entities import recognize as entities
from graph.entities import spacy_component
from graph.errors import GraphError, NekgError
from graph.outputs.export import export, format_for
from graph.records import Extraction
from graph.text.normalize import split_sentences

ROOT = Path(__file__).resolve().parent.parent
ALIASES = ROOT / "seeds" / "aliases.tsv"

# Texts written for these tests: companies, places, platforms, policies, bodies, people,
# industries, an abbreviation, spaces, Latin letters, line breaks and several sentences.
TEXTS = [
    pytest.param("宁德时代与比亚迪在溧阳签署战略合作协议。", id="companies-place"),
    pytest.param("常州大学位于江苏省常州市武进区。", id="university-places"),
    pytest.param(
        "金坛经济开发区（以下简称“金坛经开区”）引进中创新航科技集团股份有限公司动力电池项目，"
        "金坛经开区将提供配套服务。",
        id="platform-abbreviation",
    ),
    pytest.param(
        "江苏省人民政府印发《关于加快新能源汽车产业发展的若干政策》，支持苏州工业园区建设。",
        id="body-policy-platform",
    ),
    pytest.param("南京云帆智能科技有限公司董事长王建国到溧阳市考察储能产业。", id="person-chain"),
    pytest.param("IDG资本 投资了 合肥 的 蔚来汽车科技有限公司 。", id="spaces-latin"),
    pytest.param(
        "记者从常州市获悉：\n比亚迪常州基地开工。\n\n随后，宁德时代在四川宜宾扩产。",
        id="lines-sentences",
    ),
]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nekg_entities", config={"aliases": str(ALIASES)})
    return nlp


def _ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _extraction(folder: Path, texts: list[str]):
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"t{i}.txt").write_text(text, encoding="utf-8")
    return pipeline.run([folder], aliases=ALIASES)


def test_blank_chinese_splits_characters_without_a_model():
    nlp = spacy.blank("zh")
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"
    assert [t.text for t in nlp("中创新航IDG")] == ["中", "创", "新", "航", "I", "D", "G"]


@pytest.mark.parametrize("text", TEXTS)
def test_component_finds_what_the_recognizer_finds(nlp, text):
    doc = nlp(text)
    table = entities.load_table(ALIASES)
    found = entities.recognize(split_sentences("doc", text), table)
    assert doc.ents, "every text names something"
    assert _ents(doc) == [(m.start, m.end, m.type.value) for m in found]
    assert [e.text for e in doc.ents] == [text[m.start : m.end] for m in found]
    assert [e._.nekg_rule for e in doc.ents] == [m.rule for m in found]
    assert [e._.nekg_confidence for e in doc.ents] == [m.confidence for m in found]


@pytest.mark.parametrize("text", TEXTS)
def test_kb_ids_are_the_ids_a_build_resolves(nlp, tmp_path, text):
    extraction = _extraction(tmp_path, [text])
    built = [(m.start, m.end, m.type.value, m.entity_id) for m in extraction.mentions]
    doc = nlp(text)
    assert [(*ent, e.kb_id_) for ent, e in zip(_ents(doc), doc.ents, strict=True)] == built
    assert all(e.kb_id_ for e in doc.ents)


def test_kb_ids_come_from_the_alias_table_given(tmp_path):
    table = tmp_path / "aliases.tsv"
    table.write_text(
        "id\ttype\tname\taliases\texternal\ncompany/yunfan\tCompany\t云帆智能\t云帆\t\n",
        encoding="utf-8",
    )
    nlp = spacy.blank("zh")
    nlp.add_pipe("nekg_entities", config={"aliases": str(table)})
    doc = nlp("云帆智能在溧阳投资。")
    assert next((e.text, e.label_, e.kb_id_, e._.nekg_rule) for e in doc.ents) == (
        "云帆智能",
        "Company",
        "company/yunfan",
        "alias-table",
    )


def test_reject_list_config_drops_the_name(tmp_path):
    rejects = tmp_path / "reject.tsv"
    rejects.write_text("name\ttype\tnote\n溧阳\tPlace\tnot wanted here\n", encoding="utf-8")
    text = "宁德时代在溧阳投资。"
    plain = spacy.blank("zh")
    plain.add_pipe("nekg_entities", config={"aliases": str(ALIASES)})
    rejecting = spacy.blank("zh")
    rejecting.add_pipe("nekg_entities", config={"aliases": str(ALIASES), "reject": str(rejects)})
    assert "溧阳" in [e.text for e in plain(text).ents]
    assert [e.text for e in rejecting(text).ents] == [
        e.text for e in plain(text).ents if e.text != "溧阳"
    ]


@pytest.mark.parametrize(
    ("overwrite", "expected"),
    [
        (True, [("宁德时代", "Company"), ("溧阳", "Place")]),
        (False, [("宁德", "MINE"), ("溧阳", "Place")]),
    ],
)
def test_entities_set_before_are_replaced_or_kept(overwrite, expected):
    nlp = spacy.blank("zh")

    @spacy.Language.component("test_mine")
    def mine(doc):
        doc.ents = [doc.char_span(0, 2, label="MINE")]
        return doc

    nlp.add_pipe("test_mine")
    nlp.add_pipe("nekg_entities", config={"aliases": str(ALIASES), "overwrite_ents": overwrite})
    assert [(e.text, e.label_) for e in nlp("宁德时代在溧阳投资。").ents] == expected


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"alignment_mode": "loose"}, "alignment_mode 'loose'"),
        ({"aliases": "/nonexistent/aliases.tsv"}, "no such alias table"),
        ({"reject": "/nonexistent/reject.tsv"}, "no such reject list"),
    ],
)
def test_bad_config_is_a_clear_error(config, message):
    with pytest.raises(NekgError, match=message):
        spacy.blank("zh").add_pipe("nekg_entities", config=config)


# Characters of article text: Chinese, Latin, digits, punctuation and every kind of space.
_CHARS = st.sampled_from(list("中创新航常州金坛区IDGab12。，“”（）《》 \u3000\n\t\r\xa0"))


_BLANK = spacy.blank("zh")


@settings(max_examples=150, deadline=None)
@given(st.text(_CHARS, min_size=1, max_size=30), st.data())
def test_every_span_with_non_space_ends_is_a_token_span(text, data):
    begin = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(begin + 1, len(text)))
    doc = _BLANK.make_doc(text)
    span = doc.char_span(begin, end, alignment_mode="strict")
    if text[begin].isspace() or text[end - 1].isspace():
        return
    assert span is not None
    assert span.text == text[begin:end]


def test_every_seed_mention_is_a_token_span(seed_articles):
    extraction = pipeline.run([ROOT / "tests" / "data" / "seeds" / "articles"], aliases=ALIASES)
    nlp = spacy.blank("zh")
    texts = {a.id: nlp.make_doc(a.text) for a in seed_articles}
    assert extraction.mentions
    for m in extraction.mentions:
        span = texts[m.article_id].char_span(m.start, m.end, alignment_mode="strict")
        assert span is not None, m


# --- Docs and DocBins of an extraction ---------------------------------------------------


def _silver(docs):
    """Every entity of ``docs`` in article offsets, with everything the DocBin must keep."""
    out = []
    for doc in docs:
        meta = doc.user_data["nekg"]
        for e in doc.ents:
            out.append(
                (
                    meta["article"],
                    meta["start"] + e.start_char,
                    meta["start"] + e.end_char,
                    e.label_,
                    e.kb_id_,
                    e._.nekg_rule,
                    e._.nekg_confidence,
                )
            )
    return sorted(out)


def _mentions(extraction):
    return sorted(
        (m.article_id, m.start, m.end, m.type.value, m.entity_id, m.rule, m.confidence)
        for m in extraction.mentions
    )


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    texts = [p.values[0] for p in TEXTS]
    return _extraction(tmp_path_factory.mktemp("articles"), texts)


@pytest.mark.parametrize("by", ["sentence", "article"])
def test_docs_hold_every_mention_of_the_extraction(extraction, by):
    warned: list[str] = []
    docs = list(spacy_component.docs_from_extraction(extraction, by=by, warn=warned.append))
    assert _silver(docs) == _mentions(extraction)
    assert warned == []
    texts = {a.id: a.text for a in extraction.articles}
    for doc in docs:
        meta = doc.user_data["nekg"]
        assert doc.text == texts[meta["article"]][meta["start"] : meta["start"] + len(doc.text)]
    if by == "sentence":
        assert len(docs) == len(extraction.sentences)
    else:
        assert [d.text for d in docs] == [a.text for a in extraction.articles]


def test_docbin_round_trip_keeps_the_entities(extraction, tmp_path):
    out = tmp_path / "silver.spacy"
    docs = list(spacy_component.docs_from_extraction(extraction))
    spacy_component.write_docbin(extraction, out)
    read = list(DocBin().from_disk(out).get_docs(spacy.blank("zh").vocab))
    assert [d.text for d in read] == [d.text for d in docs]
    assert [[(e.start, e.end, e.label_, e.kb_id_) for e in d.ents] for d in read] == [
        [(e.start, e.end, e.label_, e.kb_id_) for e in d.ents] for d in docs
    ]
    assert _silver(read) == _mentions(extraction)


def test_overlapping_mentions_keep_the_longest_and_say_so(extraction):
    m = next(m for m in extraction.mentions if m.end - m.start >= 3)
    inner = type(m)(m.article_id, m.sentence, m.start + 1, m.end, m.text[1:], m.type)
    crowded = type(extraction)(
        extraction.articles, extraction.sentences, (*extraction.mentions, inner)
    )
    warned: list[str] = []
    docs = list(spacy_component.docs_from_extraction(crowded, warn=warned.append))
    assert _silver(docs) == _mentions(extraction)
    assert len(warned) == 1
    assert "overlaps a longer mention" in warned[0]


def test_no_article_is_a_clear_error(tmp_path):
    with pytest.raises(NekgError, match="no article"):
        spacy_component.write_docbin(Extraction(()), tmp_path / "x.spacy")
    assert not (tmp_path / "x.spacy").exists()


# --- the command line and the entry point ------------------------------------------------


def test_export_format_spacy_writes_a_docbin(tmp_path):
    folder = tmp_path / "news"
    texts = [p.values[0] for p in TEXTS[:3]]
    expected = _mentions(_extraction(folder, texts))
    out = tmp_path / "silver.spacy"
    result = CliRunner().invoke(
        cli, ["export", str(folder), "--aliases", str(ALIASES), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    read = DocBin().from_disk(out).get_docs(spacy.blank("zh").vocab)
    assert _silver(read) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "news", "-f", "nt"], "are for --format spacy only"),
        (["export", "--aliases", "a.tsv", "-o", "g.gexf"], "are for --format spacy only"),
        (["export", "missing-folder", "-f", "spacy", "-o", "x.spacy"], "missing-folder"),
    ],
)
def test_export_arguments_that_do_not_fit_say_why(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Path("x.spacy").exists()


def test_spacy_is_not_a_graph_format(tmp_path):
    assert format_for(Path("train.spacy")) == "spacy"
    with pytest.raises(GraphError, match="made from the articles"):
        export(tmp_path / "graph.ttl", "spacy", tmp_path / "x.spacy")


def test_entry_point_registers_the_factory():
    points = {e.name: e.value for e in entry_points(group="spacy_factories")}
    assert points.get("nekg_entities") == "graph.entities.spacy_component:make_component"


def test_build_never_loads_spacy_and_add_pipe_finds_the_component(tmp_path):
    """One fresh interpreter: a whole build imports no spaCy module; then spaCy finds
    ``nekg_entities`` through the entry point, without an import of nekg's module."""
    (tmp_path / "a.txt").write_text("宁德时代在溧阳投资。", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from graph import pipeline\n"
        f"pipeline.build([Path({str(tmp_path / 'a.txt')!r})], Path({str(tmp_path / 'out')!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'spacy'))\n"
        "print('graph.entities.spacy_component' in sys.modules)\n"
        "import spacy\n"
        "nlp = spacy.blank('zh'); nlp.add_pipe('nekg_entities')\n"
        "print([(e.text, e.label_) for e in nlp('宁德时代在溧阳投资。').ents])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.splitlines() == [
        "[]",
        "False",
        "[('宁德时代', 'Company'), ('溧阳', 'Place')]",
    ], done.stderr
    assert (tmp_path / "out" / "graph.ttl").is_file()
