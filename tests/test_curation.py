"""The curation loop: build -> candidates -> accept (alias table) / reject (reject list) -> rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import pipeline
from graph.cli import cli
from graph.entities.aliases import KIND_OF_TYPE, load_table
from graph.entities.curation import CANDIDATE_COLUMNS, RejectListError, load_rejects
from graph.records import EntityType
from graph.text.normalize import normalize_name

ARTICLES = {
    "a1.txt": (
        "常州华锐新材料科技有限公司落户金坛经济开发区。\n"
        "江苏省常州市金坛区人民政府与常州华锐新材料科技有限公司签约，双方共建研发中心。\n"
        "华锐新材料获得表彰。\n"
        "HUARUI的产品销往海外。\n"
    ),
    "a2.txt": "常州华锐新材料科技有限公司与宁德时代新能源科技股份有限公司合作建设储能项目。\n",
    "a3.txt": "金坛区位于常州市西部。金坛区新能源产业发展迅速。\n区政府出台政策，支持企业发展。\n",
}
TABLE = (
    "id\ttype\tname\taliases\texternal\n"
    "company/catl\tCompany\t宁德时代\t宁德时代新能源科技股份有限公司\t\n"
)
FIRM = "常州华锐新材料科技有限公司"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two articles and an alias table (without a reject list) in a fresh folder."""
    articles = tmp_path / "news"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    (tmp_path / "table").mkdir()
    (tmp_path / "table" / "aliases.tsv").write_text(TABLE, encoding="utf-8")
    return tmp_path


def _table(corpus: Path) -> Path:
    return corpus / "table" / "aliases.tsv"


def _candidates(corpus: Path, *extra: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(
        cli, ["candidates", str(corpus / "news"), "--aliases", str(_table(corpus)), *extra]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == list(CANDIDATE_COLUMNS)
    return [dict(zip(CANDIDATE_COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]


def _raw_row(corpus: Path, name: str) -> str:
    result = CliRunner().invoke(
        cli, ["candidates", str(corpus / "news"), "--aliases", str(_table(corpus))]
    )
    return next(line for line in result.stdout.splitlines() if line.split("\t")[2] == name)


# --- candidates -------------------------------------------------------------------------

CANDIDATE_CASES = [
    # name, type, other names seen, mentions, article ids, a piece of the evidence sentence
    (FIRM, "Company", "华锐新材料", 4, "a1,a2", "落户金坛经济开发区"),
    ("金坛经济开发区", "Platform", "", 1, "a1", "常州华锐新材料科技有限公司落户"),
    ("江苏省常州市金坛区人民政府", "Organization", "", 1, "a1", "双方共建研发中心"),
    ("储能项目", "Project", "", 1, "a2", "宁德时代新能源科技股份有限公司合作建设"),
    # a bare 区政府 stands for the body of the article's own district: never offered as an alias
    ("金坛区人民政府", "Organization", "", 1, "a3", "区政府出台政策"),
]


@pytest.mark.parametrize(
    ("name", "etype", "aliases", "mentions", "articles", "evidence"), CANDIDATE_CASES
)
@pytest.mark.parametrize("source", ["inputs", "graph"])
def test_candidates_list_an_unlisted_entity_with_its_evidence(
    corpus, name, etype, aliases, mentions, articles, evidence, source
):
    if source == "graph":
        out = corpus / "out"
        built = CliRunner().invoke(
            cli, ["build", str(corpus / "news"), "--aliases", str(_table(corpus)), "-o", str(out)]
        )
        assert built.exit_code == 0, built.output
        rows = CliRunner().invoke(
            cli, ["candidates", "--graph", str(out), "--aliases", str(_table(corpus))]
        )
        assert rows.exit_code == 0, rows.output
        lines = rows.stdout.splitlines()
        found = [dict(zip(CANDIDATE_COLUMNS, x.split("\t"), strict=True)) for x in lines[1:]]
    else:
        found = _candidates(corpus)
    row = next(r for r in found if r["name"] == name)
    assert row["type"] == etype
    assert row["id"].split("/")[0] == KIND_OF_TYPE[EntityType(etype)]
    assert row["aliases"] == aliases
    assert row["external"] == ""
    assert int(row["mentions"]) == mentions
    assert row["article_ids"] == articles
    assert int(row["articles"]) == len(articles.split(","))
    assert row["methods"]
    assert evidence in row["evidence"]
    assert row["#"] == "#"


def test_candidates_leave_out_what_the_table_holds_and_sort_by_count(corpus):
    rows = _candidates(corpus)
    names = [r["name"] for r in rows]
    assert "宁德时代" not in names
    assert "宁德时代新能源科技股份有限公司" not in names
    keys = [(-int(r["mentions"]), normalize_name(r["name"])) for r in rows]
    assert keys == sorted(keys)
    assert names[0] == FIRM


# --- accepting: a pasted row is a table row ----------------------------------------------


def _as_pasted(row: str) -> tuple[str, str]:
    return row, row.split("\t")[0]


def _renamed(row: str) -> tuple[str, str]:
    cells = row.split("\t")
    cells[0] = "company/huarui"
    return "\t".join(cells), "company/huarui"


def _with_header(row: str) -> tuple[str, str]:
    return "\t".join(CANDIDATE_COLUMNS) + "\n" + row, row.split("\t")[0]


def _with_alias(row: str) -> tuple[str, str]:
    cells = row.split("\t")
    cells[3] += "|HUARUI"
    return "\t".join(cells), cells[0]


PASTE_CASES = [
    ("as pasted", _as_pasted, FIRM),
    ("id renamed", _renamed, FIRM),
    ("with the candidates header", _with_header, FIRM),
    ("with a name added", _with_alias, "HUARUI"),
]


@pytest.mark.parametrize(("case", "edit", "surface"), PASTE_CASES, ids=[c[0] for c in PASTE_CASES])
def test_a_pasted_candidate_row_steers_the_next_build(corpus, case, edit, surface):
    pasted, ident = edit(_raw_row(corpus, FIRM))
    table = _table(corpus)
    table.write_text(TABLE + pasted + "\n", encoding="utf-8")
    entry = load_table(table).get(ident)
    assert entry is not None
    assert entry.name == FIRM

    extraction = pipeline.run([corpus / "news"], aliases=table)
    hits = [(m.entity_id, m.method) for m in extraction.mentions if m.text == surface]
    assert hits
    assert set(hits) == {(ident, "alias")}
    assert {e.id for e in extraction.entities if e.name == FIRM} == {ident}
    assert FIRM not in [r["name"] for r in _candidates(corpus)]


# --- rejecting -----------------------------------------------------------------------------

REJECT_CASES = [
    # reject row, name that must be gone
    (f"{FIRM}", FIRM),
    (f"{FIRM}\tCompany\tnot wanted", FIRM),
    ("常州華銳新材料科技有限公司\tcompany", FIRM),  # traditional form, type in any case
    ("金坛经济开发区\tPlatform", "金坛经济开发区"),
    ("“储能项目”\tProject", "储能项目"),  # quotes are dropped by normalization
]


@pytest.mark.parametrize(("row", "name"), REJECT_CASES)
@pytest.mark.parametrize("where", ["--reject", "beside the table"])
def test_a_rejected_name_disappears_from_entities_mentions_and_facts(corpus, row, name, where):
    before = pipeline.run([corpus / "news"], aliases=_table(corpus))
    gone = {e.id for e in before.entities if e.name == name}
    assert gone, f"{name} is not found without a reject list"

    reject = corpus / ("table" if where != "--reject" else "") / "reject.tsv"
    reject.write_text("name\ttype\tnote\n" + row + "\n", encoding="utf-8")
    warnings: list[str] = []
    after = pipeline.run(
        [corpus / "news"],
        aliases=_table(corpus),
        rejects=reject if where == "--reject" else None,
        warn=warnings.append,
    )
    key = normalize_name(name)
    assert not [
        e for e in after.entities if key in {normalize_name(n) for n in (e.name, *e.aliases)}
    ]
    assert not [m for m in after.mentions if normalize_name(m.text) == key or m.entity_id in gone]
    assert not [r for r in after.relations if {r.head, r.tail} & gone]
    assert not warnings
    assert len(after.entities) < len(before.entities)


def test_a_build_writes_no_rejected_name(corpus):
    (corpus / "table" / "reject.tsv").write_text(f"{FIRM}\tCompany\n", encoding="utf-8")
    out = corpus / "out"
    result = CliRunner().invoke(
        cli, ["build", str(corpus / "news"), "--aliases", str(_table(corpus)), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert f'"{FIRM}"@zh' not in turtle
    assert "partnersWith" not in turtle
    assert FIRM not in [r["name"] for r in _candidates(corpus)]


UNMATCHED_CASES = [
    # reject file, the line of the row that matches nothing
    ("name\ttype\n不存在的公司\n", 2),
    ("# wrong type: the name is a Platform\n金坛经济开发区\tCompany\n", 2),
    (f"{FIRM}\n\n宁德\tCompany\tonly a prefix of a listed name\n", 3),
]


@pytest.mark.parametrize(("content", "line"), UNMATCHED_CASES)
def test_an_unmatched_reject_row_warns_and_the_build_goes_on(corpus, content, line):
    reject = corpus / "reject.tsv"
    reject.write_text(content, encoding="utf-8")
    out = corpus / "out"
    args = ["build", str(corpus / "news"), "--aliases", str(_table(corpus)), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--reject", str(reject)])
    assert result.exit_code == 0, result.output
    warned = [x for x in result.stderr.splitlines() if x.startswith("warning:")]
    assert len(warned) == 1
    assert f"{reject}:{line}: " in warned[0]
    assert "matches nothing" in warned[0]
    assert (out / "graph.ttl").is_file()


MALFORMED_CASES = [
    # file bytes, line, part of the reason
    ("name\ttype\n瞪羚\tFirm\n".encode(), 2, "unknown type 'Firm'"),
    ("瞪羚\n小\x07巨人\n".encode(), 2, "control character U+0007 in the name column"),
    ("瞪羚\tCompany\tnote\x1b[31m\n".encode(), 1, "control character U+001B in the note column"),
    (b"# names\n\tCompany\n", 2, "empty name"),
    ("瞪羚\n“”\tCompany\n".encode(), 2, "empty name"),
    ("瞪羚\tCompany\tnote\tmore\n".encode(), 1, "expected 1 to 3 tab-separated columns"),
    ("瞪羚\n小巨人\n".encode() + "独角兽\n".encode("gbk"), 3, "not UTF-8"),
]


COMMANDS = {
    "build": lambda c: ["build", str(c / "news"), "-o", str(c / "out")],
    "candidates": lambda c: ["candidates", str(c / "news")],
    "eval": lambda c: ["eval", str(c / "gold"), str(c / "news")],
}


@pytest.mark.parametrize(("content", "line", "reason"), MALFORMED_CASES)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_malformed_reject_row_stops_with_file_and_line(corpus, content, line, reason, command):
    reject = corpus / "reject.tsv"
    reject.write_bytes(content)
    out = corpus / "out"
    (corpus / "gold").mkdir()
    (corpus / "gold" / "entities.jsonl").write_text(
        json.dumps({"id": "catl", "type": "Company", "name": "宁德时代", "docs": ["a2"]}) + "\n",
        encoding="utf-8",
    )
    args = [*COMMANDS[command](corpus), "--aliases", str(_table(corpus)), "--reject", str(reject)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"Error: {reject}:{line}: ")
    assert reason in errors[0]
    assert not out.exists()
    with pytest.raises(RejectListError) as caught:
        load_rejects(reject)
    assert caught.value.line == line


def test_a_missing_reject_list_given_by_name_is_an_error(corpus):
    missing = corpus / "nope.tsv"
    result = CliRunner().invoke(cli, ["candidates", str(corpus / "news"), "--reject", str(missing)])
    assert result.exit_code == 1
    assert f"{missing}:0: no such reject list" in result.stderr


EVAL_CASES = [
    # reject rows, the false positives eval still reports
    ("", {"常州华锐新材料科技有限公司", "储能项目"}),
    (f"{FIRM}\tCompany\n", {"储能项目"}),
    (f"{FIRM}\n储能项目\tProject\n", set()),
    ("储能项目\tPlatform\n", {"常州华锐新材料科技有限公司", "储能项目"}),  # the wrong type
]


@pytest.mark.parametrize(("rows", "left"), EVAL_CASES)
def test_eval_scores_the_graph_without_the_rejected_names(corpus, rows, left):
    (corpus / "gold").mkdir()
    (corpus / "gold" / "entities.jsonl").write_text(
        json.dumps({"id": "catl", "type": "Company", "name": "宁德时代", "docs": ["a2"]}) + "\n",
        encoding="utf-8",
    )
    reject = corpus / "reject.tsv"
    reject.write_text(rows, encoding="utf-8")
    args = ["eval", str(corpus / "gold"), str(corpus / "news"), "--aliases", str(_table(corpus))]
    result = CliRunner().invoke(cli, [*args, "--reject", str(reject), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {fp["text"] for fp in report["false_positives"]} == left


WELL_FORMED_CASES = [
    # file bytes, (name, type, line) of every row read
    ("\ufeffname\ttype\tnote\r\n瞪羚\r\n".encode(), [("瞪羚", None, 2)]),
    (
        "瞪羚\t\t\n\n# a comment\n小巨人\tcompany\tranking\n".encode(),
        [("瞪羚", None, 1), ("小巨人", "Company", 4)],
    ),
    ("  瞪羚 \t Company \n".encode(), [("瞪羚", "Company", 1)]),
    (b"", []),
]


@pytest.mark.parametrize(("content", "rows"), WELL_FORMED_CASES)
def test_a_well_formed_reject_list_reads_every_row(tmp_path, content, rows):
    path = tmp_path / "reject.tsv"
    path.write_bytes(content)
    found = load_rejects(path).entries
    assert [(r.name, r.type.value if r.type else None, r.line) for r in found] == rows


TABLE_ROW_CASES = [
    # a table row, the (id, name, aliases) it loads as, or the error it stops with
    ("company/x\tCompany\t华锐\t\t\t#\t3\t1\tsuffix\ta1\t句子", ("company/x", "华锐", ()), None),
    ("company/x\tCompany\t华锐\tHUARUI\t#3 mentions", ("company/x", "华锐", ("HUARUI",)), None),
    ("company/x\tCompany\t#华锐\t\t", None, "expected 3 to 5 tab-separated columns"),
    ("company/x\tCompany\t华锐\t\t\t3\t1", None, "expected 3 to 5 tab-separated columns"),
]


@pytest.mark.parametrize(("row", "entry", "error"), TABLE_ROW_CASES)
def test_the_alias_table_ignores_the_evidence_part_of_a_pasted_row(row, entry, error):
    from graph.entities.aliases import parse_table
    from graph.errors import AliasTableError

    text = TABLE + row + "\n"
    if error is not None:
        with pytest.raises(AliasTableError, match=error) as caught:
            parse_table(text, "t.tsv")
        assert caught.value.line == 3
        return
    loaded = parse_table(text, "t.tsv").get(entry[0])
    assert loaded is not None
    assert (loaded.id, loaded.name, loaded.aliases) == entry
