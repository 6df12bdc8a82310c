"""The ids of every entity recognizer and relation rule, each with a one-line description.

Every mention and every fact in the graph names the rule that produced it (``nekg:rule``),
so that ``nekg eval --by-rule`` can say which rule is right how often. An id is stable:
it names one recognizer (split by the suffix class or entity type it found, where one
function finds several kinds) or one relation construction, and never changes with the
confidence or the wording of the code. ``docs/rules.md`` lists these tables; a test keeps
it in sync and checks that every id a build writes is registered here.

>>> entity_rule("suffix", "suffix", EntityType.COMPANY, "常州华强电子")
'suffix-company-weak'
>>> entity_rule("", "alias", EntityType.COMPANY, "中创新航")
'alias-table'
>>> relation_rules("located-park")
('located', 'through-park')
"""

from __future__ import annotations

from functools import cache

from graph.records import EntityType

# --- entity recognizers ------------------------------------------------------------------

ENTITY_RULES: dict[str, str] = {
    "alias-table": "a name or alias listed in the alias table (seeds/aliases.tsv)",
    "gazetteer-place": "an administrative division, country or region from the gazetteer",
    "gazetteer-company": "a listed company's full or short name from the shipped lists",
    "gazetteer-organization": "a university from the shipped lists",
    "suffix-company": "a name ending in a strong company suffix (有限公司, 集团, 银行)",
    "suffix-company-weak": "a short unusual stem before a weak company suffix (亿晶光电)",
    "suffix-platform": "a name ending in a platform suffix (产业园, 高新区, 实验室)",
    "suffix-organization": "a name ending in an organization suffix (研究院, 协会, 大学)",
    "suffix-government": "a government body: a place, then 局/委/厅/政府 (常州市发改委)",
    "suffix-project": "a name ending in a project suffix (项目, 电站, 示范工程)",
    "suffix-place": "a township, village or zone by its suffix (直溪镇, 街道)",
    "title-policy": "a policy title in 《》 ending in a policy word (《…实施方案》)",
    "quoted-policy": "a quoted name that is a policy (“532”发展战略, “龙城英才计划”)",
    "quoted-platform": "a quoted name that is a platform (“常州氢湾”, “龙城芯谷”)",
    "plain-policy": "an unquoted programme name (重大项目突破行动)",
    "role-person": "a person's name right after a role title (区委书记陆秋明) or before 院士",
    "speaker-person": "a name after a title and a comma, before a verb of speech (总经理，周海涛表示)",
    "water-place": "a lake, river or basin by a guarded ending (胥河, 白马湖流域)",
    "local-base-project": "a company, a place, then 基地/工厂 (宁德时代溧阳基地)",
    "street-place": "a street or road with a short proper name (广福路, 南京西路)",
    "body-organization": "a well-known body from the vocabulary (工信部), with its department",
    "industry-chain": "an industry from the shipped vocabulary, as a whole word",
    "industry-named": "an industry named as such: a known stem before 产业/产业链/产业集群/领域 (稀土产业)",
    "enumeration-item": "an item of A、B、C等企业 typed by its head noun or its neighbours",
    "phase-project": "a company or project followed by a phase number (中创新航三期)",
    "capacity-project": "a capacity project (年产5万吨电池级硫酸镍项目)",
    "named-project": "a project named as news writes it, from 项目 left to the clause's verb",
    "product-project": "a product project built by a company or place named in the clause",
    "subsidiary-company": "the short name after 全资子公司/控股子公司",
    "context-company": "a bare name before a word only a firm has (新浪董事长, 璞泰来旗下)",
    "neighbour-company": "a name listed next to a known company (欣旺达和塔菲尔)",
    "branch-unit": "a company or body, then a branch word (工商银行广东省分行)",
    "faculty-unit": "a university followed by one of its schools (清华大学心理学系)",
    "force-organization": "armed forces as their own word (美军)",
    "team-organization": "a sports team named after a place or a name (常州队)",
    "home-body": "a bare 市委/市政府/区委, the body of the article's own place",
    "subunit-place": "a unit named right after its parent (宜宾市叙州区 → 叙州区)",
    "jieba-place": "a jieba place word shaped like a name (weak: only fills gaps)",
    "jieba-organization": "a jieba organization word (weak: only fills gaps)",
    "jieba-company": "a jieba organization word that reads as a company (weak)",
    "jieba-person": "a jieba person word that speaks or acts (weak)",
    "abbreviation-defined": "a short form defined after a name: （以下简称“XX”）",
    "abbreviation-used": "a later use of a short form the article defined",
}

# Recognizers of graph.rules, by the name entities.py calls them under: the template of
# the id their candidates get ({type}: the entity type in kebab case).
RECOGNIZERS: dict[str, str] = {
    "suffix_names": "suffix",  # split by suffix class, see suffix_rule
    "quoted_names": "{method}-{type}",  # title-policy, quoted-policy, quoted-platform
    "plain_policies": "plain-policy",
    "persons": "role-person",
    "speakers": "speaker-person",
    "streets": "street-place",
    "body_names": "body-organization",
    "industry_names": "industry-chain",
    "industries_named": "industry-named",
    "enumerations": "enumeration-item",
    "phases": "phase-project",
    "named_projects": "named-project",
    "projects": "{method}-project",  # phase-project, capacity-project, product-project
    "subsidiaries": "subsidiary-company",
    "context_companies": "context-company",
    "neighbour_companies": "neighbour-company",
    "branches": "branch-unit",
    "faculties": "faculty-unit",
    "forces": "force-organization",
    "teams": "team-organization",
    "home_bodies": "home-body",
    "subunits": "subunit-place",
    "weak_candidates": "jieba-{type}",
}

# Candidates made from tables rather than by a rule of graph.rules carry only a method;
# their id follows from it. A new table-driven method needs a row here (or its candidates
# a rule of their own); a test fails on any id a build writes that is not registered.
METHOD_RULES: dict[str, str] = {
    "alias": "alias-table",
    "gazetteer": "gazetteer-place",
    "listed": "gazetteer-{type}",  # listed companies and universities
    "abbreviation": "abbreviation-defined",
    "abbreviated": "abbreviation-used",
    "water": "water-place",
    "local-base": "local-base-project",
}

# The class of a suffix (suffixes.tsv's strength) as part of the id; "strong" adds nothing.
_SUFFIX_CLASS = {"strong": "", "weak": "-weak"}
_SUFFIX_IDS = {("Organization", "gov"): "suffix-government"}


@cache
def kebab(etype: EntityType | str) -> str:
    """``IndustryChain`` → ``industry-chain``.

    >>> kebab(EntityType.INDUSTRY_CHAIN)
    'industry-chain'
    """
    name = str(etype)
    return "".join(
        f"-{ch.lower()}" if ch.isupper() and i else ch.lower() for i, ch in enumerate(name)
    )


def _quoted_method(method: str) -> str:
    return {"quote": "quoted"}.get(method, method)


@cache
def _suffix_classes() -> dict[str, dict[str, str]]:
    """type -> suffix -> class; a suffix in several classes keeps the strong one."""
    from graph.entities.recognizers import suffixes

    table: dict[str, dict[str, str]] = {}
    for (type_name, strength), items in suffixes().items():
        classes = table.setdefault(type_name, {})
        for item in items:
            if classes.get(item) != "strong":
                classes[item] = strength
    return table


_LONGEST_SUFFIX = 12  # longer than any suffix in suffixes.tsv (a test checks)


def suffix_rule(etype: EntityType, name: str) -> str:
    """The id of a suffix-rule candidate: its type and the class of the longest suffix of
    ``suffixes.tsv`` it ends in (``strong`` when none does).

    >>> suffix_rule(EntityType.ORGANIZATION, "常州市发改委")
    'suffix-government'
    """
    classes = _suffix_classes().get(etype.value, {})
    longest = _LONGEST_SUFFIX
    best = next(
        (classes[name[-k:]] for k in range(min(longest, len(name)), 0, -1) if name[-k:] in classes),
        "strong",
    )
    return _SUFFIX_IDS.get((etype.value, best)) or (
        f"suffix-{kebab(etype)}{_SUFFIX_CLASS.get(best, '-' + best)}"
    )


def entity_rule(template: str, method: str, etype: EntityType, name: str) -> str:
    """The rule id of a candidate found by the recognizer whose template is ``template``
    (one of :data:`RECOGNIZERS`' values; ``""`` for table candidates, named by method)."""
    if not template:
        template = METHOD_RULES.get(method, method)
    if template == "suffix":
        return suffix_rule(etype, name)
    return template.format(type=kebab(etype), method=_quoted_method(method))


# --- relation rules ----------------------------------------------------------------------

RELATION_RULES: dict[str, str] = {
    "adcode": "a place is in the nearest ancestor division the article names (by code)",
    "among": "P集聚企业N家，其中A、B: the companies named among those counted are in P",
    "agreement": "the parties of a signed agreement partner each other",
    "at-place": "X在P…: a firm or project acts in a place (weaker locatedIn)",
    "base-for": "P is X's base (生产基地, 总部基地): X is located in P",
    "build-home": "the article's own place builds a platform (subjectless 建设…园)",
    "build-platform": "P建设/打造 a platform: the platform is in P",
    "built-by": "A打造的X: X is built by A",
    "built-inside": "a platform or project built inside another is part of it",
    "capacity": "a company's capacity of an industry's product puts it in that industry",
    "cooperate": "A与B合作/签约: the parties partner each other",
    "gather": "P集聚/引进了A、B等企业: the companies are in P",
    "gather-home": "the article's own place gathers the named companies",
    "gathered": "companies gathered as an industry's firms are in that industry",
    "hand-in-hand": "A携手B: the parties partner each other",
    "hand-in-hand-home": "the article's own body goes hand in hand with B",
    "heads": "张三领衔的X研究院: the person heads the unit, the verb as the role",
    "headquarters": "X总部位于P / P is X's headquarters: X is located in P",
    "home-counted": "the firms counted for the article's own place are there",
    "home-headed": "a clause headed by the article's place names its own firms",
    "home-settled": "firms the article's place calls its own (落户我区) are there",
    "industry-noun": "A等X企业: the companies are of industry X",
    "issue": "P or a body 印发/出台 a policy: the policy is issued by it",
    "policy-title": "《宜春市…办法》: a policy whose title opens with a place or park is its issuer's",
    "issue-home": "the article's own place issues the policy (subjectless)",
    "joint-build": "A与B共建X: X is built by both, and they partner each other",
    "lead-home": "leaders of the article's own place's industry are in that place",
    "lead-in-place": "leaders of a place's chain are in that place",
    "lead-with": "以A、B为龙头/链主: the companies lead the chain",
    "leader": "A是X产业链龙头/链主: the company leads the chain",
    "led-build": "A牵头建设X / X由A建设: X is built by A",
    "legal-name": "a company's full legal name holds its parent's (…子公司 by name)",
    "local-unit": "a local unit's name holds its parent body and its place (国网常州供电公司)",
    "named-builder": "比亚迪株洲基地…项目: a project named after a company is built by it",
    "owned-project": "A的X项目 / A年产…项目 (A right before it): the company builds its project",
    "located": "X位于P / 坐落于P: X is located in P",
    "in-park": "位于P园区的A / P高新区内的A / A是P开发区的龙头企业: A is in the park",
    "park-place": "a park whose name opens with a place the sentence names is in it (长兴县…长兴经开区)",
    "home-park": "区内/园区内 in an article about one park: the named are in that park",
    "pillars": "A、B为四梁八柱/支柱: the companies lead the chain",
    "name": "a name holds its place (常州XX公司) or starts with its parent platform's name",
    "plant": "X在P建厂/投产: X is located in P",
    "plant-here": "X在此/在我区建厂: X is in the article's topic place",
    "product": "a company making an industry's product is in that industry",
    "project-builder": "A投资建设X项目: the project is built by A",
    "placed-project": "位于P的X项目 / 在P，…X项目…: the project is in P",
    "sign-build": "A与P签约，投资建设X项目: A builds X, X is in the park or place P",
    "project-place": "X项目落户/位于P: the project is in P",
    "ranking": "a company ranked among an industry's firms is in that industry",
    "row": "places named in a row, largest first (南海区丹灶镇): each is in the one before it",
    "settle": "X落户/入驻P: X is located in P",
    "short-name": "a one-character short name of the article's place (在坛项目)",
    "subsidiary": "A是B的子公司 / B旗下A: A is a subsidiary of B",
    "title": "<organization><role> <person>: the person holds the role there",
    "title-home": "a bare 区委书记 <person>: the role is at the article's own place",
    "through-park": "a located-in fact whose park names its place is also in that place",
    # graph.relations.business
    "leader-before": "龙头企业A: the leader noun before the company, with the sentence's chain",
    "leader-as": "作为X龙头企业，A: the company leads the chain",
    "leader-after": "A是X产业链链主 / A是锂电龙头: the company leads the chain",
    "partner-with": "A与B签署/合作 with words between: the parties partner each other",
    "partner-sign": "A、B签约/签署协议: the signers partner each other",
    "partner-jointly": "A、B共同/联合…: parties acting jointly partner each other",
    "partner-ally": "A牵手/联姻/结盟B: the parties partner each other",
    "joint-venture": "A与B合资成立C: C is a subsidiary of each parent, the parents partner",
    "agreed-build": "A与B签署协议，双方将共建X: X is built by every party of the agreement",
    "invested-unit": "A在P投资建设的B公司: B is a subsidiary of A, located in P",
    "gain-control": "A成为B控股股东 / A入主B: B is a subsidiary of A",
    "acquired": "A收购B / A完成对B的收购 / B被A收购 (control, not a plan): B is A's subsidiary",
    "held": "A旗下/下属/麾下B: B is a subsidiary of A",
    "subsidiary-noun": "A（300750）全资子公司B: B is a subsidiary of A",
    "held-is": "B是A旗下的企业 / B系A下属公司: B is a subsidiary of A",
    "belong": "B隶属于A: B is a subsidiary of A",
    "parent": "B的母公司A / B的控股股东为A: B is a subsidiary of A",
    "parent-is": "A是B的控股股东 / A系B母公司: B is a subsidiary of A",
    "held-note": "B（A旗下公司）: a note after the child names its parent",
    "controlled": "A控股的B / A全资控股B: B is a subsidiary of A",
}

# A fact that found its place through a park (落户长沙经开区 → 长沙) gets this suffix on
# the rule that stated it; its rules are then both that rule and ``through-park``.
_PARK_SUFFIX = "-park"


def relation_rules(method: str) -> tuple[str, ...]:
    """The rule ids behind a fact's evidence ``method``."""
    if method.endswith(_PARK_SUFFIX) and method not in RELATION_RULES:
        return (method[: -len(_PARK_SUFFIX)], "through-park")
    return (method,)


# --- figure rules (graph.figures) --------------------------------------------------------

# What a figure measures (``nekg:method`` of its observation; the cue words are rows of
# graph/data/figure_measures.tsv) and which entity it is about (``Figure.subject_rule``).
FIGURE_RULES: dict[str, str] = {
    "figure-rank": "a rank (第N, 首位, 前N) after 位列/排名/位居, or any rank without a cue",
    "figure-scale": "a size class that ends in 级 (千亿级): scale",
    "figure-scale-cny": "money after 规模/体量: scale",
    "figure-investment": "money after 总投资/投资/投入/融资: investment",
    "figure-output-value": "money after 产值/增加值: output value",
    "figure-revenue": "money after 营业收入/营收/销售收入: revenue",
    "figure-tax": "money after 纳税/税收: tax",
    "figure-gdp": "money after 地区生产总值/GDP: gdp",
    "figure-capacity": "energy, power or mass after 年产/产能/装机/产量: capacity",
    "figure-capacity-after": "energy, power or mass before 年产能/产能: capacity",
    "figure-capacity-count": "a count after 年产/产能/产量/年处理: capacity",
    "figure-capacity-completion": "products (辆, 台, 套) after 投产后/建成后/达产后: capacity",
    "figure-capacity-plant": "energy, power or mass before a plant word (项目, 工厂, 产线): capacity",
    "figure-capacity-unit": "energy or power with no other cue (10兆瓦级): capacity",
    "figure-electricity": "energy after 用电量/发电量: electricity",
    "figure-area": "an area after 占地/面积/用地: area",
    "figure-growth": "a percentage after 增长/同比/提高: growth",
    "figure-share": "a percentage after 占/比重/占比: share",
    "figure-firm-count": "a count before 企业/公司/机构: number of firms",
    "figure-firm-count-before": "a count after 企业/公司 (规上企业46家): number of firms",
    "figure-firm-count-unit": "N家 with no noun that names what is counted: number of firms",
    "figure-platform-count": "N家 before 平台/研究院/实验室: a count, not of firms",
    "figure-project-count": "a count before 项目: number of projects",
    "figure-project-count-before": "a count after 项目 (重大项目5个以上): number of projects",
    "figure-count": "a count no cue names: count",
    "figure-amount": "money, mass or area no cue names: amount",
    "figure-subject-inside": "the company or project whose name holds the figure",
    "figure-subject-modified": "总投资50亿元的X项目: the project, platform or company modified",
    "figure-subject-clause": "the nearest fitting mention before the figure in its clause",
    "figure-subject-anaphor": "an anaphor (该公司, 该项目, 全市, 区内) resolved to what it stands for",
    "figure-subject-created": "A与B合资成立C，…: the company founded, not its founders",
    "figure-subject-sentence": "walking back: the first mention of the nearest clause with one",
    "figure-subject-frame": "a scene-setting clause before (在P，…): the place P",
    "figure-subject-previous": "a sentence naming no subject goes on with the sentence before's",
    "figure-subject-article": "the place the article is about",
    "figure-subject-chain": "an industry chain in the clause, the last resort",
}
