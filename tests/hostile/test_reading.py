"""Hostile inputs for reading: encodings, .jsonl lines, manifests, ids, file names, furniture.

Every case is one row of a table: what is fed in and what must come out. Without
``--skip-bad`` a bad item is one line naming it; with it the item is skipped with a
warning naming file and line, and every good article is kept.
"""

from __future__ import annotations

import json
import os
import random

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.cli import cli
from graph.errors import InputError
from graph.text.articles import read_articles, read_file
from graph.text.normalize import normalize, split_sentences

SIMPLIFIED = (
    "中创新航总部位于常州市金坛区。溧阳高新区以宁德时代为龙头，集聚了一批动力电池企业。"
    "常州市提出打造新能源之都，全市新能源产业产值突破七千亿元，增长速度位居全省前列。"
)
TRADITIONAL = (
    "中創新航總部位於常州市金壇區。溧陽高新區以寧德時代為龍頭，集聚了一批動力電池企業。"
    "常州市提出打造新能源之都，全市新能源產業產值突破七千億元，增長速度位居全省前列。"
)
JAPANESE = (
    "日本は東アジアに位置する島国である。首都は東京都で、公用語は日本語である。"
    "トヨタ自動車は電池工場の建設を計画しており、パナソニックも生産を拡大している。"
)
KOREAN = (
    "대한민국은 동아시아의 한반도 남부에 위치한 민주공화국이다. 수도는 서울특별시이다. "
    "삼성전자는 반도체와 배터리 산업에 투자하고 있다. 현대자동차는 전기차 공장을 건설할 계획이다."
)
GOOD = {"id": "good1", "text": SIMPLIFIED}
GOOD2 = {"id": "good2", "text": "溧阳市与宁德时代签署合作协议。"}


def _random_high_bytes(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(0x81, 0xFF) for _ in range(n))


# --- encodings ------------------------------------------------------------------------

# (name, bytes of a .txt file, ("text", expected text, encoding) or ("error", message part))
ENCODINGS = [
    ("big5 traditional", TRADITIONAL.encode("big5"), ("text", TRADITIONAL, "cp950")),
    ("cp950 traditional", TRADITIONAL.encode("cp950"), ("text", TRADITIONAL, "cp950")),
    ("big5 short", "寧德時代在溧陽投資".encode("big5"), ("text", "寧德時代在溧陽投資", "cp950")),
    ("shift-jis", JAPANESE.encode("shift_jis"), ("error", "(looks like Shift-JIS?)")),
    ("euc-jp", JAPANESE.encode("euc_jp"), ("error", "(looks like EUC-JP?)")),
    ("euc-kr", KOREAN.encode("euc_kr"), ("error", "(looks like EUC-KR?)")),
    ("random high bytes", _random_high_bytes(600), ("error", "cannot tell the encoding")),
    ("random high bytes 2", _random_high_bytes(4000, 3), ("error", "cannot tell the encoding")),
    (
        "utf-8 full of U+FFFD",
        ("\ufffd\ufffd常州" * 40).encode("utf-8"),
        ("error", "replacement characters"),
    ),
]


@pytest.mark.parametrize(("name", "data", "expected"), ENCODINGS, ids=[c[0] for c in ENCODINGS])
def test_reading_encoding_is_read_or_refused(tmp_path, name, data, expected):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    if expected[0] == "text":
        [article] = read_file(path)
        assert (article.text, article.encoding) == expected[1:]
        return
    with pytest.raises(InputError) as excinfo:
        read_file(path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: ")
    assert expected[1] in message
    assert "convert it to UTF-8" in message or "original" in message
    assert "\n" not in message


# --- .jsonl lines ---------------------------------------------------------------------


def _line(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _deep(n: int) -> str:
    return "[" * n + "]" * n


# (name, the middle line(s) of a file between two good lines,
#  ids read with --skip-bad, the reason the line is refused or None)
JSONL_LINES = [
    ("truncated", '{"id": "x", "text": "金坛区位于', ["good1", "good2"], "is not valid JSON"),
    ("text missing", '{"id": "x"}', ["good1", "good2"], 'needs a "text" string'),
    ("text null", '{"id": "x", "text": null}', ["good1", "good2"], 'needs a "text" string'),
    ("text a number", '{"id": "x", "text": 3}', ["good1", "good2"], 'needs a "text" string'),
    ("text empty", '{"id": "x", "text": ""}', ["good1", "good2"], "article text is empty"),
    ("a list", '["金坛"]', ["good1", "good2"], "needs a JSON object"),
    ("title an object", '{"text": "金坛。", "title": {}}', ["good1", "good2"], '"title" must'),
    *[
        (
            f"lone surrogate in {key}",
            '{"id": "x", "text": "金坛。", "' + key + '": "a\\ud800b"}'
            if key != "text"
            else '{"id": "x", "text": "金坛\\udc80。"}',
            ["good1", "good2"],
            "lone surrogate",
        )
        for key in ("text", "title", "id", "source", "url", "date")
    ],
    (
        "100k-deep array in an extra field",
        '{"id": "x", "text": "金坛。", "extra": ' + _deep(100_000) + "}",
        ["good1", "good2"],
        "nested too deeply",
    ),
    (
        "integer id of 5,000 digits",
        '{"id": ' + "9" * 5000 + ', "text": "金坛。"}',
        ["good1", "good2"],
        "is not valid JSON here",
    ),
    (
        "malformed url",
        '{"id": "x", "text": "金坛。", "url": "http://[::1"}',
        ["good1", "good2"],
        "not a valid web address",
    ),
    (
        "control character in the title",
        '{"id": "x", "text": "金坛。", "title": "a\\u001b[2Jb"}',
        ["good1", "good2"],
        "control character",
    ),
    # Valid input that used to be refused.
    (
        "BOM on line 2",
        "\ufeff" + _line({"id": "x", "text": "金坛。"}),
        ["good1", "x", "good2"],
        None,
    ),
    *[
        (
            f"raw {name} inside a string",
            _line({"id": "x", "text": f"金坛{ch}溧阳。"}),
            ["good1", "x", "good2"],
            None,
        )
        for name, ch in (("U+2028", "\u2028"), ("U+2029", "\u2029"), ("U+0085", "\x85"))
    ],
]


def _jsonl(tmp_path, middle: str):
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join([_line(GOOD), middle, _line(GOOD2)]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "middle", "ids", "reason"), JSONL_LINES, ids=[c[0] for c in JSONL_LINES]
)
def test_reading_jsonl_bad_line_is_skipped_alone(tmp_path, name, middle, ids, reason):
    path = _jsonl(tmp_path, middle)
    warnings: list[str] = []
    articles = read_articles([path], skip_bad=True, warn=warnings.append)
    assert [a.id for a in articles] == ids
    for article in articles:
        article.text.encode("utf-8")  # no lone surrogates get through
    if reason is None:
        assert warnings == []
        return
    assert len(warnings) == 1
    assert f"{path}:2: " in warnings[0]
    assert reason in warnings[0]
    with pytest.raises(InputError) as excinfo:
        read_articles([path])
    assert str(excinfo.value).startswith(f"{path}:2: ")
    assert reason in str(excinfo.value)


def test_reading_jsonl_pretty_printed_object_skips_only_its_lines(tmp_path):
    pretty = json.dumps({"id": "x", "text": "金坛。"}, ensure_ascii=False, indent=2)
    path = _jsonl(tmp_path, pretty)
    warnings: list[str] = []
    articles = read_articles([path], skip_bad=True, warn=warnings.append)
    assert [a.id for a in articles] == ["good1", "good2"]
    assert len(warnings) == len(pretty.splitlines())
    assert "write one JSON object per line" in warnings[0]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
_FIELDS = st.sampled_from(["id", "title", "date", "source", "url", "text", "extra"])


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(record=st.dictionaries(_FIELDS, _JSON | st.text()), raw=st.text(max_size=30))
def test_reading_jsonl_any_line_keeps_the_good_ones(tmp_path, record, raw):
    """Whatever one line holds, reading never crashes and the good lines survive."""
    for middle in (json.dumps(record), raw.replace("\n", " ")):
        path = _jsonl(tmp_path, middle)
        warnings: list[str] = []
        articles = read_articles([path], skip_bad=True, warn=warnings.append)
        ids = [a.id for a in articles]
        assert ids[0] == "good1"
        assert ids[-1] == "good2"
        assert len(articles) + len(warnings) == 3 or not middle.strip()
        for article in articles:
            for value in (article.id, article.text, article.title, article.url, article.date):
                value.encode("utf-8")
        assert all("\n" not in w for w in warnings)


# --- duplicate ids and manifests --------------------------------------------------------

ARTICLE = SIMPLIFIED.encode("utf-8")
HEADER = "file\tid\ttitle\tdate\tsource\turl\n"

# (name, files {relative path: bytes}, ids read with --skip-bad, message part naming the item)
LAYOUTS = [
    (
        "same stem .txt and .md",
        {"news.md": ARTICLE, "news.txt": ARTICLE},
        ["news"],
        "news.txt: article id 'news' is already used by",
    ),
    (
        "same name in two folders",
        {"a/same.txt": ARTICLE, "b/same.txt": ARTICLE},
        ["same"],
        "same.txt: article id 'same' is already used by",
    ),
    (
        "duplicate ids in one .jsonl",
        {"n.jsonl": "\n".join([_line(GOOD), _line(GOOD), _line(GOOD2)]).encode()},
        ["good1", "good2"],
        "n.jsonl:2: article id 'good1' is already used by",
    ),
    (
        "duplicate ids in two .jsonl",
        {"a.jsonl": _line(GOOD).encode(), "b.jsonl": (_line(GOOD2) + "\n" + _line(GOOD)).encode()},
        ["good1", "good2"],
        "b.jsonl:2: article id 'good1' is already used by",
    ),
    *[
        (
            f"manifest id {bad!r}",
            {
                "manifest.tsv": (HEADER + f"x.txt\t{bad}\tT\t\t\t\ny.txt\ty1\t\t\t\t\n").encode(),
                "x.txt": ARTICLE,
                "y.txt": ARTICLE,
            },
            ["x", "y1"],
            "manifest.tsv:2: id",
        )
        for bad in ("../evil", "<script>", "a b")
    ],
    (
        "manifest without a file column",
        {"manifest.tsv": b"name\tid\nx.txt\tx1\n", "x.txt": ARTICLE},
        ["x"],
        'manifest.tsv:1: needs a header row with a "file" column',
    ),
    (
        "manifest empty",
        {"manifest.tsv": b"", "x.txt": ARTICLE},
        ["x"],
        "manifest.tsv: file is empty",
    ),
    (
        "manifest is a PNG",
        {"manifest.tsv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt": ARTICLE},
        ["x"],
        "manifest.tsv: looks binary",
    ),
    (
        "manifest with a bad url",
        {"manifest.tsv": (HEADER + "x.txt\tx1\t\t\t\thttp://[::1\n").encode(), "x.txt": ARTICLE},
        ["x"],
        "manifest.tsv:2: ",
    ),
]


@pytest.mark.parametrize(("name", "files", "ids", "message"), LAYOUTS, ids=[c[0] for c in LAYOUTS])
def test_reading_bad_item_is_skipped_alone(tmp_path, name, files, ids, message):
    for relative, data in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(data)
    warnings: list[str] = []
    articles = read_articles([tmp_path], skip_bad=True, warn=warnings.append)
    assert sorted(a.id for a in articles) == ids
    assert len(warnings) == 1
    assert message in warnings[0]
    with pytest.raises(InputError) as excinfo:
        read_articles([tmp_path])
    assert message in str(excinfo.value)


# --- file names in messages -------------------------------------------------------------

NAMES = [
    ("newline", "a\nb.txt", r"a\nb.txt"),
    ("ANSI clear screen", "\x1b[2Jx.txt", r"\x1b[2Jx.txt"),
    ("carriage return", "ok.txt\rfake.txt", r"ok.txt\rfake.txt"),
    ("not UTF-8", "caf\udce9.txt", r"caf\udce9.txt"),
]


@pytest.mark.parametrize(("name", "file_name", "escaped"), NAMES, ids=[c[0] for c in NAMES])
def test_reading_file_names_are_escaped(tmp_path, name, file_name, escaped):
    """Shown quoted with Python escapes: the message stays one printable line."""
    escaped = f"'{tmp_path}/{escaped}'"
    (tmp_path / file_name).write_bytes(b"\x00\x01binary")
    (tmp_path / "good.txt").write_bytes(ARTICLE)
    warnings: list[str] = []
    articles = read_articles([tmp_path], skip_bad=True, warn=warnings.append)
    assert [a.id for a in articles] == ["good"]
    [warning] = warnings
    assert escaped in warning
    assert warning.isprintable()
    result = CliRunner().invoke(cli, ["build", str(tmp_path / file_name), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert escaped in result.output
    assert result.output.count("\n") == 1
    assert result.output.rstrip("\n").isprintable()


def test_reading_fifo_input_is_named_for_what_it_is(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="is not a regular file or folder"):
        read_articles([fifo])


# --- the command line: no traceback, good articles kept ----------------------------------


def test_reading_cli_skip_bad_keeps_good_articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    bad_lines = [middle for _, middle, _, reason in JSONL_LINES if reason]
    (folder / "news.jsonl").write_text(
        "\n".join([_line(GOOD), *bad_lines, _line(GOOD2)]), encoding="utf-8"
    )
    (folder / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (folder / "sjis.txt").write_bytes(JAPANESE.encode("shift_jis"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.output.count("warning: skipped") == len(bad_lines) + 1
    assert "3 articles" in result.output
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert result.output.count("\n") == 1
    assert "big5.txt" not in result.output  # Big5 is read, the first problem is elsewhere


# --- page furniture ---------------------------------------------------------------------

FURNITURE_WORDS = [
    "版权所有",
    "Copyright",
    "©",
    "责任编辑",
    "责编",
    "扫一扫",
    "分享到",
    "关注我们",
    "返回顶部",
    "打印本页",
    "关闭窗口",
    "中国文明网",
    "ICP备",
]


@pytest.mark.parametrize(
    "word", FURNITURE_WORDS, ids=[w.encode("unicode_escape").decode() for w in FURNITURE_WORDS]
)
def test_reading_furniture_word_inside_prose_keeps_the_prose(word):
    content = f"据报道，中创新航在金坛投资建设基地，{word}一栏另有说明。宁德时代在溧阳投资建设。"
    text = f"标题\n{content}\n{word}：常州日报\n"
    clean = normalize(text).text
    assert content in clean
    assert f"{word}：常州日报" not in clean


# (name, a line between two content lines, the content it holds)
MIXED_LINES = [
    ("glued to prose", "据中国文明网报道，宁德时代在溧阳投资建设。", "宁德时代在溧阳投资建设。"),
    (
        "sentence and a credit",
        "宁德时代在溧阳投资建设。©2024 常州日报 版权所有",
        "宁德时代在溧阳投资建设。",
    ),
    ("headline naming the site", "中国文明网评出全国文明城市", "中国文明网评出全国文明城市"),
]


@pytest.mark.parametrize(("name", "line", "content"), MIXED_LINES, ids=[c[0] for c in MIXED_LINES])
def test_reading_furniture_never_drops_content(name, line, content):
    text = f"中创新航总部位于常州市金坛区。\n{line}\n溧阳市与宁德时代签署合作协议。"
    assert content in normalize(text).text


def test_reading_furniture_words_in_a_long_line_keep_every_sentence():
    sentence = "中创新航总部位于常州市金坛区，宁德时代在溧阳投资建设。"
    marked = "据中国文明网报道，责任编辑表示分享到©版权所有，宁德时代在溧阳投资建设。"
    plain = split_sentences("a", (sentence * 200).rstrip())
    mixed = split_sentences("a", (sentence * 100 + marked + sentence * 99).rstrip())
    assert len(mixed) == len(plain)


# (command line with NAME for a file that does not exist)
MISSING_GRAPH = [
    ("export", ["export", "--graph", "NAME", "-f", "nt"]),
    ("html", ["html", "--graph", "NAME", "-o", "OUT"]),
    ("validate", ["validate", "NAME"]),
]


@pytest.mark.parametrize(("name", "args"), MISSING_GRAPH, ids=[c[0] for c in MISSING_GRAPH])
def test_reading_graph_file_names_are_escaped(tmp_path, name, args):
    missing = str(tmp_path / "\x1b[31mred\nx.ttl")
    names = {"NAME": missing, "OUT": str(tmp_path / "g.html")}
    result = CliRunner().invoke(cli, [names.get(a, a) for a in args])
    assert result.exit_code != 0
    assert repr(missing) in result.output
    assert "\x1b" not in result.output


def test_reading_common_chars_file_is_made_by_its_script(tmp_path):
    """graph/data/common_chars.txt is exactly what scripts/make_common_chars.py writes."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "common_chars.txt"
    script = root / "scripts" / "make_common_chars.py"
    subprocess.run([sys.executable, script, "--out", out], check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == (root / "graph/data/common_chars.txt").read_text(
        encoding="utf-8"
    )
