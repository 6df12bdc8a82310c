"""Normalize extracted article text and split it into sentences, keeping a map back.

Real articles arrive as text pulled out of PDFs and web pages: words broken by
line breaks (``比亚\\n 迪``), a mix of full- and half-width forms, markdown
markers, bare URLs and page numbers. :func:`normalize` repairs that and returns
the clean text together with, for every clean character, its index in the
original text, so every piece of evidence can point at what the source says.

>>> n = normalize("今年4月，总投资20亿美元的安赛\\n\\n乐米塔尔项目落户常州。")
>>> n.text
'今年4月，总投资20亿美元的安赛乐米塔尔项目落户常州。'
>>> n.offsets[16]  # 乐 sits after the two line breaks
18
>>> [s.text for s in split_sentences("a", "金坛召开大会。他说：“要干！”随后散会。")]
['金坛召开大会。', '他说：“要干！”', '随后散会。']
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from graph.records import Sentence

# --- character classes -------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


# Punctuation that closes a sentence, and what may trail it (closing quotes and brackets).
TERMINATORS = frozenset("。！？!?")
CLOSERS = frozenset("”’」』）)》】")
OPENERS = {"“": "”", "‘": "’", "（": "）", "(": ")", "《": "》", "【": "】", "「": "」", "『": "』"}
# A line ending in one of these ends its paragraph.
PARAGRAPH_END = frozenset("。！？!?；;：:…")
# Punctuation inside a clause: a line holding one is running prose, not a heading.
CLAUSE_PUNCT = frozenset("，、,；：")

# Half-width punctuation that becomes full-width when it touches Chinese text.
_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’", "〝": "“", "〞": "”", "＂": '"'}
_SPACES = frozenset("\u3000\u00a0\u2002\u2003\u2009\u200b\t\r\f\v")

# Page furniture: lines dropped whole.
_FURNITURE = [
    re.compile(p)
    for p in (
        r"^(https?://|www\.)\S+$",  # a bare URL
        r"^[-—–_\s]*(第\s*)?\d{1,4}\s*(页)?[-—–_\s]*$",  # a page number
        r"^\d{1,4}\s*/\s*\d{1,4}$",  # 3 / 12
        r"^!\[[^\]]*\]\([^)]*\)$",  # a markdown image
    )
]
_FURNITURE_LINE = re.compile("|".join(f"(?:{p.pattern})" for p in _FURNITURE))
# A line with a furniture word (graph/data/furniture.txt) is furniture when it is this short
# and holds at most one sentence; longer lines are content that mentions the word.
_FURNITURE_MAX_LEN = 60
_SENTENCE_END = re.compile(r"[。！？!?]")
_MD_PREFIX = re.compile(r"^(#{1,6}\s+|>\s*)")
_MD_BOLD = re.compile(r"\*\*|__")
_ENUM_START = re.compile(
    r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[.、．]\s*|[-*•·]\s)"
)
# The last lines of a page that are short and unpunctuated are captions and ads.
_TRAILER_MAX_LEN = 25
_TRAILER_MAX_LINES = 6


# --- traditional script --------------------------------------------------------


@cache
def _t2s_table() -> dict[int, str]:
    """Traditional -> simplified, character for character (keeps offsets 1:1)."""
    import opencc  # opencc-python-reimplemented ships OpenCC's dictionaries

    table: dict[int, str] = {}
    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        simp = simp.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            table[ord(trad)] = simp
    return table


def is_traditional(text: str) -> bool:
    """True when enough characters are traditional-only to convert the text.

    >>> is_traditional("寧德時代在溧陽投資建設電池工廠"), is_traditional("宁德时代在溧阳投资建设")
    (True, False)
    """
    cjk = sum(m.end() - m.start() for m in _CJK_RUN.finditer(text))
    trad = len(text) - len(text.translate(_drop_traditional()))
    return cjk > 0 and trad >= max(2, cjk * 0.02)


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@cache
def _drop_traditional() -> dict[int, None]:
    return dict.fromkeys(_t2s_table())


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified, one character for one."""
    return text.translate(_t2s_table())


# --- character-level normalization (1:1, offsets unchanged) --------------------


def unify_chars(text: str) -> str:
    """Unify width, quotes and spaces without changing the length of the text.

    Full-width letters and digits become ASCII; ASCII punctuation that touches
    Chinese becomes full-width; corner quotes become curly quotes; odd spaces
    become plain spaces.

    >>> unify_chars("中德(常州)创新产业园，ＧＤＰ增长9.1%,位列第一")
    '中德（常州）创新产业园，GDP增长9.1%，位列第一'
    >>> unify_chars('打造"新能源之都"')
    '打造“新能源之都”'
    """
    chars = list(text.translate(_unify_table()))
    # A carriage return ends a line, unless a line feed follows (then it is a space).
    for m in _LONE_CR.finditer(text):
        chars[m.start()] = "\n"
    n = len(chars)
    # Second pass: punctuation depends on the (already unified) neighbours.
    open_quote = True
    for m in _CONTEXT_PUNCT.finditer(text):
        i = m.start()
        ch = chars[i]
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < n else ""
        if ch == '"':
            chars[i] = "“" if open_quote else "”"
            open_quote = not open_quote
        elif ch == "\n":
            open_quote = True
        elif ch in _TO_FULL and (_is_cjk(prev) or _is_cjk(nxt) or prev in "”）" or nxt in "“（"):
            if ch in ",;:" and prev.isdigit() and nxt.isdigit():
                continue  # 1,000 and 10:30 stay
            chars[i] = _TO_FULL[ch]
    return "".join(chars)


_LONE_CR = re.compile(r"\r(?=[^\n])")
# Characters whose unified form depends on their neighbours (the line break resets quotes).
_CONTEXT_PUNCT = re.compile(r'["\n\r＂,;:?!()]')


@cache
def _unify_table() -> dict[int, str]:
    """The context-free part of :func:`unify_chars`, one character for one."""
    table = {ord(ch): " " for ch in _SPACES}
    table.update({ord(k): v for k, v in _QUOTES.items()})
    for code in range(0xFF01, 0xFF5F):
        ch = chr(code)
        if ch.isalnum() or ch in "％＆＋－．／＠＿":
            table[code] = chr(code - 0xFEE0)
    return table


def normalize_name(name: str) -> str:
    """The form names are compared in: simplified, unified, without spaces or quotes.

    >>> normalize_name(" 中德(常州)創新產業園 ")
    '中德（常州）创新产业园'
    >>> normalize_name('"532"发展战略')
    '532发展战略'
    """
    text = to_simplified(unify_chars(name))
    return re.sub(r"[\s“”‘’\"'《》]", "", text)


# --- line-level repair ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Normalized:
    """Clean text and, for each of its characters, the index in the original text."""

    text: str
    offsets: tuple[int, ...]


@dataclass(slots=True)
class _Line:
    chars: list[str]
    offsets: list[int]
    heading: bool
    newline_at: int  # original index of the line break after the line (or len(text))

    @property
    def text(self) -> str:
        return "".join(self.chars)


# What _clean_line may change inside a line: spaces, markdown prefixes and bold markers.
_NEEDS_CLEANING = re.compile(r"[ *_>#]")
_SPACE_RUN = re.compile(" +")


def _clean_line(text: str, start: int, newline_at: int) -> _Line | None:
    """Strip a line of markdown markers and stray spaces; None if nothing is left."""
    core = text.strip(" ")
    if not core.strip():
        return None
    if not _NEEDS_CLEANING.search(core):  # plain text: only the spaces at its edges go
        first = start + len(text) - len(text.lstrip(" "))
        return _Line(list(core), list(range(first, first + len(core))), False, newline_at)
    heading = bool(re.match(r"^\s*#{1,6}\s", text))
    cuts = [m.span() for m in _MD_BOLD.finditer(text)]
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    prefix = _MD_PREFIX.match(stripped)
    if prefix:
        cuts.append((lead, lead + prefix.end()))
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for begin, end in sorted(cuts):
        if begin > pos:
            pieces.append(text[pos:begin])
            offsets.extend(range(start + pos, start + begin))
        pos = max(pos, end)
    pieces.append(text[pos:])
    offsets.extend(range(start + pos, start + len(text)))
    kept = "".join(pieces)
    # Spaces: drop at the edges and beside Chinese characters next to digits
    # ("百强 33 位"); collapse other runs to one (names in bylines stay apart).
    out: list[str] = []
    out_o: list[int] = []
    pos = 0
    for run in _SPACE_RUN.finditer(kept):
        begin, end = run.span()
        out.append(kept[pos:begin])
        out_o.extend(offsets[pos:begin])
        pos = end
        prev = kept[begin - 1] if begin else ""
        nxt = kept[end] if end < len(kept) else ""
        if not prev or not nxt:
            continue
        if (_is_cjk(prev) and (nxt.isdigit() or not nxt.isalnum())) or (
            _is_cjk(nxt) and (prev.isdigit() or not prev.isalnum())
        ):
            continue
        out.append(" ")
        out_o.append(offsets[begin])
    out.append(kept[pos:])
    out_o.extend(offsets[pos:])
    out_c = list("".join(out))
    if not any(ch.strip() for ch in out_c):
        return None
    return _Line(out_c, out_o, heading, newline_at)


@cache
def _furniture_words() -> re.Pattern[str]:
    """One pattern for the furniture words, each not glued to Chinese text on its Chinese side."""
    text = (resources.files("graph") / "data" / "furniture.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    cjk = r"\u3400-\u9fff\uf900-\ufaff"
    parts = []
    for word in sorted(words, key=len, reverse=True):
        before = f"(?<![{cjk}])" if _is_cjk(word[0]) else ""
        after = f"(?![{cjk}])" if _is_cjk(word[-1]) else ""
        parts.append(before + re.escape(word) + after)
    return re.compile("|".join(parts))


def _is_furniture(line: str) -> bool:
    """Is the (stripped) ``line`` page furniture rather than content?

    >>> _is_furniture("责任编辑：张三"), _is_furniture("中宣部宣教局 中国文明网")
    (True, True)
    >>> _is_furniture("据中国文明网报道，宁德时代在溧阳投资建设。")
    False
    """
    if _FURNITURE_LINE.search(line):
        return True
    if len(line) > _FURNITURE_MAX_LEN or not _furniture_words().search(line):
        return False
    # Two sentences or more are content even when one of them is a credit.
    return len(_SENTENCE_END.findall(line.rstrip("。！？!?”’）)"))) == 0


def _lines(text: str) -> list[tuple[_Line, int]]:
    """(line, blank lines before it) for each content line of ``text``, furniture dropped."""
    result: list[tuple[_Line, int]] = []
    pos = 0
    blanks = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        line = None if _is_furniture(raw.strip()) else _clean_line(raw, pos, end)
        if line is None:
            blanks += 1
        else:
            result.append((line, blanks))
            blanks = 0
        pos = end + 1
    # Trailing captions and ads: short unpunctuated lines after the last sentence.
    dropped = 0
    has_prose = any(_ends_paragraph(line.text) for line, _ in result)
    while has_prose and result and dropped < _TRAILER_MAX_LINES:
        tail = result[-1][0].text.strip()
        if len(tail) > _TRAILER_MAX_LEN or any(ch in tail for ch in PARAGRAPH_END | CLAUSE_PUNCT):
            break
        result.pop()
        dropped += 1
    return result


def _ends_paragraph(line: str) -> bool:
    line = line.rstrip()
    while line and line[-1] in CLOSERS:
        if len(line) >= 2 and line[-2] in PARAGRAPH_END:
            return True
        line = line[:-1]
    return bool(line) and line[-1] in PARAGRAPH_END


def _should_join(prev: _Line, nxt: _Line, width: float) -> bool:
    """Is ``nxt`` the continuation of a sentence broken at the end of ``prev``?"""
    if prev.heading or nxt.heading:
        return False
    a, b = prev.text.strip(), nxt.text.strip()
    if _ends_paragraph(a) or _ENUM_START.match(b):
        return False
    if not (_is_cjk(a[-1]) or a[-1].isalnum() or a[-1] in "，、,“”（）《》"):
        return False
    if not (_is_cjk(b[0]) or b[0].isalnum() or b[0] in "，、。”）》：；！？%"):
        return False
    prose = any(ch in CLAUSE_PUNCT for ch in a)
    long_line = len(a) >= 20 and len(a) >= 0.8 * width
    return prose or long_line


def normalize(text: str) -> Normalized:
    """Repair extracted text; see the module docstring.

    Paragraphs are kept apart by a single ``\\n``; a line broken inside a sentence
    is joined to the next one, even across blank lines, while headings, bylines
    and captions stay on lines of their own.
    """
    if is_traditional(text):
        text = to_simplified(text)
    text = unify_chars(text)
    lines = _lines(text)
    lengths = [len(line.text) for line, _ in lines if len(line.text) >= 10]
    width = statistics.quantiles(lengths, n=4)[2] if len(lengths) >= 4 else 0.0
    chars: list[str] = []
    offsets: list[int] = []
    previous: _Line | None = None
    for line, blanks in lines:
        if previous is not None:
            # Two or more blank lines always separate paragraphs (captions, blocks).
            if blanks < 2 and _should_join(previous, line, width):
                left, right = previous.text.rstrip()[-1], line.text.lstrip()[0]
                if left.isascii() and not left.isspace() and right.isascii() and right.isalnum():
                    chars.append(" ")
                    offsets.append(previous.newline_at)
                while chars and chars[-1] == " " and not (chars[-2:-1] and chars[-2].isascii()):
                    chars.pop()
                    offsets.pop()
            else:
                while chars and chars[-1] == " ":
                    chars.pop()
                    offsets.pop()
                chars.append("\n")
                offsets.append(previous.newline_at)
        chars.extend(line.chars)
        offsets.extend(line.offsets)
        previous = line
    while chars and chars[-1] in " \n":
        chars.pop()
        offsets.pop()
    return Normalized("".join(chars), tuple(offsets))


# --- sentences -----------------------------------------------------------------

_MAX_SENTENCE = 400  # split inside unbalanced quotes once a sentence gets this long
_MAX_NESTING = 32  # open quotes and brackets tracked at once


_BOUNDARY = re.compile(
    "["
    + re.escape("\n." + "".join(TERMINATORS | CLOSERS | set(OPENERS) | set(OPENERS.values())))
    + "]"
)
MAX_SENTENCE_CHARS = 1000
"""The longest sentence handed on. A run of text with no sentence end within this many
characters (text without punctuation, a list of thousands of names) is cut into pieces of
at most this length, each at the best break near its end: after a clause mark (，；：),
then after an enumeration comma (、), then at a space, then after a function word
(graph/data/cut_after.txt), and only failing all of these at the bound itself (never
inside a run of Latin letters or digits when one can be avoided). Recognition and
relation extraction work within a sentence, so this bound keeps their time linear in the
length of the input."""
_CUT_WINDOW = MAX_SENTENCE_CHARS // 4  # how far back from the bound a break is looked for
_CUT_MARKS = ("，；：,;:", "、", " ")


@cache
def _cut_after() -> frozenset[str]:
    path = Path(__file__).parent.with_name("data") / "cut_after.txt"
    words = path.read_text(encoding="utf-8").split("\n")
    return frozenset(w.strip() for w in words if w.strip() and not w.startswith("#"))


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end a piece of ``text[start:stop]`` that must be cut (start < cut < stop)."""
    bound = start + MAX_SENTENCE_CHARS
    low = max(start + 1, bound - _CUT_WINDOW)
    for marks in _CUT_MARKS:
        at = max(text.rfind(mark, low - 1, bound) for mark in marks)
        if at >= low - 1:
            return at + 1
    words = _cut_after()
    for at in range(bound, low - 1, -1):
        if text[at - 1] in words:
            return at
    at = bound
    while at > low and text[at - 1].isascii() and text[at - 1].isalnum() and text[at].isascii():
        at -= 1
    return at if at > low else bound


def _bounded(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` cut into pieces of at most :data:`MAX_SENTENCE_CHARS`."""
    while stop - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start, stop)
        yield start, cut
        start = cut
    yield start, stop


def _sentence_bounds(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in normalized ``text``, before the length bound."""
    start = 0
    stack: list[str] = []
    i, n = 0, len(text)
    while i < n:
        # Only line breaks, brackets, quotes and terminators matter: jump to the next one.
        found = _BOUNDARY.search(text, i)
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch == "\n":
            yield start, i
            start, stack = i + 1, []
        elif ch in OPENERS:
            if len(stack) < _MAX_NESTING:  # deeper is not prose; keeps the checks below short
                stack.append(OPENERS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in CLOSERS and ch in stack:
            while stack and stack.pop() != ch:
                pass
        if ch in TERMINATORS or (
            ch == "."
            and (i + 1 == n or text[i + 1] == " " or _is_cjk(text[i + 1]))
            and i
            and text[i - 1].isalpha()
        ):
            j = i + 1
            while j < n and text[j] in TERMINATORS:
                j += 1
            closing = j
            while closing < n and text[closing] in CLOSERS:
                if stack and text[closing] == stack[-1]:
                    stack.pop()
                closing += 1
            if not stack or i - start > _MAX_SENTENCE:
                yield start, closing
                start, stack = closing, []
            i = closing
            continue
        i += 1
    yield start, n


def split_sentences(
    article_id: str, text: str, warn: Callable[[str], None] | None = None
) -> list[Sentence]:
    """Normalize an article's original ``text`` and split it into sentences.

    Each sentence carries the offsets of its characters in ``text``. ``warn`` hears
    about runs of text longer than :data:`MAX_SENTENCE_CHARS` that had to be cut.
    """
    normalized = normalize(text)
    return sentences_of(article_id, normalized, warn)


def sentences_of(
    article_id: str, normalized: Normalized, warn: Callable[[str], None] | None = None
) -> list[Sentence]:
    """Split already normalized text into :class:`Sentence` records."""
    sentences: list[Sentence] = []
    clean = normalized.text
    long_runs, longest = 0, 0
    for whole_begin, whole_stop in _sentence_bounds(clean):
        if whole_stop - whole_begin > MAX_SENTENCE_CHARS:
            long_runs += 1
            longest = max(longest, whole_stop - whole_begin)
        for begin, stop in _bounded(clean, whole_begin, whole_stop):
            while begin < stop and clean[begin].isspace():
                begin += 1
            while stop > begin and clean[stop - 1].isspace():
                stop -= 1
            if stop <= begin or not any(ch.isalnum() for ch in clean[begin:stop]):
                continue
            offsets = normalized.offsets[begin:stop]
            sentences.append(
                Sentence(
                    article_id=article_id,
                    index=len(sentences),
                    text=clean[begin:stop],
                    start=offsets[0],
                    end=offsets[-1] + 1,
                    offsets=offsets,
                )
            )
    if long_runs and warn is not None:
        warn(
            f"article {article_id!r}: {long_runs} run(s) of text without a sentence end "
            f"(longest {longest:,} characters) cut into pieces of at most "
            f"{MAX_SENTENCE_CHARS:,} characters; facts across a cut are not found "
            "(add sentence punctuation to the text to avoid this)"
        )
    return sentences


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The sentence whose original span holds ``offset`` (sentences in order)."""
    starts = [s.start for s in sentences]
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and sentences[i].start <= offset < sentences[i].end:
        return sentences[i]
    return None
