"""Read articles from files and folders, whatever encoding Chinese text arrives in.

Inputs:

- ``.txt`` / ``.md``: one article per file.
- ``.jsonl``: one article per line, ``{"id", "title", "date", "url", "text"}``
  (``source`` optional); only ``text`` is required. Lines are split at ``\\n`` only,
  so U+2028 and friends inside a JSON string are text.
- a folder: every such file below it, in sorted order; a ``manifest.tsv`` in the
  folder (columns ``file id title date source url``) supplies metadata.

Encodings: UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030 (a superset
of GBK and GB2312) and Big5 (as cp950). Legacy encodings cannot be told apart by
validity alone -- Big5, Shift-JIS and EUC-KR bytes mostly decode as GB18030 too --
so a decoding must also read like Chinese: most of its Chinese characters must be
among the most common ones (``graph/data/common_chars.txt``). A file that is
empty, binary or in no encoding that reads as Chinese raises
:class:`~graph.errors.InputError` naming the file and the reason.

Bad items are reported one by one: a bad line of a ``.jsonl`` file, a bad row of a
manifest or an article whose id is taken is an error of its own; with
``skip_bad`` it is reported through ``warn`` and everything else is kept.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from graph.display import shown
from graph.errors import InputError
from graph.records import Article
from graph.text.normalize import to_simplified

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".jsonl"})
MANIFEST_NAME = "manifest.tsv"
MANIFEST_FIELDS = ("file", "id", "title", "date", "source", "url")

OnBad = Callable[[InputError], None]
Warn = Callable[[str], None]

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
# In a one-line field (id, title, date, source, url) no control character belongs.
_FIELD_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _raise(error: InputError) -> None:
    raise error


# --- encodings ---------------------------------------------------------------------

# Legacy decodings tried after UTF-8, most likely first.
_LEGACY = ("gb18030", "cp950")
# A decoding reads as Chinese when at least this share of its Chinese characters are among
# the _COMMON_TOP most frequent ones (news text: about 0.9; another encoding read as
# GB18030 or Big5: below 0.2).
_COMMON_TOP = 1000
_MIN_COMMON_SHARE = 0.5
# ... judged only with enough Chinese characters to count; below that any decoding passes.
_MIN_CJK = 10
# The share of non-ASCII characters that may be unassigned, private-use or U+FFFD.
_MAX_ODD_SHARE = 0.05
# Valid UTF-8 is only refused when a quarter of it is unassigned or U+FFFD (garbled earlier).
_UTF8_MAX_ODD_SHARE = 0.25
_SAMPLE = 100_000  # characters from each end of a long text that are scored
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
# Encodings a file that reads as nothing may be in: (name, codec, script it would show).
_HINTS = (
    ("Shift-JIS", "shift_jis", _KANA),
    ("EUC-JP", "euc_jp", _KANA),
    ("EUC-KR", "euc_kr", _HANGUL),
)
_ICONV = {"Big5": "BIG5", "Shift-JIS": "SHIFT_JIS", "EUC-JP": "EUC-JP", "EUC-KR": "EUC-KR"}


@cache
def common_chars() -> frozenset[str]:
    """The most frequent Chinese characters (simplified), loaded once."""
    text = (resources.files("graph") / "data" / "common_chars.txt").read_text(encoding="utf-8")
    chars = [line for line in text.splitlines() if line and not line.startswith("#")]
    return frozenset(chars[:_COMMON_TOP])


@dataclass(frozen=True, slots=True)
class Fit:
    """How much a decoded text reads like Chinese."""

    cjk: int  # Chinese characters scored
    common: float  # share of them among the most common characters
    odd: float  # share of non-ASCII characters that are unassigned, private-use or U+FFFD

    @property
    def plausible(self) -> bool:
        if self.odd > _MAX_ODD_SHARE:
            return False
        return self.cjk < _MIN_CJK or self.common >= _MIN_COMMON_SHARE


def fit(text: str) -> Fit:
    """Score ``text`` (traditional characters count as their simplified forms).

    >>> fit("宁德时代在溧阳投资建设电池工厂").common > 0.8
    True
    >>> fit("寧德時代在溧陽投資建設電池工廠") == fit("宁德时代在溧阳投资建设电池工厂")
    True
    >>> fit("穝方玻穨辽笵硉玡︽嘲い盽カ韭跋").common < 0.5
    True
    """
    sample = text if len(text) <= 2 * _SAMPLE else text[:_SAMPLE] + text[-_SAMPLE:]
    cjk = _CJK.findall(to_simplified(sample))
    common = common_chars()
    hits = sum(1 for ch in cjk if ch in common)
    non_ascii = [ch for ch in sample if ord(ch) > 0x7F]
    odd = sum(1 for ch in non_ascii if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn"))
    return Fit(
        len(cjk), hits / len(cjk) if cjk else 1.0, odd / len(non_ascii) if non_ascii else 0.0
    )


def _looks_like(data: bytes, fits: dict[str, Fit]) -> str | None:
    """The encoding ``data`` seems to be in, when it reads as no Chinese encoding."""
    for name, codec, script in _HINTS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
        if non_ascii and len(script.findall(text)) >= 0.3 * non_ascii:
            return name
    big5, gb = fits.get("cp950"), fits.get("gb18030")
    if big5 and (gb is None or big5.common > gb.common):
        return "Big5"
    return None


def decode(data: bytes, path: str = "<bytes>", *, controls: bool = True) -> tuple[str, str]:
    """Decode raw bytes of an article and return ``(text, encoding)``.

    With ``controls`` a text with NUL bytes, full of control characters or (in UTF-8)
    of replacement characters is refused (a ``.jsonl`` file checks each line instead).

    >>> decode("金坛".encode("gb18030"))
    ('金坛', 'gb18030')
    >>> decode(codecs.BOM_UTF8 + "溧阳".encode())
    ('溧阳', 'utf-8-sig')
    >>> decode("寧德時代在溧陽投資建設電池工廠".encode("big5"))
    ('寧德時代在溧陽投資建設電池工廠', 'cp950')
    """
    if not data.strip():
        raise InputError(path, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), path, controls), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    path,
                    f"starts with a {encoding} byte-order mark but is not {encoding} ({exc.reason})",
                ) from None
    if controls and b"\x00" in data:
        raise InputError(path, "looks binary (contains NUL bytes); expected UTF-8 or GB18030 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        score = fit(text) if controls else None
        if score and score.odd > _UTF8_MAX_ODD_SHARE and score.cjk >= _MIN_CJK:
            raise InputError(
                path,
                f"is UTF-8 but {score.odd:.0%} of its non-ASCII characters are unassigned or "
                "replacement characters; it was garbled before it was saved, find the original",
            )
        return _checked(text, path, controls), "utf-8"
    decoded: dict[str, str] = {}
    fits: dict[str, Fit] = {}
    for encoding in _LEGACY:
        try:
            decoded[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        fits[encoding] = fit(decoded[encoding])
    choice = _choose(fits)
    if choice is None:
        hint = _looks_like(data, fits)
        raise InputError(path, _unknown_encoding(path, hint, decodable=bool(fits)))
    return _checked(decoded[choice], path, controls), choice


def _choose(fits: dict[str, Fit]) -> str | None:
    """GB18030 unless Big5 reads clearly better; None when no decoding reads as Chinese."""
    gb, big5 = fits.get("gb18030"), fits.get("cp950")
    clearly_better = big5 and (gb is None or not gb.plausible or big5.common >= gb.common + 0.2)
    if big5 and big5.plausible and big5.cjk >= 2 and clearly_better:
        return "cp950"
    if gb and gb.plausible:
        return "gb18030"
    return None


def _looks_binary(text: str) -> bool:
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)


def _unknown_encoding(path: str, hint: str | None, *, decodable: bool) -> str:
    source = _ICONV.get(hint or "", "ITS-ENCODING")
    fix = f"convert it to UTF-8 (e.g. iconv -f {source} -t UTF-8)"
    if hint:
        return f"cannot tell the encoding (looks like {hint}?); {fix}"
    if decodable:
        return f"cannot tell the encoding (decodes as GB18030 or Big5 but reads as nonsense); {fix}"
    return f"cannot be decoded as UTF-8, UTF-16, GB18030 or Big5; {fix}"


def _checked(text: str, path: str, controls: bool = True) -> str:
    if not text.strip():
        raise InputError(path, "file is empty")
    if controls and _looks_binary(text):
        raise InputError(
            path, "looks binary (control characters in the text); expected UTF-8 or GB18030 text"
        )
    return text


# --- articles ----------------------------------------------------------------------


def article_id(path: Path, text: str) -> str:
    """A stable ASCII id: the file stem when it is ASCII-safe, else a content hash.

    >>> article_id(Path("000_927dcd.txt"), "x")
    '000_927dcd'
    >>> article_id(Path("常州.txt"), "x")
    'a-2d711642b726'
    """
    if _SAFE_ID.match(path.stem):
        return path.stem
    return "a-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip().strip("*").strip()
        if line:
            return line[:120]
    return ""


def read_file(
    path: Path, meta: dict[str, str] | None = None, *, on_bad: OnBad = _raise
) -> list[Article]:
    """Read one ``.txt``/``.md``/``.jsonl`` file into articles.

    A file that cannot be read raises :class:`InputError`; a bad line of a ``.jsonl``
    file goes to ``on_bad`` (which raises by default) and the other lines are kept.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    jsonl = path.suffix.lower() == ".jsonl"
    text, encoding = decode(data, str(path), controls=not jsonl)
    if jsonl:
        return list(_jsonl_articles(path, text, encoding, on_bad))
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


def _jsonl_articles(path: Path, text: str, encoding: str, on_bad: OnBad) -> Iterator[Article]:
    # JSON strings may hold U+2028, U+2029 and U+0085 raw: split at line feeds only.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip(" \t\r\ufeff")
        if not line:
            continue
        try:
            yield _jsonl_article(path, number, line, encoding)
        except InputError as error:
            on_bad(error)


def _jsonl_article(path: Path, number: int, line: str, encoding: str) -> Article:
    def bad(reason: str) -> InputError:
        return InputError(str(path), reason, line=number)

    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        hint = "; write one JSON object per line" if line in ("{", "[") else ""
        raise bad(f"is not valid JSON ({exc.msg} at column {exc.colno}){hint}") from None
    except RecursionError:
        raise bad("is not valid JSON here (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise bad(f"is not valid JSON here ({str(exc).split(':')[0]})") from None
    if not isinstance(record, dict):
        raise bad('needs a JSON object with a "text" string')
    body = record.get("text")
    if not isinstance(body, str):
        got = "is missing" if body is None else f"is a {type(body).__name__}"
        raise bad(f'needs a "text" string (it {got})')
    if not body.strip():
        raise bad("article text is empty")
    if _SURROGATE.search(body):
        raise bad('"text" holds a lone surrogate escape (\\ud800-\\udfff); fix the encoder')
    if _looks_binary(body):
        raise bad('"text" looks binary (control characters); expected article text')
    fields = {}
    for key in ("id", "title", "date", "source", "url"):
        value = record.get(key)
        if value is None or value == "":
            fields[key] = ""
        elif isinstance(value, str) or (
            isinstance(value, int) and not isinstance(value, bool) and key in ("id", "date")
        ):
            fields[key] = str(value).strip()
        else:
            raise bad(f'"{key}" must be a string, not {type(value).__name__}')
        problem = _field_problem(key, fields[key])
        if problem:
            raise bad(problem)
    raw_id = fields["id"]
    if not raw_id:
        ident = article_id(Path(f"{path.stem}-{number}"), body)
    elif _SAFE_ID.match(raw_id):
        ident = raw_id
    else:
        ident = "a-" + hashlib.sha256(raw_id.encode("utf-8")).hexdigest()[:12]
    return Article(
        id=ident,
        text=body,
        title=fields["title"] or _title(body),
        date=fields["date"],
        source=fields["source"],
        url=fields["url"],
        path=f"{path}:{number}",
        encoding=encoding,
    )


def _field_problem(key: str, value: str) -> str | None:
    """Why ``value`` cannot be the metadata field ``key`` (None when it can)."""
    if _SURROGATE.search(value):
        return f'"{key}" holds a lone surrogate escape (\\ud800-\\udfff); fix the encoder'
    if _FIELD_CONTROL.search(value):
        return f'"{key}" holds a control character or line break; remove it'
    if len(value) > 2000:
        return f'"{key}" is {len(value)} characters long (at most 2000)'
    if key == "url" and value:
        try:
            parts = urlsplit(value)
        except ValueError as exc:
            return f'"url" {value[:60]!r} is not a valid web address ({exc})'
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            return f'"url" {value[:60]!r} is not a web address (expected http:// or https://)'
    return None


# --- manifests and folders -----------------------------------------------------------


def read_manifest(folder: Path, *, on_bad: OnBad = _raise) -> dict[str, dict[str, str]]:
    """Metadata by file name from ``folder/manifest.tsv``, or nothing if there is none.

    A manifest that cannot be used at all raises :class:`InputError` naming it; a bad
    row goes to ``on_bad`` (which raises by default) and the other rows are kept.
    """
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    name = str(manifest)
    try:
        data = manifest.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    text, _ = decode(data, name)
    lines = text.split("\n")
    header_at = next(i for i, line in enumerate(lines) if line.strip())
    header = [cell.strip().lower() for cell in lines[header_at].rstrip("\r").split("\t")]
    if "file" not in header:
        raise InputError(
            name,
            'needs a header row with a "file" column (tab-separated: '
            + " ".join(MANIFEST_FIELDS)
            + ")",
            line=header_at + 1,
        )
    rows: dict[str, dict[str, str]] = {}
    for index in range(header_at + 1, len(lines)):
        line = lines[index].rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        row = {key: cells[i].strip() if i < len(cells) else "" for i, key in enumerate(header)}
        try:
            rows.update(_manifest_row(name, index + 1, row, rows))
        except InputError as error:
            on_bad(error)
    return rows


def _manifest_row(
    name: str, number: int, row: dict[str, str], rows: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    def bad(reason: str) -> InputError:
        return InputError(name, reason, line=number)

    file = row.get("file", "")
    if not file:
        raise bad('has no file name in the "file" column')
    if file in rows:
        raise bad(f"lists {file!r} a second time; keep one row per file")
    ident = row.get("id", "")
    if ident and not _SAFE_ID.match(ident):
        raise bad(
            f"id {ident[:60]!r} cannot be an article id: use up to 81 ASCII letters, digits "
            "and ._- (starting with a letter or digit)"
        )
    for key in ("title", "date", "source", "url"):
        problem = _field_problem(key, row.get(key, ""))
        if problem:
            raise bad(problem)
    return {file: {key: value for key, value in row.items() if key}}


def iter_files(
    inputs: Iterable[Path], *, on_bad: OnBad = _raise
) -> Iterator[tuple[Path, dict[str, str] | None]]:
    """Expand files and folders into article files with their manifest metadata.

    A missing input or an unusable manifest goes to ``on_bad`` (raising by default);
    when it returns, the input is skipped, or read without the manifest's metadata.
    """
    for item in inputs:
        if item.is_dir():
            manifest = _manifest_or_nothing(item, on_bad)
            for path in sorted(item.rglob("*")):
                if (
                    path.is_file()
                    and path.suffix.lower() in ARTICLE_SUFFIXES
                    and not path.name.startswith(".")
                ):
                    yield path, manifest.get(path.relative_to(item).as_posix())
        elif item.is_file():
            yield item, _manifest_or_nothing(item.parent, on_bad).get(item.name)
        elif item.exists():
            on_bad(InputError(str(item), "is not a regular file or folder (a pipe or device?)"))
        else:
            on_bad(InputError(str(item), "no such file or folder"))


def _manifest_or_nothing(folder: Path, on_bad: OnBad) -> dict[str, dict[str, str]]:
    try:
        return read_manifest(folder, on_bad=on_bad)
    except InputError as error:
        on_bad(error)  # when it returns, the articles are read without the manifest
        return {}


_JSONL_LINE = re.compile(r"^(.*\.jsonl):(\d+)$", re.IGNORECASE | re.DOTALL)


def _origin(article: Article) -> tuple[str, int | None]:
    """The file and line an article was read from (``Article.path`` is FILE or FILE:LINE)."""
    found = _JSONL_LINE.match(article.path)
    return (found[1], int(found[2])) if found else (article.path, None)


def read_articles(
    inputs: Iterable[Path], *, skip_bad: bool = False, warn: Warn | None = None
) -> list[Article]:
    """Read every article under ``inputs``.

    Without ``skip_bad`` the first problem raises :class:`InputError`. With it, each
    bad file, ``.jsonl`` line or manifest row is reported through ``warn(message)``
    and skipped on its own. Ids must be unique, since they become IRIs: a second
    article with a taken id is a problem of its own (the first one is kept).
    """

    def on_bad(error: InputError) -> None:
        if not skip_bad:
            raise error
        if warn:
            warn(f"skipped {error}")

    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path, meta in iter_files(inputs, on_bad=on_bad):
        try:
            found = read_file(path, meta, on_bad=on_bad)
        except InputError as error:
            on_bad(error)
            continue
        for article in found:
            if article.id in seen:
                file, line = _origin(article)
                on_bad(
                    InputError(
                        file,
                        f"article id {article.id!r} is already used by {seen[article.id]}; "
                        "give it another id (in the manifest or the JSON line)",
                        line,
                    )
                )
                continue
            seen[article.id] = shown(article.path)
            articles.append(article)
    return articles
