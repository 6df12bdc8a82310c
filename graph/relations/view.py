"""One sentence as the relation rules see it: :class:`View`, its slots and clauses.

A :class:`View` holds the sentence's template (entity mentions replaced by typed slots, see
:mod:`graph.relations.patterns`), its clauses and the subject each clause inherits; a rule is a
function of a view yielding :class:`Fact` tuples that name the rule that fired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graph.records import EntityType, RelationType
from graph.relations import patterns as P


class Fact(NamedTuple):
    """One relation stated by one sentence, before facts are merged across sentences."""

    head: str
    rel: RelationType
    tail: str
    method: str
    confidence: float
    role: str = ""


@dataclass(frozen=True, slots=True)
class Slot:
    """A mention as the template sees it: entity, type, span in the normalized sentence."""

    entity_id: str
    type: EntityType
    start: int
    end: int


@dataclass(slots=True)
class View:
    """One sentence as the rules see it.

    ``template`` is the sentence with each mention replaced by one slot character;
    ``clauses`` are (start, end) ranges of the template; ``subjects[i]`` is the slot
    text clause ``i`` is about (its own leading enumeration or the one it inherits);
    ``home`` maps ``district``/``city``/``province`` to the entity the article is about.
    """

    text: str
    template: str
    slots: list[Slot]
    clauses: list[tuple[int, int]] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    home: dict[str, str] = field(default_factory=dict)

    def names_park(self, slot: Slot) -> bool:
        """Does ``slot`` name a park (武进高新区, 中德产业园), not a lab or a fund?"""
        return self.text[slot.start : slot.end].rstrip('”’"').endswith(P.PARK_END)

    @classmethod
    def build(
        cls,
        text: str,
        spans: Iterable[tuple[int, int, str, EntityType]],
        home: dict[str, str] | None = None,
    ) -> View:
        """Build the view of ``text`` from mention spans ``(start, end, entity_id, type)``.

        Overlapping spans keep the longest; words such as 我区/我市 become slots for
        the place in ``home`` (keys ``district``, ``city``, ``province``) and bare 市委/市政府
        for that place's body (keys ``body:市委`` …).
        """
        home = home or {}
        chosen: list[tuple[int, int, str, EntityType]] = []
        for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            if span[1] > span[0] and all(span[1] <= o[0] or span[0] >= o[1] for o in chosen):
                chosen.append(span)
        for m in P.HOME_WORD.finditer(text):
            word = m.group()
            entity = home.get(P.HOME_WORDS[word])
            taken = any(not (m.end() <= o[0] or m.start() >= o[1]) for o in chosen)
            after_place = word.startswith("全") and any(o[1] == m.start() for o in chosen)
            if entity and not taken and not after_place:
                chosen.append((m.start(), m.end(), entity, EntityType.PLACE))
        for m in P.HOME_BODY.finditer(text):
            body = home.get(f"body:{m.group()}")
            taken = any(not (m.end() <= o[0] or m.start() >= o[1]) for o in chosen)
            named = any(o[1] == m.start() for o in chosen)  # 常州市委: the place says whose
            if body and not taken and not named:
                chosen.append((m.start(), m.end(), body, EntityType.ORGANIZATION))
        for m in _THE_PROJECT.finditer(text):
            # 该项目由A投资建设 / …，项目选址位于P: the project named last, in this sentence or
            # (home key ``project``) in the sentences before.
            taken = any(not (m.end() <= o[0] or m.start() >= o[1]) for o in chosen)
            before = [o for o in chosen if o[1] <= m.start() and o[3] is EntityType.PROJECT]
            entity = max(before)[2] if before else home.get("project")
            if entity and not taken:
                chosen.append((m.start(), m.end(), entity, EntityType.PROJECT))
        chosen.sort()
        slots: list[Slot] = []
        parts: list[str] = []
        pos = 0
        for start, end, entity_id, kind in chosen[: P.SLOTS_PER_TYPE]:
            parts.append(_plain(text[pos:start]))
            parts.append(P.slot(kind, len(slots)))
            slots.append(Slot(entity_id, EntityType(kind), start, end))
            pos = end
        parts.append(_plain(text[pos:]))
        # (以下简称技术创新中心) names what precedes it; it is not part of the construction.
        template = _ALIAS_NOTE.sub("", "".join(parts))
        view = cls(text, template, slots, home=dict(home))
        view._split_clauses()
        return view

    def _split_clauses(self) -> None:
        start = 0
        for m in _CLAUSE_END.finditer(self.template + "。"):  # one scan, in C
            i = m.start()
            if i > start:
                self.clauses.append((start, i))
            start = i + 1
        inherited = ""
        for start, end in self.clauses:
            own = _SUBJECT.match(self.template, start, end)
            if own is None:
                self.subjects.append(inherited)
                continue
            subject = own.group().rstrip("、和与及")
            self.subjects.append(subject)
            # A chain or policy opening a clause is a sub-topic: 我市…，工业机器人产量…，拥有A、B
            # still has 我市 as the subject of 拥有.
            if not _SUBTOPIC.fullmatch(subject):
                inherited = subject

    def ids(self, text: str, kinds: str = P.ANY_SLOT) -> list[str]:
        """Entity ids of the slots in ``text`` whose type matches the class ``kinds``."""
        wanted = re.compile(kinds)
        out: list[str] = []
        for ch in _ANY_SLOT.findall(text):  # the slot characters only, not every character
            index = P.slot_index(ch)
            if index is not None and wanted.match(ch) and index < len(self.slots):
                entity = self.slots[index].entity_id
                if entity not in out:
                    out.append(entity)
        return out

    def effective_clauses(self) -> Iterator[tuple[int, str, str]]:
        """(index, clause text with its inherited subject prefixed when it has none, own text)."""
        for i, (start, end) in enumerate(self.clauses):
            own = self.template[start:end]
            subject = self.subjects[i]
            if subject and not _SUBJECT.match(own):
                yield i, subject + own, own
            else:
                yield i, own, own

    def topic_place(self) -> str | None:
        """The place the sentence is about: a place slot that opens its first clause."""
        for i, subject in enumerate(self.subjects):
            if subject:
                places = self.ids(subject, P.PLACE)
                return places[0] if places else None
            if i >= 1:
                break
        return None


_ANY_SLOT = re.compile(P.ANY_SLOT)
_CLAUSE_END = re.compile(f"[{re.escape(P.CLAUSE_END)}]")

# Text from PDFs can hold private-use glyphs; in a template they would read as entities.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _plain(text: str) -> str:
    return _PRIVATE_USE.sub("\ufffd", text)


# A project referred back to: 该项目, or a clause opening with 项目 before what it does.
_THE_PROJECT = re.compile(
    f"(?:该|此|这一|这个)项目|(?:^|(?<=[{P.CLAUSE_END}]))项目(?=选址|位于|坐落|总投资|由|建成|投产)"
)
_ALIAS_NOTE = re.compile(r"[（(](?:以下|下文)?(?:简称|称)[^）)]{0,30}[）)]")
_SUBTOPIC = re.compile(f'(?:{P.CHAIN}|{P.POLICY}|[、和与及“”"‘’「」]|以及)+')
# Places in a row (盐城市大丰区, 西安市高陵区泾河工业园) are one subject: the rules read its finest.
_IN_ROW = P.slot_class(EntityType.PLACE, EntityType.PLATFORM)
_ROW = f"(?:{P.PLACE}(?={_IN_ROW}))*"
_SUBJECT = re.compile(
    f"{P.QUOTE}(?:{P.ANY_SLOT}{P.QUOTE}(?:[、和与及]|以及)(?={P.QUOTE}{P.ANY_SLOT}))*{_ROW}{P.ANY_SLOT}{P.QUOTE}"
)


Rule = Callable[[View], Iterable[Fact]]


def _facts(
    heads: Sequence[str],
    rel: RelationType,
    tails: Sequence[str],
    method: str,
    conf: float,
    role: str = "",
) -> Iterator[Fact]:
    for head in heads:
        for tail in tails:
            if head != tail:
                yield Fact(head, rel, tail, method, conf, role)
