"""Enumerations of names (``中创新航、蜂巢能源等一批链主企业``): every item takes the type of
the head noun or of the items already recognized."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from graph.entities.recognizers.lexicon import _CJK, _lines, breakers, honours
from graph.entities.recognizers.stems import _is_generic
from graph.entities.recognizers.tokens import Candidate, Context, Token, _common_word, name_start
from graph.entities.recognizers.works import _PHASE
from graph.records import EntityType

# Head nouns after an enumeration and the type they give its items.
_HEADS = tuple(
    (noun, EntityType(kind))
    for noun, kind in (row.split("\t") for row in _lines("enumeration_heads.tsv"))
)
_ENUM_END = re.compile(r"等|(?:[两二三四五六七八九十]|\d+)(?:家|大|个|所|位|座)|为(?:龙头|代表|首)")
_ITEM = re.compile(rf"[{_CJK}A-Za-z0-9（）()]{{2,12}}")


@dataclass(frozen=True, slots=True)
class Enumeration:
    """The items of one enumeration, the type they take (None: unknown) and whether the
    first item opens the text (the enumeration may have begun in the text before)."""

    items: tuple[tuple[int, int], ...]
    type: EntityType | None
    from_start: bool


def enumeration_groups(
    text: str,
    tokens: Sequence[Token],
    known: Sequence[Candidate],
    continues: EntityType | None = None,
) -> list[Enumeration]:
    """The enumerations of ``text`` (``A、B、C等…企业``), each read in one pass leftwards.

    ``continues`` is the type of an enumeration that runs on past the end of the text,
    which then ends in 、 (a long sentence cut inside a list of names): its last items
    take that type.
    """
    by_span = {(c.begin, c.end): c for c in known}
    ends = [(m.start(), m.end(), m.group()) for m in _ENUM_END.finditer(text)]
    if continues is not None and text.endswith("、"):
        ends.append((len(text) - 1, len(text), ""))
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)]
    groups = []
    for end, after, word in ends:
        virtual = after == len(text) and not word
        clause = "" if virtual else _CLAUSE_END.split(text[after : after + 25], maxsplit=1)[0][:24]
        head = (
            continues if virtual else next((t for noun, t in _HEADS if noun in word + clause), None)
        )
        # Walk the items leftwards: X、Y、Z等 (or "Y和Z等").
        items: list[tuple[int, int]] = []
        stop = end
        at = bisect.bisect_left(marks, end)
        floor = marks[at - 1] + 1 if at else 0
        sep = -1
        while True:
            sep = text.rfind("、", max(floor, stop - 13), stop)
            if sep < 0:
                break
            items.append((sep + 1, stop))
            stop = sep
        from_start = floor == 0 and stop <= 12
        if not items and head is None:
            continue
        first_start = max(name_start(text, tokens, stop, 12), floor)
        if word.startswith("为") and text.startswith("以", first_start, stop - 2):
            first_start += 1  # 以A、B为龙头: 以 is the preposition of the construction
        # A verb jieba did not split off (引培天合元氢) still ends the context.
        for word_ in sorted(breakers()):  # in one order: the range narrows as it goes
            if len(word_) >= 2 and (at := text.rfind(word_, first_start, stop)) >= 0:
                first_start = max(first_start, at + len(word_))
        items.append((first_start, stop))
        # "B和C等": the last item may hold two names.
        b, e = items[0]
        parts = re.split("[和与及]", text[b:e])
        if len(parts) == 2 and all(len(x) >= 2 for x in parts):
            cut = b + len(parts[0])
            items[0:1] = [(cut + 1, e), (b, cut)]
        items = [
            (b, e)
            for b, e in items
            if e - b >= 2 and _ITEM.fullmatch(text[b:e]) and "等" not in text[b:e]
        ]
        if (
            not virtual
            and len(items) < 2
            and not (
                (head and clause[:2] in ("企业", "公司", "一批"))
                or clause.startswith(("行业", "知名"))
            )
        ):
            continue
        etype = head
        if head is None:
            types = [by_span[span].type for span in items if span in by_span and by_span[span].tier]
            if types:
                best = max(set(types), key=types.count)
                if types.count(best) >= 2 and types.count(best) * 2 > len(items):
                    etype = best
        groups.append(Enumeration(tuple(items), etype, from_start))
    return groups


_CLAUSE_MARK = re.compile(r"[，。；：！？,;:]")  # where the items of an enumeration stop
_CLAUSE_END = re.compile(r"[，。；：！？,;]")  # where the words after its end stop


def enumerations(ctx: Context) -> Iterator[Candidate]:
    """Items of ``A、B、C等…企业`` take the type of the head noun or of their known items.

    The enumerations read are kept in ``ctx.groups``."""
    ctx.groups = enumeration_groups(ctx.text, ctx.tokens, ctx.found, ctx.continues)
    return _items(ctx.text, ctx.found, ctx.groups)


def _items(
    text: str, known: Sequence[Candidate], groups: Sequence[Enumeration]
) -> Iterator[Candidate]:
    by_span = {(c.begin, c.end): c for c in known}
    for group in groups:
        for b, e in group.items:
            item = text[b:e]
            if (
                (b, e) in by_span
                or _is_generic(item)
                or item in breakers()
                or item in honours()
                or _common_word(item)
            ):
                continue
            if (phase := _PHASE.search(item)) and phase.end() == len(item) and phase.start() >= 2:
                yield Candidate(
                    b, e, EntityType.PROJECT, "enumeration", 0.7
                )  # 中创新航三期、蜂巢能源三期
            elif group.type is not None:
                yield Candidate(b, e, group.type, "enumeration", 0.7)
