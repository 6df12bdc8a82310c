"""The curated alias table: canonical entities with stable ids and every name they go by.

The table is a TSV file (``seeds/aliases.tsv`` by default) with the columns
``id  type  name  aliases  external``; aliases are separated by ``|`` and external
identifiers are ``scheme:value`` pairs separated by ``;``. Lines starting with ``#``
and blank lines are ignored, and so are a cell starting with ``#`` and every cell after
it (a row pasted from ``nekg candidates`` keeps its evidence there) and a repeated header;
lines end at ``\\n`` only. Loading validates every row (a control character other than the
tab between columns, a line separator or a noncharacter is refused) and raises
:class:`graph.errors.AliasTableError` naming the line of the first problem.

>>> table = parse_table("id\\ttype\\tname\\taliases\\texternal\\n"
...                     "place/320481\\tPlace\\t溧阳\\t溧阳市\\tadcode:320481\\n", "t.tsv")
>>> table.lookup("溧陽市").id
'place/320481'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import AliasTableError
from graph.records import EntityType
from graph.text.chars import first_control
from graph.text.normalize import normalize_name

COLUMNS = ("id", "type", "name", "aliases", "external")
REQUIRED_COLUMNS = 3

# The id prefix each entity type must use.
KIND_OF_TYPE = {
    EntityType.COMPANY: "company",
    EntityType.PLACE: "place",
    EntityType.PLATFORM: "platform",
    EntityType.POLICY: "policy",
    EntityType.ORGANIZATION: "org",
    EntityType.PERSON: "person",
    EntityType.INDUSTRY_CHAIN: "chain",
    EntityType.PROJECT: "project",
}

_ID = re.compile(r"^(?P<kind>[a-z]+)/(?P<slug>[a-z0-9][a-z0-9._-]*)$")
_EXTERNAL = {
    "adcode": re.compile(r"^\d{6}$"),
    "wikidata": re.compile(r"^Q[1-9]\d*$"),
    "stock": re.compile(r"^(?:\d{6}\.(?:SZ|SH|BJ)|\d{5}\.HK)$"),
}


@dataclass(frozen=True, slots=True)
class TableEntry:
    """One canonical entity of the table and the line it was read from."""

    id: str
    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    external: tuple[tuple[str, str], ...] = ()
    line: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """The preferred name followed by every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class AliasTable:
    """A validated alias table; look entities up by id or by any of their names."""

    path: str = ""
    entries: tuple[TableEntry, ...] = ()
    _by_id: dict[str, TableEntry] = field(default_factory=dict, repr=False, compare=False)
    _by_name: dict[str, TableEntry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._by_id[entry.id] = entry
            for name in entry.names:
                self._by_name.setdefault(normalize_name(name), entry)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entity_id: str) -> TableEntry | None:
        """The entry with id ``entity_id``, if any."""
        return self._by_id.get(entity_id)

    def lookup(self, name: str) -> TableEntry | None:
        """The entry one of whose names equals ``name`` after :func:`normalize_name`."""
        return self._by_name.get(normalize_name(name))

    def without(self, ids: Iterable[str]) -> AliasTable:
        """A copy of the table without the entries whose id is in ``ids``."""
        drop = set(ids)
        return AliasTable(self.path, tuple(e for e in self.entries if e.id not in drop))


def _describe(char: str) -> str:
    """``char`` named for a message: code point and Unicode name, or its category.

    >>> _describe("\x1b"), _describe("\u2028")
    ('control character U+001B', 'control character U+2028 (LINE SEPARATOR)')
    """
    name = unicodedata.name(char, "")
    return f"control character U+{ord(char):04X}" + (f" ({name})" if name else "")


def _fail(path: str, line: int, reason: str) -> AliasTableError:
    return AliasTableError(path, line, reason)


def _parse_external(value: str, path: str, line: int) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in filter(None, (part.strip() for part in value.split(";"))):
        scheme, sep, ident = item.partition(":")
        pattern = _EXTERNAL.get(scheme)
        if not sep or pattern is None:
            known = ", ".join(sorted(_EXTERNAL))
            raise _fail(
                path, line, f"external id {item!r} is not scheme:value with scheme one of {known}"
            )
        if not pattern.match(ident):
            raise _fail(path, line, f"external id {item!r} is not a valid {scheme} value")
        pairs.append((scheme, ident))
    return tuple(pairs)


def _parse_row(cells: list[str], path: str, line: int) -> TableEntry:
    if not REQUIRED_COLUMNS <= len(cells) <= len(COLUMNS):
        raise _fail(
            path,
            line,
            f"expected {REQUIRED_COLUMNS} to {len(COLUMNS)} tab-separated columns "
            f"({', '.join(COLUMNS)}), found {len(cells)}",
        )
    cells = [c.strip() for c in cells] + [""] * (len(COLUMNS) - len(cells))
    ident, type_name, name, aliases, external = cells
    try:
        etype = EntityType(type_name)
    except ValueError:
        known = ", ".join(t.value for t in EntityType)
        raise _fail(path, line, f"unknown type {type_name!r}; use one of {known}") from None
    match = _ID.match(ident)
    if not match:
        raise _fail(path, line, f"id {ident!r} is not <kind>/<slug> in lower-case ASCII")
    if match["kind"] != KIND_OF_TYPE[etype]:
        raise _fail(
            path, line, f"id {ident!r} of type {etype.value} must start with {KIND_OF_TYPE[etype]}/"
        )
    if not name:
        raise _fail(path, line, f"entity {ident} has no name")
    names = [a.strip() for a in aliases.split("|") if a.strip()]
    unique = tuple(dict.fromkeys(a for a in names if normalize_name(a) != normalize_name(name)))
    return TableEntry(ident, etype, name, unique, _parse_external(external, path, line), line)


def parse_table(text: str, path: str = "<aliases>") -> AliasTable:
    """Parse and validate the text of an alias table.

    Raises:
        AliasTableError: on the first broken line (bad column count, unknown type,
            malformed or duplicate id, a name claimed by two entities).
    """
    entries: list[TableEntry] = []
    ids: dict[str, int] = {}
    owners: dict[str, tuple[str, int]] = {}
    # Lines end at "\n" only: U+2028, U+0085 or a vertical tab inside a row must not
    # shift the line numbers of the rows after it.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        bad = first_control(line)
        if bad is not None:
            raise _fail(
                path,
                number,
                f"{_describe(bad)} in column {line.index(bad) + 1}; names in the alias table "
                "must be plain text: delete the character",
            )
        cells = line.split("\t")
        comment = next((i for i, c in enumerate(cells) if c.strip().startswith("#")), None)
        cells = cells if comment is None else cells[:comment]
        if [c.strip() for c in cells[:REQUIRED_COLUMNS]] == list(COLUMNS[:REQUIRED_COLUMNS]):
            continue  # the header row (again, when rows were pasted with theirs)
        entry = _parse_row(cells, path, number)
        if entry.id in ids:
            raise _fail(path, number, f"duplicate id {entry.id} (first on line {ids[entry.id]})")
        ids[entry.id] = number
        for name in entry.names:
            key = normalize_name(name)
            if not key:
                raise _fail(path, number, f"empty name in entity {entry.id}")
            owner = owners.get(key)
            if owner and owner[0] != entry.id:
                raise _fail(
                    path,
                    number,
                    f"name {name!r} of {entry.id} is already claimed by {owner[0]} (line {owner[1]})",
                )
            owners[key] = (entry.id, number)
        entries.append(entry)
    return AliasTable(path, tuple(entries))


def load_table(path: Path | str) -> AliasTable:
    """Read and validate the alias table at ``path``.

    Raises:
        AliasTableError: when a row is broken or the file cannot be decoded.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(str(path), 0, f"not UTF-8 ({exc.reason}); save the table as UTF-8") from None
    except FileNotFoundError:
        raise _fail(
            str(path), 0, "no such alias table; check the path given to --aliases or leave it out"
        ) from None
    except OSError as exc:
        raise _fail(str(path), 0, f"cannot read: {exc.strerror or exc}") from None
    return parse_table(text, str(path))
