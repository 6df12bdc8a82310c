"""Language data for relation extraction: cue words and the sentence template alphabet.

Relation rules do not look at entity names. A sentence is rewritten as a *template*
in which every entity mention is one private-use character whose code point says the
entity type (and, through its offset in the block, which mention it is), so a rule is a
plain regular expression over Chinese cue words and entity slots:

>>> ENUM_COMPANY == ENUM_COMPANY  # companies joined by 、/和/与/及, quotes allowed
True
>>> import re
>>> template = slot("Company", 0) + "、" + slot("Company", 1) + "为龙头"
>>> bool(re.fullmatch(ENUM_COMPANY + "为龙头", template))
True

Everything here is data: the rules live in :mod:`graph.relations.rules`.
"""

from __future__ import annotations

import re
from importlib import resources

from graph.records import EntityType

# --- the template alphabet -----------------------------------------------------

# One private-use block of 256 code points per entity type; the offset is the mention's
# index in its sentence, so at most 256 mentions per sentence take part in relations.
SLOTS_PER_TYPE = 256
_BASE = {
    EntityType.COMPANY: 0xE000,
    EntityType.PLACE: 0xE100,
    EntityType.PLATFORM: 0xE200,
    EntityType.ORGANIZATION: 0xE300,
    EntityType.PERSON: 0xE400,
    EntityType.INDUSTRY_CHAIN: 0xE500,
    EntityType.POLICY: 0xE600,
    EntityType.PROJECT: 0xE700,
}
_TYPE_OF_BLOCK = {base >> 8: kind for kind, base in _BASE.items()}


def slot(kind: EntityType | str, index: int) -> str:
    """The template character standing for mention ``index`` of type ``kind``."""
    return chr(_BASE[EntityType(kind)] + index)


def slot_index(char: str) -> int | None:
    """The mention index a template character stands for, or None for ordinary text."""
    code = ord(char)
    return code & 0xFF if (code >> 8) in _TYPE_OF_BLOCK else None


def slot_type(char: str) -> EntityType | None:
    """The entity type a template character stands for, or None for ordinary text."""
    return _TYPE_OF_BLOCK.get(ord(char) >> 8)


def slot_class(*kinds: EntityType) -> str:
    """A regex character class matching the slots of any of ``kinds``."""
    return "[" + "".join(f"\\u{_BASE[k]:04x}-\\u{_BASE[k] + 0xFF:04x}" for k in kinds) + "]"


COMPANY = slot_class(EntityType.COMPANY)
PLACE = slot_class(EntityType.PLACE)
PLATFORM = slot_class(EntityType.PLATFORM)
ORGANIZATION = slot_class(EntityType.ORGANIZATION)
PERSON = slot_class(EntityType.PERSON)
CHAIN = slot_class(EntityType.INDUSTRY_CHAIN)
POLICY = slot_class(EntityType.POLICY)
PROJECT = slot_class(EntityType.PROJECT)
ANY_SLOT = slot_class(*_BASE)
# What can be located somewhere, build something, sign an agreement.
LOCATABLE = slot_class(
    EntityType.COMPANY, EntityType.PLATFORM, EntityType.ORGANIZATION, EntityType.PROJECT
)
PARTY = slot_class(
    EntityType.COMPANY, EntityType.PLATFORM, EntityType.ORGANIZATION, EntityType.PLACE
)
ISSUER = slot_class(EntityType.PLACE, EntityType.ORGANIZATION)
BUILT = slot_class(EntityType.PLATFORM, EntityType.PROJECT, EntityType.ORGANIZATION)
HOLDER = slot_class(
    EntityType.COMPANY, EntityType.ORGANIZATION, EntityType.PLATFORM, EntityType.PLACE
)
NOT_SLOT = "[^" + ANY_SLOT[1:]  # any ordinary character
# Quotes and brackets that may wrap a name: 两家“独角兽”企业, “江苏省…创新中心”.
QUOTE = '[“”"‘’「」]?'
# Punctuation that ends a clause; 、 only separates the items of an enumeration.
CLAUSE_END = "，,；;：:。！？!?"
# Text inside a clause between the parts of a construction: no other entity, except an
# industry chain, which is how Chinese describes things (两家新能源整车厂, 新能源汽车关键零部件领域知名企业).
_NOT_CHAIN = slot_class(*(k for k in _BASE if k is not EntityType.INDUSTRY_CHAIN))
GAP_CHAR = "[^" + CLAUSE_END + _NOT_CHAIN[1:]


def enum(item: str) -> str:
    """An enumeration of ``item`` slots: A、B和C, with optional quotes around each."""
    one = f"{QUOTE}{item}{QUOTE}"
    return f"{one}(?:(?:[、，,]|和|与|及|以及){one})*"


def gap(most: int) -> str:
    """Up to ``most`` characters of plain text inside one clause (lazy)."""
    return f"{GAP_CHAR}{{0,{most}}}?"


# Where something is: places and parks in a row, largest first (江苏常州, 常州金坛经开区).
WHERE = f"{QUOTE}[{PLACE[1:-1]}{PLATFORM[1:-1]}]+{QUOTE}"

ENUM_COMPANY = enum(COMPANY)
ENUM_LOCATABLE = enum(LOCATABLE)
ENUM_PARTY = enum(PARTY)

# --- cue words -------------------------------------------------------------------

# Somewhere to be: X总部位于P, 总部位于P的X.
HQ_CUES = "总部(?:虽然?|仍|也|则|均)?(?:位于|设在|设于|坐落于|在)"
# X落户P, X入驻P: the subject comes before, the place right after.
SETTLE_CUES = "(?:落户|入驻|落地|扎根|安家|迁入|进驻|选址)(?:于|在|到)?"
# What names a park (a platform that companies settle in), not a lab, a fund or a centre.
PARK_END = ("区", "园", "园区", "港", "城", "谷", "小镇", "基地")
# X在P建厂 / 投资建设: the place sits between 在 and the verb.
PLANT_CUES = "(?:累计投资|(?:投资)?(?:建厂|设厂|建设|兴建|新建|建立|设立|开设|投产|落地|开工|扩产|增资|布局))"
# X位于P, 地处P的X.
LOCATED_CUES = "(?:位于|地处|坐落于|坐落在|地处于)"
# A place that gathers companies: P集聚了A、B等企业.
GATHER_CUES = "(?:集聚|汇聚|聚集|拥有|引进|引培|培育|孕育|吸引|搭建|招引|引育|建有|认定)(?:了|起)?"
# A place that builds platforms: (我市)全力建设A、B等创新平台.
BUILD_CUES = "(?:建设|打造|建成|建有|搭建|布局)"
# Not a place of business: investing abroad, a ranking, an event.
ELSEWHERE = re.compile(r"海外|境外|国外|全球各地|外地|异地")

# Leaders of a chain: 以A、B为龙头(牵引); A、B等一批…龙头企业; A是头部…企业.
LEAD_WORDS = "(?:龙头|链主|领军|头部|引领|牵引)"
LEAD_NOUN = f"{LEAD_WORDS}(?:型)?(?:企业|厂商|项目)?"
PILLARS = "四梁八柱"
# An industry too broad to be the chain a sentence means when it also names a narrower one.
GENERIC_CHAIN = re.compile(
    "(?:战略性)?(?:新能源|新兴|先进制造|制造|高新技术|新材料)(?:产业|行业|领域)?|(?:战略性)?新兴产业|制造业"
)

# Partners: A与B签署战略合作协议; A与B重组/共建…; A携手B.
AGREEMENT_CUES = "(?:签署|签订|签约|达成|缔结)"
AGREEMENT_OBJECTS = "(?:合作|协议|框架|备忘录)"
COOPERATE_CUES = "(?:共同)?(?:重组|共建|合作|合资|牵手|携手|联合组建|联合成立|联合设立|联手)"
JOINT_BUILD_CUES = "(?:共同|联合)(?:建设|组建|发起|成立|打造|创建|设立|建立)"
# Hosting an event together (A与B携手举办…论坛, 携手B、C举办…): co-hosts are not partners.
CO_HOSTING = re.compile("(?:共同|联合|一起|一道)?(?:举办|主办|承办|协办|举行|召开)")

# Subsidiaries: 作为B全资子公司，A; A是B的子公司; B旗下(的)A.
SUBSIDIARY_NOUN = "(?:全资|控股|独资|合资)?(?:子公司|孙公司)"

# Issuing a policy: P出台了《…》, X发布…《…》, X提出…“532”发展战略.
ISSUE_CUES = "(?:出台|发布|提出|印发|推出|制定|颁布)(?:了)?"

# Roles that make a person an office holder; longest first so 副董事长 wins over 董事长.
ROLES = tuple(
    sorted(
        {
            "董事长",
            "副董事长",
            "总经理",
            "副总经理",
            "高级副总经理",
            "首席执行官",
            "首席技术官",
            "总裁",
            "副总裁",
            "高级副总裁",
            "董事",
            "总监",
            "CEO",
            "创始人",
            "联合创始人",
            "党委书记",
            "书记",
            "副书记",
            "市委书记",
            "区委书记",
            "县委书记",
            "省委书记",
            "市长",
            "副市长",
            "常务副市长",
            "常务副区长",
            "常务副县长",
            "常务副省长",
            "常委",
            "主席",
            "副主席",
            "区长",
            "副区长",
            "县长",
            "副县长",
            "镇长",
            "副镇长",
            "省长",
            "副省长",
            "局长",
            "副局长",
            "厅长",
            "副厅长",
            "司长",
            "副司长",
            "处长",
            "科长",
            "副科长",
            "主任",
            "副主任",
            "院长",
            "副院长",
            "所长",
            "副所长",
            "校长",
            "副校长",
            "部长",
            "副部长",
        },
        key=len,
        reverse=True,
    )
)
ROLE = "(?:" + "|".join(ROLES) + ")"
# 董事长兼总经理, 党委书记、副主任.
ROLE_SEQ = f"{ROLE}(?:(?:兼|、|及){ROLE})*"

# Words that tie a clause to the article's own place: graph/data/home_cues.tsv.


def _home_cues() -> dict[str, tuple[str, ...]]:
    text = (resources.files("graph") / "data" / "home_cues.tsv").read_text(encoding="utf-8")
    cues: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, words = line.partition("\t")
            cues[kind.strip()] = tuple(w for w in words.strip().split("|") if w)
    return cues


HOME_CUES = _home_cues()
# Words that stand for the place an article is about: 我区 → district, 我市 → city.
HOME_WORDS = {w: level for level in ("district", "city", "province") for w in HOME_CUES[level]}


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A non-capturing group of ``words``, longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# A (A、B等企业坚定扎根) — a verb whose subject is then in the home place.
HOME_SETTLE = alternation(HOME_CUES["settle"])
HOME_COUNTED = alternation(HOME_CUES["counted"])
# A clause with one of these places nothing in the home place (来自天津, 赴德国投资).
HOME_AWAY = re.compile(alternation(HOME_CUES["away"]))
HOME_WORD = re.compile("|".join(HOME_WORDS))
# Bodies of the article's own place when named without it: 常州市委、市政府提出…. The one
# definition: recognition finds these words (graph.rules), relation rules read them.
HOME_BODIES = {
    "市委": ("city", "市", ("委", "委员会")),
    "市政府": ("city", "市", ("政府", "人民政府")),
    "区委": ("district", "区", ("委", "委员会")),
    "区政府": ("district", "区", ("政府", "人民政府")),
    "县委": ("district", "县", ("委", "委员会")),
    "县政府": ("district", "县", ("政府", "人民政府")),
    "省委": ("province", "省", ("委", "委员会")),
    "省政府": ("province", "省", ("政府", "人民政府")),
}
HOME_BODY = re.compile("|".join(HOME_BODIES))
# A demonstrative place: 在此建立制造中心 = in the place the sentence is about.
HERE = "(?:此|这里|当地|本地)"
