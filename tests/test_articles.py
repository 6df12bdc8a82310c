from __future__ import annotations

import codecs
import json

import pytest

from graph.errors import InputError
from graph.text.articles import decode, read_articles, read_file

TEXT = "中创新航总部位于常州市金坛区。溧阳高新区以宁德时代为龙头。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),  # Python writes a BOM
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
    ],
)
def test_articles_decode_encodings(tmp_path, data, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    [article] = read_file(path)
    assert article.text == TEXT
    assert article.encoding == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b"  \n\n\t ", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        (bytes(range(1, 32)) * 4, "looks binary"),
        (b"caf\xe9 au lait \x81 ", "cannot be decoded"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "byte-order mark"),
    ],
)
def test_articles_bad_file_is_one_clear_error(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as excinfo:
        read_file(path)
    message = str(excinfo.value)
    assert str(path) in message
    assert reason in message
    assert "\n" not in message


def test_articles_skip_bad_warns_and_keeps_good(tmp_path):
    (tmp_path / "good.txt").write_bytes(TEXT.encode("gbk"))
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02\x03")
    warnings: list[str] = []
    articles = read_articles([tmp_path], skip_bad=True, warn=warnings.append)
    assert [a.id for a in articles] == ["good"]
    assert len(warnings) == 1
    assert "bad.txt" in warnings[0]
    with pytest.raises(InputError, match=r"bad\.txt"):
        read_articles([tmp_path])


@pytest.mark.parametrize(
    ("lines", "ids", "titles"),
    [
        ([{"id": "n1", "title": "标题", "text": TEXT}], ["n1"], ["标题"]),
        (
            [{"text": "第一行\n正文。"}, {"id": "x2", "text": TEXT}],
            ["news-1", "x2"],
            ["第一行", "中创新航总部位于常州市金坛区。溧阳高新区以宁德时代为龙头。"],
        ),
    ],
)
def test_articles_jsonl_one_article_per_line(tmp_path, lines, ids, titles):
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    articles = read_file(path)
    assert [a.id for a in articles] == ids
    assert [a.title for a in articles] == titles


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "is not valid JSON"),
        ('["a list"]', 'needs a JSON object with a "text" string'),
        ('{"id": "a", "text": "  "}', "article text is empty"),
    ],
)
def test_articles_jsonl_bad_line_names_the_line(tmp_path, line, reason):
    path = tmp_path / "news.jsonl"
    path.write_text(
        json.dumps({"text": TEXT}, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=f"news.jsonl:2: {reason}"):
        read_file(path)


def test_articles_manifest_gives_metadata(seeds_dir):
    articles = read_articles([seeds_dir])
    assert len(articles) == 5
    by_id = {a.id: a for a in articles}
    assert by_id["004_290be047a79cdf4b"].title == "产业强市看溧阳"
    assert by_id["002_ab21af7cdf216085"].date == "2024-09"


def test_articles_duplicate_ids_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for sub in ("a", "b"):
        (tmp_path / sub / "same.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="already used"):
        read_articles([tmp_path])


@pytest.mark.parametrize("text", ["常州", "金坛区位于常州西部。\n"])
def test_articles_decode_round_trips_utf8(text):
    assert decode(text.encode("utf-8"))[0] == text


def test_files_atomic_write_uses_the_usual_mode(tmp_path):
    import os
    import stat

    from graph.files import atomic_write

    path = atomic_write(tmp_path / "out" / "g.ttl", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in path.parent.iterdir()] == ["g.ttl"]
