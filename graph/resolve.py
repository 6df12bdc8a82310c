"""Resolution: map every mention to one entity with a stable ASCII id.

- A name the alias table knows (in any variant: 溧陽市, “532”发展战略) takes the
  table's id; so does a company whose legal suffixes reduce it to a table name
  (中创新航科技集团有限公司 → 中创新航).
- A place with an administrative code becomes ``place/<code>``; when a name fits
  several units (朝阳区), the one nearest to the article's other places wins. Two
  different units never merge, however alike their names (溧水 ≠ 溧阳).
- Any other entity gets ``<kind>/h<10 hex of sha1(type + normalized core name)>``,
  the same in every run and article order; a short company name joins the one longer
  company name that starts with it (贝特瑞 → 贝特瑞新材料集团股份有限公司).

>>> core_name("中创新航科技集团股份有限公司"), core_name("贝特瑞(江苏)新材料科技有限公司")
('中创新航', '贝特瑞（江苏）新材料')
>>> hashed_id(EntityType.COMPANY, "天合元氢")
'company/h1dbe69af4b'
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from graph.aliases import KIND_OF_TYPE, AliasTable, TableEntry
from graph.gazetteer import Division, load_gazetteer
from graph.normalize import normalize_name
from graph.records import Entity, EntityType, Mention

# Legal-form words stripped (repeatedly, from the end) to get a company's core name.
_LEGAL = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司|集团|股份|控股|科技|技术)$"
)


def core_name(name: str) -> str:
    """A company name without legal-form words: the key that short and full names share."""
    core = normalize_name(name)
    while (m := _LEGAL.search(core)) and len(core) - len(m.group()) >= 2:
        core = core[: m.start()]
    return core


def _key(etype: EntityType, name: str) -> str:
    return core_name(name) if etype is EntityType.COMPANY else normalize_name(name)


def hashed_id(etype: EntityType, name: str) -> str:
    """The id of an entity no table lists: ``<kind>/h`` + 10 hex of sha1(type + name)."""
    digest = hashlib.sha1((etype.value + normalize_name(name)).encode("utf-8")).hexdigest()
    return f"{KIND_OF_TYPE[etype]}/h{digest[:10]}"


def _table_match(
    m: Mention, table: AliasTable, cores: dict[tuple[EntityType, str], TableEntry]
) -> TableEntry | None:
    if m.entity_id:
        return table.get(m.entity_id)
    entry = table.lookup(m.text)
    if entry is not None:
        return entry
    return cores.get((m.type, _key(m.type, m.text)))


def _place_choice(candidates: list[Division], context: set[str]) -> Division:
    """The unit whose code shares the longest prefix with the article's other places."""

    def closeness(d: Division) -> tuple[int, int, str]:
        best = max((len(_common_prefix(d.code, c)) for c in context), default=0)
        return (-best, d.level or 9, d.code)

    return min(candidates, key=closeness)


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for size in range(0, 6, 2):
        if a[: size + 2] != b[: size + 2]:
            break
    else:
        size = 6
    return a[:size]


def resolve(mentions: Sequence[Mention], table: AliasTable) -> tuple[list[Mention], list[Entity]]:
    """Give every mention an entity id and build the entities (sorted by id)."""
    gaz = load_gazetteer()
    cores = {(e.type, _key(e.type, n)): e for e in table.entries for n in e.names}
    by_adcode = {
        value: e for e in table.entries for scheme, value in e.external if scheme == "adcode"
    }

    # Places: codes that each article pins down without doubt form its context.
    context: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type is EntityType.PLACE:
            entry = _table_match(m, table, cores)
            codes = [v for s, v in entry.external if s == "adcode"] if entry else []
            found = [d for d in gaz.find(normalize_name(m.text)) if d.code]
            if codes or len(found) == 1:
                context[m.article_id].add(codes[0] if codes else found[0].code)

    assigned: list[tuple[Mention, str]] = []
    info: dict[str, dict] = {}
    pending: list[Mention] = []
    for m in mentions:
        entry = _table_match(m, table, cores)
        if entry is not None:
            assigned.append((m, entry.id))
            info.setdefault(entry.id, {"entry": entry})
            continue
        if m.type is EntityType.PLACE:
            found = gaz.find(normalize_name(m.text))
            coded = [d for d in found if d.code]
            if coded:
                unit = _place_choice(coded, context[m.article_id])
                known = by_adcode.get(unit.code)
                ident = known.id if known else f"place/{unit.code}"
                assigned.append((m, ident))
                info.setdefault(ident, {"entry": known, "unit": unit})
                continue
            if found:
                ident = hashed_id(EntityType.PLACE, found[0].name)
                assigned.append((m, ident))
                info.setdefault(ident, {"unit": found[0]})
                continue
        pending.append(m)

    # Unlisted names: one type per name (majority), then short names join longer ones.
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in pending:
        votes[normalize_name(m.text)][m.type] += m.confidence
    typed = [replace(m, type=votes[normalize_name(m.text)].most_common(1)[0][0]) for m in pending]
    keys: dict[EntityType, set[str]] = defaultdict(set)
    for m in typed:
        keys[m.type].add(_key(m.type, m.text))
    target: dict[tuple[EntityType, str], str] = {}
    for etype, names in keys.items():
        for key in names:
            longer = [k for k in names if k != key and k.startswith(key) and len(key) >= 2]
            plain = [k for k in longer if "（" not in k] or longer
            target[(etype, key)] = (
                plain[0] if len(plain) == 1 and etype is EntityType.COMPANY else key
            )
    for m in typed:
        key = target[(m.type, _key(m.type, m.text))]
        ident = hashed_id(m.type, key)
        assigned.append((m, ident))
        info.setdefault(ident, {"type": m.type})

    return _finish(mentions, assigned, info)


def _finish(
    mentions: Sequence[Mention], assigned: list[tuple[Mention, str]], info: dict[str, dict]
) -> tuple[list[Mention], list[Entity]]:
    ids = {(m.article_id, m.sentence, m.start, m.end): ident for m, ident in assigned}
    types = {ident: m.type for m, ident in assigned}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for m, ident in assigned:
        surfaces[ident][m.text] += 1
    out = []
    for m in mentions:
        ident = ids[(m.article_id, m.sentence, m.start, m.end)]
        out.append(
            replace(
                m,
                entity_id=ident,
                type=types[ident] if not info[ident].get("entry") else info[ident]["entry"].type,
            )
        )
    entities = []
    for ident in sorted(info):
        data = info[ident]
        entry: TableEntry | None = data.get("entry")
        unit: Division | None = data.get("unit")
        seen = surfaces[ident]
        if entry is not None:
            etype, name, external = entry.type, entry.name, list(entry.external)
            extra = list(entry.aliases)
        elif unit is not None:
            etype, name, external, extra = EntityType.PLACE, unit.name, [], list(unit.aliases)
        else:
            etype = data["type"]
            name = max(seen, key=lambda s: (seen[s], len(s), s))
            external, extra = [], []
        if unit is not None and unit.code and ("adcode", unit.code) not in external:
            external.insert(0, ("adcode", unit.code))
        names: dict[str, str] = {normalize_name(name): name}
        for alias in [*sorted(seen, key=lambda s: (-seen[s], s)), *extra]:
            names.setdefault(normalize_name(alias), alias)
        aliases = tuple(v for k, v in names.items() if k != normalize_name(name))
        entities.append(Entity(ident, etype, name, aliases, tuple(external)))
    return out, entities
