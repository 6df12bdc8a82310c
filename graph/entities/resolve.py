"""Resolution: map every mention to one entity with a stable ASCII id.

- A name the alias table knows (in any variant: 溧陽市, “532”发展战略) takes the
  table's id; so does a company whose legal suffixes reduce it to a table name
  (中创新航科技集团有限公司 → 中创新航).
- A place with an administrative code becomes ``place/<code>``; when a name fits
  several units (朝阳区), the one nearest to the article's other places wins. A township
  (9-digit code) only when the article names its county or city. Two
  different units never merge, however alike their names (溧水 ≠ 溧阳).
- A bare 市委/市政府/区委/省政府 (method ``home``) is the body of the article's own
  place at that level, its home (:mod:`graph.entities.home`: the byline's place, else the unit
  named at least twice and twice as often as any other of that level, the same home the
  relation stage reads 我市/我区 as). 市政府 in an article about 常州 is
  常州市人民政府; without such a place the mention is dropped, so that the bare words of
  different articles never merge.
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
from collections.abc import Mapping, Sequence
from dataclasses import replace

from graph.entities import home
from graph.entities.aliases import KIND_OF_TYPE, AliasTable, TableEntry
from graph.entities.gazetteer import Division, load_gazetteer
from graph.entities.recognizers.stems import _place_prefix
from graph.records import Entity, EntityType, Home, Mention, Sentence
from graph.text.normalize import normalize_name

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


# Variant forms of a government or party body and the form they share as a key:
# 佛山市政府 = 佛山市人民政府, 中共宜宾市委 = 中共宜宾市委员会 = 宜宾市委.
_BODY_FORMS = (
    (re.compile(r"^(.{2,12}[省市区县州旗])政府$"), r"\1人民政府"),
    (re.compile(r"^中共(.{2,12}[省市区县州旗])委(?:员会)?$"), r"\1委"),
)


_GROUP = re.compile(r"集团(?:公司|有限公司|股份有限公司)?$")
_BODY = re.compile(r"[区县市旗](?:委|人民政府)$")


# Short forms of department names: 工信厅 = 工业和信息化厅, 发改委 = 发展和改革委员会.
_DEPARTMENTS = (
    ("工信", "工业和信息化"),
    ("发改委", "发展和改革委员会"),
    ("住建", "住房和城乡建设"),
    ("人社", "人力资源和社会保障"),
)
_DEPARTMENT_END = re.compile(r"(?:局|厅|委|委员会)$")


def body_key(name: str) -> str:
    """The shared form of a government or party body's name (others unchanged)."""
    key = normalize_name(name)
    for pattern, repl in _BODY_FORMS:
        key = pattern.sub(repl, key)
    if _DEPARTMENT_END.search(key):
        for short, full in _DEPARTMENTS:
            if short in key and full not in key:
                key = key.replace(short, full, 1)
    return key


def _key(etype: EntityType, name: str) -> str:
    if etype is EntityType.COMPANY:
        return core_name(name)
    if etype is EntityType.ORGANIZATION:
        return body_key(name)
    return normalize_name(name)


_MEMBER_LEAD = re.compile(r"^(?:集团|股份|控股)")


def _member_name(key: str, longer: str) -> bool:
    """Is ``longer`` a regional member named after the company ``key`` (骆驼 → 骆驼集团襄阳
    再生资源, 中车 → 中车株洲电力机车): the parent's name, then a place, then a trade?

    >>> _member_name("骆驼", "骆驼集团襄阳再生资源"), _member_name("贝特瑞", "贝特瑞新材料")
    (True, False)
    """
    rest = _MEMBER_LEAD.sub("", longer[len(key) :]) if longer.startswith(key) else ""
    place = _place_prefix(rest)
    return bool(place) and len(rest) - len(place) >= 2


def _without_place(key: str) -> str:
    """A company core name without the province or city it starts with (广东国鸿氢能 → 国鸿氢能)."""
    prefix = _place_prefix(key)
    return key[len(prefix) :] if prefix and len(key) - len(prefix) >= 3 else key


class _NameIndex:
    """The names of one type, indexed by their beginnings, so that finding the longer
    names a short one starts takes time in the length of names, not in their number."""

    def __init__(self, names: set[str], etype: EntityType) -> None:
        self._prefixes: dict[str, list[str]] = defaultdict(list)
        self._bare_prefixes: dict[str, list[str]] = defaultdict(list)
        self._bare: dict[str, list[str]] = defaultdict(list)
        for name in sorted(names):
            for size in range(2, len(name)):
                self._prefixes[name[:size]].append(name)
            if etype is EntityType.COMPANY:
                bare = _without_place(name)
                for size in range(3, len(bare) + 1):
                    self._bare_prefixes[bare[:size]].append(name)
            elif etype is EntityType.ORGANIZATION:
                self._bare[_without_place(name)].append(name)

    def extending(self, key: str) -> list[str]:
        """Names that start with ``key`` and are longer."""
        return list(self._prefixes.get(key, ()))

    def extending_without_place(self, key: str) -> list[str]:
        """Names other than ``key`` that start with it once their place is left out."""
        return [k for k in self._bare_prefixes.get(key, ()) if k != key]

    def with_place(self, key: str) -> list[str]:
        """Names other than ``key`` that are ``key`` once their place is left out."""
        return [k for k in self._bare.get(key, ()) if k != key]


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


def _context(
    mentions: Sequence[Mention],
    table: AliasTable,
    cores: dict[tuple[EntityType, str], TableEntry],
) -> dict[str, set[str]]:
    """Per article, the place codes it pins down without doubt."""
    gaz = load_gazetteer()
    context: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type is EntityType.PLACE:
            entry = _table_match(m, table, cores)
            codes = [v for s, v in entry.external if s == "adcode"] if entry else []
            found = [d for d in gaz.find(normalize_name(m.text)) if d.code]
            if codes or len(found) == 1:
                context[m.article_id].add(codes[0] if codes else found[0].code)
    return context


def _place_choice(candidates: list[Division], context: set[str]) -> Division:
    """The unit whose code shares the longest prefix with the article's other places."""

    def closeness(d: Division) -> tuple[int, int, str]:
        best = max((len(_common_prefix(d.code, c)) for c in context), default=0)
        return (-best, d.level or 9, d.code)

    return min(candidates, key=closeness)


def _with_parent_named(gaz, units: list[Division], context: set[str]) -> list[Division]:
    """The units, except townships whose county or city the article does not name: a town's
    name repeats across the country (新桥街道), so alone it is no evidence of one unit."""
    return [d for d in units if d.level != 4 or set(gaz.ancestors(d.code)[:2]) & context]


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for size in range(0, 6, 2):
        if a[: size + 2] != b[: size + 2]:
            break
    else:
        size = 6
    return a[:size]


def resolve(
    mentions: Sequence[Mention],
    table: AliasTable,
    homes: Mapping[str, Home] | None = None,
) -> tuple[list[Mention], list[Entity]]:
    """Give every mention an entity id and build the entities (sorted by id).

    ``homes`` are the articles' home places (:func:`article_homes`); without them they
    are computed from the mentions alone (no bylines).
    """
    gaz = load_gazetteer()
    cores = {(e.type, _key(e.type, n)): e for e in table.entries for n in e.names}
    by_adcode = {
        value: e for e in table.entries for scheme, value in e.external if scheme == "adcode"
    }
    context = _context(mentions, table, cores)
    if homes is None:
        homes = home.article_homes((), _place_codes(mentions, table, cores))

    assigned: list[tuple[Mention, str]] = []
    info: dict[str, dict] = {}
    pending: list[Mention] = []
    dropped: set[tuple[str, int, int, int]] = set()
    for m in mentions:
        if m.method == "home":
            name = _home_body_name(m.text, _home_units(homes.get(m.article_id)))
            if name is None:
                dropped.add((m.article_id, m.sentence, m.start, m.end))
                continue
            entry = next((e for n in _body_variants(name) if (e := table.lookup(n))), None)
            ident = entry.id if entry else hashed_id(EntityType.ORGANIZATION, name)
            assigned.append((m, ident))
            info.setdefault(ident, {"entry": entry} if entry else {"type": m.type, "name": name})
            continue
        entry = _table_match(m, table, cores)
        if entry is not None:
            assigned.append((m, entry.id))
            info.setdefault(entry.id, {"entry": entry})
            continue
        if m.type is EntityType.PLACE:
            found = gaz.find(normalize_name(m.text))
            coded = _with_parent_named(gaz, [d for d in found if d.code], context[m.article_id])
            if coded:
                unit = _place_choice(coded, context[m.article_id])
                known = by_adcode.get(unit.code)
                ident = known.id if known else f"place/{unit.code}"
                assigned.append((m, ident))
                info.setdefault(ident, {"entry": known, "unit": unit})
                continue
            found = [d for d in found if not d.code]  # a country or region
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
    own = {
        (m.article_id, m.sentence, m.start, m.end): name
        for m in typed
        if (name := _own_body_name(m, _home_units(homes.get(m.article_id)))) is not None
    }

    def mkey(m: Mention) -> str:
        return _key(m.type, own.get((m.article_id, m.sentence, m.start, m.end), m.text))

    keys: dict[EntityType, set[str]] = defaultdict(set)
    for m in typed:
        keys[m.type].add(mkey(m))
    target: dict[tuple[EntityType, str], str] = {}
    groups = {
        (m.type, mkey(m))
        for m in typed
        if m.type is EntityType.COMPANY and _GROUP.search(normalize_name(m.text))
    }
    for etype, names in keys.items():
        index = _NameIndex(names, etype)
        for key in names:
            longer = index.extending(key) if len(key) >= 2 else []
            if etype is EntityType.COMPANY and len(key) >= 3:
                seen = set(longer)
                longer += [k for k in index.extending_without_place(key) if k not in seen]
            if etype is EntityType.COMPANY:
                longer = [k for k in longer if not _member_name(key, k)]
            plain = [k for k in longer if "（" not in k] or longer
            if (etype, key) in groups:
                plain = [k for k in plain if "（" not in k]  # 大众汽车（安徽） is a member
            target[(etype, key)] = (
                plain[0] if len(plain) == 1 and etype is EntityType.COMPANY else key
            )
            if etype is EntityType.ORGANIZATION and _BODY.search(key):
                # 南海区委 = 佛山市南海区委, when one city's district has that name
                full = index.with_place(key)
                if len(full) == 1:
                    target[(etype, key)] = full[0]
    for m in typed:
        key = target[(m.type, mkey(m))]
        ident = hashed_id(m.type, key)
        assigned.append((m, ident))
        info.setdefault(ident, {"type": m.type})

    assigned = _follow_abbreviations(mentions, assigned, info)
    kept = [m for m in mentions if (m.article_id, m.sentence, m.start, m.end) not in dropped]
    return _finish(kept, assigned, info)


def _follow_abbreviations(
    mentions: Sequence[Mention], assigned: list[tuple[Mention, str]], info: dict[str, dict]
) -> list[tuple[Mention, str]]:
    """A short form defined in the text (合肥高新区 after 合肥高新技术产业开发区（以下简称“…”）)
    and its later uses take the full name's entity: in its own article, and in others when
    no other article defines the same short form differently."""
    ids = {(m.article_id, m.sentence, m.start, m.end): ident for m, ident in assigned}
    local: dict[tuple[str, str], str] = {}
    anywhere: dict[str, set[str]] = defaultdict(set)
    previous: Mention | None = None
    for m in mentions:
        here = (m.article_id, m.sentence, m.start, m.end)
        if (
            m.method == "abbreviation"
            and previous is not None
            and (previous.article_id, previous.sentence) == (m.article_id, m.sentence)
            and here in ids
        ):
            full = ids.get((previous.article_id, previous.sentence, previous.start, previous.end))
            if full is not None:
                if "type" in info[full]:
                    info[full].setdefault("name", previous.text)  # the full name is preferred
                local.setdefault((m.article_id, normalize_name(m.text)), full)
                anywhere[normalize_name(m.text)].add(full)
        previous = m
    if not local:
        return assigned
    out = []
    for m, ident in assigned:
        name = normalize_name(m.text)
        full = local.get((m.article_id, name))
        if full is None and len(anywhere.get(name, ())) == 1:
            full = next(iter(anywhere[name]))
        kept_kind = ident.startswith("place/") or (info[ident].get("entry") is not None)
        if full is not None and (m.method == "abbreviation" or not kept_kind):
            ident = full
        out.append((m, ident))
    used = {ident for _, ident in out}
    for ident in [i for i in info if i not in used]:
        del info[ident]
    return out


# Home-body words: the level of their place and the ending of the unit's name they need
# (区委 belongs to a 区, 县政府 to a 县).
_HOME_LEVELS = {
    "省": ("province", ""),
    "市": ("city", ""),
    "区": ("district", "区"),
    "县": ("district", "县"),
}


def article_homes(
    mentions: Sequence[Mention], table: AliasTable, sentences: Sequence[Sentence] = ()
) -> dict[str, Home]:
    """The home place of every article (see :mod:`graph.entities.home`), from its place mentions
    (coded as resolution will code them) and, when given, its byline."""
    cores = {(e.type, _key(e.type, n)): e for e in table.entries for n in e.names}
    return home.article_homes(sentences, _place_codes(mentions, table, cores))


def _place_codes(
    mentions: Sequence[Mention],
    table: AliasTable,
    cores: dict[tuple[EntityType, str], TableEntry],
) -> list[tuple[str, str]]:
    """(article, code) of every place mention with an administrative code."""
    gaz = load_gazetteer()
    context = _context(mentions, table, cores)
    out: list[tuple[str, str]] = []
    for m in mentions:
        if m.type is not EntityType.PLACE:
            continue
        entry = _table_match(m, table, cores)
        codes = [v for s, v in entry.external if s == "adcode"] if entry else []
        if not codes:
            coded = [d for d in gaz.find(normalize_name(m.text)) if d.code]
            codes = [_place_choice(coded, context[m.article_id]).code] if coded else []
        if codes and codes[0][:6] in gaz.by_code:
            out.append((m.article_id, codes[0][:6]))
    return out


def _home_units(home_of: Home | None) -> dict[str, Division]:
    """The units of an article's home by level (``district``, ``city``, ``province``)."""
    gaz = load_gazetteer()
    if home_of is None:
        return {}
    codes = {"district": home_of.district, "city": home_of.city, "province": home_of.province}
    return {level: gaz.by_code[c] for level, c in codes.items() if c in gaz.by_code}


_OWN_BODY = re.compile(r"^([省市区县])([^省市区县]{1,10}(?:局|厅|委|办))$")


def _own_body_name(m: Mention, homes: dict[str, Division]) -> str | None:
    """江苏省工信厅 for 省工信厅 when the article is about 江苏省 (None otherwise)."""
    if m.type is not EntityType.ORGANIZATION:
        return None
    found = _OWN_BODY.match(normalize_name(m.text))
    if found is None:
        return None
    level, ending = _HOME_LEVELS[found.group(1)]
    unit = homes.get(level)
    if unit is None or not unit.name.endswith(ending or unit.name[-1]):
        return None
    return unit.name + found.group(2)


def _home_body_name(word: str, homes: dict[str, Division]) -> str | None:
    """常州市人民政府 for 市政府 when the article is about 常州市; None without a home."""
    level, ending = _HOME_LEVELS[word[0]]
    unit = homes.get(level)
    if unit is None or not unit.name.endswith(ending or unit.name[-1]):
        return None
    return unit.name + ("委" if word.endswith("委") else "人民政府")


def _body_variants(name: str) -> list[str]:
    """Names the table may use for a body: 常州市人民政府 / 常州市政府, 常州市委 / 中共常州市委."""
    if name.endswith("人民政府"):
        return [name, name.replace("人民政府", "政府")]
    return [name, "中共" + name, name[:-1] + "委员会"]


def _entity_type(data: dict) -> EntityType | None:
    if data.get("entry") is not None:
        return data["entry"].type
    if data.get("unit") is not None:
        return EntityType.PLACE
    return data.get("type")


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
                type=_entity_type(info[ident]) or types[ident],
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
            name = data.get("name") or max(seen, key=lambda s: (seen[s], len(s), s))
            external, extra = [], []
        if unit is not None and unit.code and ("adcode", unit.code) not in external:
            external.insert(0, ("adcode", unit.code))
        names: dict[str, str] = {normalize_name(name): name}
        for alias in [*sorted(seen, key=lambda s: (-seen[s], s)), *extra]:
            names.setdefault(normalize_name(alias), alias)
        aliases = tuple(v for k, v in names.items() if k != normalize_name(name))
        entities.append(Entity(ident, etype, name, aliases, tuple(external)))
    return out, entities
