"""The curation loop: list the entities the alias table lacks, and drop the names nobody wants.

Two files steer a build besides the articles: the alias table (:mod:`graph.entities.aliases`) and
the *reject list*, ``reject.tsv`` next to it. The reject list has one name per row and
the columns ``name  type  note`` (type and note optional; ``#`` lines and blank lines are
ignored). Every build removes, after resolution and before relations, each mention whose
text is a rejected name and each entity whose preferred name is one, with all of its
mentions, so no fact can name it (:func:`apply_rejects`). Names are compared after
:func:`graph.text.normalize.normalize_name`; a row with a type rejects the name only for that
type. A row that matches nothing is reported as a warning.

:func:`candidates` lists the entities of a build that the table does not hold, as rows
that can be pasted into the table as they are: ``id  type  name  aliases  external``,
then a cell ``#`` (the table ignores it and every cell after it) and the evidence:
mentions, articles, methods, article ids and one sentence.

>>> rejects = parse_rejects("name\\ttype\\tnote\\n整个集团\\tCompany\\tnot a name\\n", "r.tsv")
>>> [(r.name, r.type.value, r.line) for r in rejects.entries]
[('整个集团', 'Company', 2)]
>>> parse_rejects("整个集团\\tFirm\\n", "r.tsv")
Traceback (most recent call last):
...
graph.entities.curation.RejectListError: r.tsv:1: unknown type 'Firm'; use one of Company, \
Place, Platform, Policy, Organization, Person, IndustryChain, Project or leave it empty
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from graph.entities.aliases import AliasTable
from graph.errors import NekgError
from graph.records import Entity, EntityType, Extraction, Mention
from graph.text.normalize import normalize_name

REJECT_FILE = "reject.tsv"
REJECT_COLUMNS = ("name", "type", "note")
CANDIDATE_COLUMNS = (
    "id",
    "type",
    "name",
    "aliases",
    "external",
    "#",
    "mentions",
    "articles",
    "methods",
    "article_ids",
    "evidence",
)
EVIDENCE_WIDTH = 120  # characters of the evidence sentence shown around the mention

Warn = Callable[[str], None]


class RejectListError(NekgError):
    """The reject list has a broken row (or cannot be read)."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")


@dataclass(frozen=True, slots=True)
class Reject:
    """One row of the reject list: a name, optionally only for one type."""

    name: str
    type: EntityType | None = None
    note: str = ""
    line: int = 0

    @property
    def key(self) -> str:
        return normalize_name(self.name)

    def matches(self, name: str, etype: EntityType) -> bool:
        return normalize_name(name) == self.key and self.type in (None, etype)


@dataclass(frozen=True)
class RejectList:
    """A validated reject list; empty when there is no file."""

    path: str = ""
    entries: tuple[Reject, ...] = ()
    _by_key: dict[str, list[Reject]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for row in self.entries:
            self._by_key.setdefault(row.key, []).append(row)

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, name: str, etype: EntityType) -> Reject | None:
        """The first row that rejects ``name`` as an entity of type ``etype``, if any."""
        rows = self._by_key.get(normalize_name(name), ())
        return next((r for r in rows if r.type in (None, etype)), None)


def _control(text: str) -> str | None:
    return next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")), None)


def _type(value: str, path: str, line: int) -> EntityType | None:
    if not value:
        return None
    for etype in EntityType:
        if etype.value.lower() == value.lower():
            return etype
    known = ", ".join(t.value for t in EntityType)
    raise RejectListError(
        path, line, f"unknown type {value!r}; use one of {known} or leave it empty"
    )


def parse_rejects(text: str, path: str = "<reject list>") -> RejectList:
    """Parse and validate the text of a reject list.

    Raises:
        RejectListError: on the first broken row (too many columns, a control
            character, an unknown type, an empty name).
    """
    entries: list[Reject] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header_seen:
            header_seen = True
            if cells[0].lower() == "name":
                continue  # the header row
        if len(cells) > len(REJECT_COLUMNS):
            raise RejectListError(
                path,
                number,
                f"expected 1 to {len(REJECT_COLUMNS)} tab-separated columns "
                f"({', '.join(REJECT_COLUMNS)}), found {len(cells)}; "
                "write the note without tabs",
            )
        cells += [""] * (len(REJECT_COLUMNS) - len(cells))
        name, type_name, note = cells
        for column, value in zip(REJECT_COLUMNS, cells, strict=True):
            if (ch := _control(value)) is not None:
                raise RejectListError(
                    path,
                    number,
                    f"control character U+{ord(ch):04X} in the {column} column; remove it",
                )
        etype = _type(type_name, path, number)
        if not normalize_name(name):
            raise RejectListError(
                path, number, "empty name; put the name to reject in the first column"
            )
        entries.append(Reject(name, etype, note, number))
    return RejectList(path, tuple(entries))


def load_rejects(path: Path | str) -> RejectList:
    """Read and validate the reject list at ``path``.

    Raises:
        RejectListError: when the file is missing, not UTF-8 or has a broken row.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RejectListError(
            str(path), 0, "no such reject list; create it (name, type, note) or leave out --reject"
        ) from None
    except OSError as exc:
        raise RejectListError(str(path), 0, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RejectListError(
            str(path), line, f"not UTF-8 ({exc.reason}); save the reject list as UTF-8"
        ) from None
    return parse_rejects(text, str(path))


def default_rejects_path(aliases: Path | None = None) -> Path | None:
    """The reject list beside the alias table in use, if that file exists.

    With ``aliases`` it is ``reject.tsv`` in the table's folder; without, beside the
    default table (``seeds/`` in the current folder, else beside the package).
    """
    if aliases is not None:
        folders = [Path(aliases).parent]
    else:
        from graph.entities.recognize import DEFAULT_TABLE

        folders = [
            folder.parent
            for folder in (DEFAULT_TABLE, Path(__file__).resolve().parents[2] / DEFAULT_TABLE)
            if folder.is_file()
        ][:1] or [DEFAULT_TABLE.parent]
    candidate = folders[0] / REJECT_FILE
    return candidate if candidate.is_file() else None


def rejects_for(path: Path | None, aliases: Path | None = None) -> RejectList:
    """The reject list at ``path``, or the default one beside the alias table (may be empty)."""
    if path is not None:
        return load_rejects(path)
    default = default_rejects_path(aliases)
    return load_rejects(default) if default is not None else RejectList()


# --- applying the reject list -----------------------------------------------------------


def apply_rejects(
    rejects: RejectList,
    mentions: Sequence[Mention],
    entities: Sequence[Entity],
    warn: Warn | None = None,
) -> tuple[list[Mention], list[Entity]]:
    """Drop the rejected names: entities named so (with all their mentions), mentions whose
    text is one, and aliases that are one. Entities left without mentions are dropped too.

    Rows that matched nothing are passed to ``warn``.
    """
    if not len(rejects):
        return list(mentions), list(entities)
    used: set[int] = set()

    def hit(name: str, etype: EntityType) -> bool:
        row = rejects.match(name, etype)
        if row is not None:
            used.add(row.line)
        return row is not None

    gone = {e.id for e in entities if hit(e.name, e.type)}
    kept_mentions = [m for m in mentions if m.entity_id not in gone and not hit(m.text, m.type)]
    alive = {m.entity_id for m in kept_mentions}
    kept_entities = []
    for entity in entities:
        if entity.id in gone or entity.id not in alive:
            continue
        aliases = tuple(a for a in entity.aliases if not hit(a, entity.type))
        kept_entities.append(
            replace(entity, aliases=aliases) if aliases != entity.aliases else entity
        )
    if warn is not None:
        for row in rejects.entries:
            if row.line not in used:
                kind = f" as {row.type.value}" if row.type else ""
                warn(
                    f"{rejects.path}:{row.line}: rejected name {row.name!r}{kind} matches nothing "
                    "in these articles; check its spelling and type, or remove the row"
                )
    return kept_mentions, kept_entities


# --- candidates -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """An entity of a build that the alias table does not hold, with what speaks for it."""

    entity: Entity
    mentions: int
    articles: tuple[str, ...]
    methods: tuple[str, ...]
    evidence: str


def _clean(text: str) -> str:
    """One TSV cell: no tabs, line breaks or control characters, spaces collapsed."""
    out = "".join(" " if unicodedata.category(ch)[0] in ("C", "Z") else ch for ch in text)
    return " ".join(out.split())


def _around(sentence: str, surface: str, width: int = EVIDENCE_WIDTH) -> str:
    if len(sentence) <= width:
        return sentence
    at = max(sentence.find(surface), 0)
    begin = max(0, min(at - width // 3, len(sentence) - width))
    end = begin + width
    return ("…" if begin else "") + sentence[begin:end] + ("…" if end < len(sentence) else "")


# A body named only by its level (市委, 区政府, 省工信厅, 市发改委): which one it is depends
# on the place the article is about.
_RELATIVE = re.compile(r"^[省市区县](?:[^省市区县]{0,10}(?:局|厅|委|办)|(?:人民)?政府)$")


def _context_free(entity: Entity, found: Sequence[Mention]) -> Entity:
    """The entity without the names that stand for it only in its articles' context: a bare
    区政府 or 省工信厅 means the body of whichever place an article is about, so it must not
    become an alias that matches in every article."""
    relative = {normalize_name(m.text) for m in found if m.method == "home"}
    kept = tuple(
        a
        for a in entity.aliases
        if (key := normalize_name(a)) not in relative and not _RELATIVE.match(key)
    )
    return replace(entity, aliases=kept) if kept != entity.aliases else entity


def candidates(extraction: Extraction, table: AliasTable) -> list[CandidateRow]:
    """The entities of ``extraction`` that ``table`` does not hold and no gazetteer identifies
    (those carry an external id), most mentioned first, then by name. Names that depend on
    the article's place (区政府) are not offered as aliases."""
    order = {a.id: i for i, a in enumerate(extraction.articles)}
    sentences = {(s.article_id, s.index): s.text for s in extraction.sentences}
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in extraction.mentions:
        by_entity[m.entity_id].append(m)
    rows = []
    for entity in extraction.entities:
        found = by_entity.get(entity.id)
        if table.get(entity.id) is not None or entity.external or not found:
            continue
        found.sort(key=lambda m: (order.get(m.article_id, len(order)), m.article_id, m.start))
        methods = Counter(m.method or "unknown" for m in found)
        first = found[0]
        sentence = sentences.get((first.article_id, first.sentence), first.text)
        rows.append(
            CandidateRow(
                _context_free(entity, found),
                len(found),
                tuple(dict.fromkeys(m.article_id for m in found)),
                tuple(sorted(methods, key=lambda k: (-methods[k], k))),
                _around(_clean(sentence), first.text),
            )
        )
    rows.sort(key=lambda r: (-r.mentions, normalize_name(r.entity.name), r.entity.id))
    return rows


def _names(entity: Entity) -> str:
    ok = [_clean(a) for a in entity.aliases if "|" not in a and "#" not in a[:1]]
    return "|".join(a for a in dict.fromkeys(ok) if a and a != entity.name)


def candidate_tsv(rows: Iterable[CandidateRow]) -> str:
    """The rows as TSV with a header; the first five columns are alias-table columns."""
    lines = ["\t".join(CANDIDATE_COLUMNS)]
    for r in rows:
        e = r.entity
        lines.append(
            "\t".join(
                (
                    e.id,
                    e.type.value,
                    _clean(e.name),
                    _names(e),
                    "",
                    "#",
                    str(r.mentions),
                    str(len(r.articles)),
                    ",".join(r.methods),
                    ",".join(_clean(a) for a in r.articles),
                    r.evidence,
                )
            )
        )
    return "\n".join(lines) + "\n"
