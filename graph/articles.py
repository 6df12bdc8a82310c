"""Read articles from files and folders, whatever encoding Chinese text arrives in.

Inputs:

- ``.txt`` / ``.md``: one article per file.
- ``.jsonl``: one article per line, ``{"id", "title", "date", "url", "text"}``
  (``source`` optional); only ``text`` is required.
- a folder: every such file below it, in sorted order; a ``manifest.tsv`` in the
  folder (columns ``file id title date source url``) supplies metadata.

Encodings: UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030 (a superset
of GBK and GB2312). A file that is empty, binary or undecodable raises
:class:`~graph.errors.InputError` naming the file and the reason.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import InputError
from graph.records import Article

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".jsonl"})
MANIFEST_NAME = "manifest.tsv"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode raw bytes of an article and return ``(text, encoding)``.

    >>> decode("金坛".encode("gb18030"))
    ('金坛', 'gb18030')
    >>> decode(codecs.BOM_UTF8 + "溧阳".encode())
    ('溧阳', 'utf-8-sig')
    """
    if not data.strip():
        raise InputError(path, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), path), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    path,
                    f"starts with a {encoding} byte-order mark but is not {encoding} ({exc.reason})",
                ) from None
    if b"\x00" in data:
        raise InputError(path, "looks binary (contains NUL bytes); expected UTF-8 or GB18030 text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), path), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(
        path,
        "cannot be decoded as UTF-8, UTF-16 or GB18030; convert it to UTF-8 (e.g. iconv -f BIG5 -t UTF-8)",
    )


def _checked(text: str, path: str) -> str:
    if not text.strip():
        raise InputError(path, "file is empty")
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise InputError(
            path, "looks binary (control characters in the text); expected UTF-8 or GB18030 text"
        )
    return text


def article_id(path: Path, text: str) -> str:
    """A stable ASCII id: the file stem when it is ASCII-safe, else a content hash.

    >>> article_id(Path("000_927dcd.txt"), "x")
    '000_927dcd'
    >>> article_id(Path("常州.txt"), "x")
    'a-2d711642b726'
    """
    if _SAFE_ID.match(path.stem):
        return path.stem
    return "a-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip().strip("*").strip()
        if line:
            return line[:120]
    return ""


def read_file(path: Path, meta: dict[str, str] | None = None) -> list[Article]:
    """Read one ``.txt``/``.md``/``.jsonl`` file into articles."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    text, encoding = decode(data, str(path))
    if path.suffix.lower() == ".jsonl":
        return list(_jsonl_articles(path, text, encoding))
    meta = meta or {}
    return [
        Article(
            id=meta.get("id") or article_id(path, text),
            text=text,
            title=meta.get("title") or _title(text),
            date=meta.get("date", ""),
            source=meta.get("source", ""),
            url=meta.get("url", ""),
            path=str(path),
            encoding=encoding,
        )
    ]


def _jsonl_articles(path: Path, text: str, encoding: str) -> Iterator[Article]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}:{number}", f"is not valid JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f"{path}:{number}", 'needs a JSON object with a "text" string')
        body = record["text"]
        if not body.strip():
            raise InputError(f"{path}:{number}", "article text is empty")
        raw_id = str(record.get("id") or "")
        ident = (
            raw_id if _SAFE_ID.match(raw_id) else article_id(Path(f"{path.stem}-{number}"), body)
        )
        if raw_id and not _SAFE_ID.match(raw_id):
            ident = "a-" + hashlib.sha256(raw_id.encode("utf-8")).hexdigest()[:12]
        yield Article(
            id=ident,
            text=body,
            title=str(record.get("title") or _title(body)),
            date=str(record.get("date") or ""),
            source=str(record.get("source") or ""),
            url=str(record.get("url") or ""),
            path=f"{path}:{number}",
            encoding=encoding,
        )


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Metadata by file name from ``folder/manifest.tsv``, or nothing if there is none."""
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    text, _ = decode(manifest.read_bytes(), str(manifest))
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    if not rows.fieldnames or "file" not in rows.fieldnames:
        raise InputError(str(manifest), 'needs a header row with a "file" column')
    return {row["file"]: {k: (v or "").strip() for k, v in row.items() if k} for row in rows}


def iter_files(inputs: Iterable[Path]) -> Iterator[tuple[Path, dict[str, str] | None]]:
    """Expand files and folders into article files with their manifest metadata."""
    for item in inputs:
        if item.is_dir():
            manifest = read_manifest(item)
            for path in sorted(item.rglob("*")):
                if (
                    path.is_file()
                    and path.suffix.lower() in ARTICLE_SUFFIXES
                    and not path.name.startswith(".")
                ):
                    yield path, manifest.get(path.relative_to(item).as_posix())
        elif item.is_file():
            yield item, read_manifest(item.parent).get(item.name)
        else:
            raise InputError(str(item), "no such file or folder")


def read_articles(inputs: Iterable[Path], *, skip_bad: bool = False, warn=None) -> list[Article]:
    """Read every article under ``inputs``.

    With ``skip_bad`` a bad file is reported through ``warn(message)`` and skipped;
    otherwise its :class:`InputError` propagates. Duplicate ids are an error, since
    ids become IRIs.
    """
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path, meta in iter_files(inputs):
        try:
            found = read_file(path, meta)
        except InputError as exc:
            if not skip_bad:
                raise
            if warn:
                warn(f"skipped {exc}")
            continue
        for article in found:
            if article.id in seen:
                raise InputError(
                    article.path,
                    f"article id {article.id!r} is already used by {seen[article.id]}; give it another id",
                )
            seen[article.id] = article.path
            articles.append(article)
    return articles
