"""`nekg eval --finre`: pair-level partnersWith/subsidiaryOf scores on FinRE-format files."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from click.testing import CliRunner
from conftest import ROOT

from graph.cli import cli
from graph.eval.finre import evaluate_finre, load_finre
from graph.eval.gold import GoldError
from graph.records import (
    Article,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Mention,
    Relation,
    RelationType,
)

FIXTURE = ROOT / "tests" / "data" / "finre" / "pairs.txt"
SENTENCE = "甲公司与乙公司签署协议。"


def _write(tmp_path, lines: Sequence[str], name: str = "finre.txt"):
    path = tmp_path / name
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def _extractor(facts: Sequence[tuple[str, str, str]], known: Sequence[str] = ("甲公司", "乙公司")):
    """An extractor that recognizes ``known`` in every sentence and states ``facts`` there."""

    def extract(articles: Sequence[tuple[str, str]]) -> Extraction:
        ents = {n: Entity(f"company/{i}", EntityType.COMPANY, n) for i, n in enumerate(known)}
        mentions, relations = [], []
        for ident, text in articles:
            for n, e in ents.items():
                at = text.find(n)
                if at >= 0:
                    mentions.append(
                        Mention(ident, 0, at, at + len(n), n, EntityType.COMPANY, e.id, "test")
                    )
            for head, rel, tail in facts:
                ev = Evidence(ident, text, 0, len(text), "test")
                relations.append(Relation(ents[head].id, RelationType(rel), ents[tail].id, (ev,)))
        return Extraction(
            tuple(Article(i, t) for i, t in articles),
            (),
            tuple(mentions),
            tuple(ents.values()),
            tuple(relations),
        )

    return extract


def _row(report, section: str, label: str) -> tuple[int, int, int]:
    row = report.section(section).row(label)
    return row.tp, row.fp, row.fn


# label of 甲公司 -> 乙公司 (and its reverse), what the extractor states, expected (tp, fp, fn)
# for partnersWith and for subsidiaryOf
SCORING = [
    ("签约", "签约", [], (0, 0, 1), (0, 0, 0)),
    ("合作", "合作", [("甲公司", "partnersWith", "乙公司")], (1, 0, 0), (0, 0, 0)),
    ("合资", "合资", [("乙公司", "partnersWith", "甲公司")], (1, 0, 0), (0, 0, 0)),
    ("竞争", "竞争", [("甲公司", "partnersWith", "乙公司")], (0, 1, 0), (0, 0, 0)),
    ("unknown", "unknown", [], (0, 0, 0), (0, 0, 0)),
    ("拥有", "被拥有", [("乙公司", "subsidiaryOf", "甲公司")], (0, 0, 0), (1, 0, 0)),
    ("拥有", "被拥有", [("甲公司", "subsidiaryOf", "乙公司")], (0, 0, 0), (0, 1, 1)),
    ("被拥有", "拥有", [("甲公司", "subsidiaryOf", "乙公司")], (0, 0, 0), (1, 0, 0)),
    ("持股", "被持股", [("乙公司", "subsidiaryOf", "甲公司")], (0, 0, 0), (0, 1, 0)),
    ("拥有", None, [], (0, 0, 0), (0, 0, 1)),
]


@pytest.mark.parametrize(("label", "reverse", "facts", "partners", "subsidiary"), SCORING)
def test_pair_scoring(tmp_path, label, reverse, facts, partners, subsidiary):
    lines = [f"甲公司\t乙公司\t{label}\t{SENTENCE}"]
    if reverse:
        lines.append(f"乙公司\t甲公司\t{reverse}\t{SENTENCE}")
    report = evaluate_finre(_write(tmp_path, lines), extractor=_extractor(facts))
    assert _row(report, "finre", "partnersWith") == partners
    assert _row(report, "finre", "subsidiaryOf") == subsidiary


def test_relation_in_another_sentence_does_not_count(tmp_path):
    other = "乙公司宣布甲公司为其合作伙伴。"
    lines = [f"甲公司\t乙公司\t合作\t{SENTENCE}", f"甲公司\t乙公司\tunknown\t{other}"]

    def extract(articles):
        full = _extractor([("甲公司", "partnersWith", "乙公司")])(articles)
        stated_in = next(i for i, t in articles if t == other)
        kept = tuple(
            r for r in full.relations if all(ev.article_id == stated_in for ev in r.evidence)
        )
        return Extraction(full.articles, (), full.mentions, full.entities, kept)

    report = evaluate_finre(_write(tmp_path, lines), extractor=extract)
    assert _row(report, "finre", "partnersWith") == (0, 1, 1)


def test_names_section_counts_recognized_companies(tmp_path):
    lines = ["甲公司\t丙公司\t合作\t甲公司与丙公司合作。"]
    report = evaluate_finre(_write(tmp_path, lines), extractor=_extractor([]))
    assert _row(report, "finre names", "Company") == (1, 0, 1)
    assert not report.section("finre names").gate
    (miss,) = report.misses
    assert miss.reason == "not recognized: 丙公司"


def test_html_entities_are_decoded(tmp_path):
    path = _write(tmp_path, ["F&amp;G公司\t乙公司\t合作\tF&amp;G公司与乙公司合作。"])
    (pair,) = load_finre(path)
    assert (pair.head, pair.sentence) == ("F&G公司", "F&G公司与乙公司合作。")


BROKEN = [
    (["甲公司\t乙公司\t合作"], ":1: has 3 tab-separated fields"),
    (["甲公司\t乙公司\t合作\t句子。", "甲公司\t\t合作\t句子。"], ":3: has 4 tab-separated fields"),
    (["甲公司 乙公司 合作 句子。"], ":1: has 1 tab-separated fields"),
    ([""], "holds no FinRE lines"),
]


@pytest.mark.parametrize(("lines", "message"), BROKEN)
def test_broken_file_names_file_and_line(tmp_path, lines, message):
    path = _write(tmp_path, lines)
    with pytest.raises(GoldError, match=message):
        load_finre(path)
    result = CliRunner().invoke(cli, ["eval", "--finre", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert str(path) in result.output
    assert message in result.output


def test_missing_and_non_utf8_files(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "--finre", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "no such file" in result.output
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("甲公司\t乙公司\t合作\t甲公司与乙公司合作。\n".encode("gbk"))
    result = CliRunner().invoke(cli, ["eval", "--finre", str(bad)])
    assert result.exit_code == 1
    assert "is not UTF-8" in result.output


def test_cli_runs_the_pipeline_on_the_fixture():
    """End to end: the gold side of the counts is fixed by the file, whatever the rules find."""
    result = CliRunner().invoke(cli, ["eval", "--finre", str(FIXTURE), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {(s["name"], r["label"]): r for s in data["sections"] for r in s["rows"]}
    partners, subsidiary = rows[("finre", "partnersWith")], rows[("finre", "subsidiaryOf")]
    assert partners["tp"] + partners["fn"] == 2  # 签约 and 合资 pairs
    assert subsidiary["tp"] + subsidiary["fn"] == 1  # 拥有 / 被拥有, one direction
    assert rows[("finre names", "Company")]["tp"] + rows[("finre names", "Company")]["fn"] == 10
    assert "5 distinct sentence pairs" in " ".join(data["notes"])


def test_usage_error_names_the_finre_option():
    result = CliRunner().invoke(cli, ["eval"])
    assert result.exit_code == 2
    assert "--finre FILE" in result.output
