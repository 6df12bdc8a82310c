from __future__ import annotations

import pytest

from graph.text.normalize import (
    is_traditional,
    normalize,
    normalize_name,
    split_sentences,
    to_simplified,
    unify_chars,
)


def _chars_match(original: str, clean: str) -> bool:
    """A clean character is the unified form of its original, or a space standing for a break."""
    if clean == " ":
        return original.isspace()
    if original == '"':
        return clean in "“”"
    return to_simplified(unify_chars(original)) == clean


def _assert_maps_back(original: str, sentences) -> None:
    for sentence in sentences:
        assert list(sentence.offsets) == sorted(set(sentence.offsets)), "offsets must increase"
        for ch, at in zip(sentence.text, sentence.offsets, strict=True):
            assert _chars_match(original[at], ch), (sentence.text, ch, original[at])
        assert sentence.start == sentence.offsets[0]
        assert sentence.end == sentence.offsets[-1] + 1


# Line breaks inside a word, as PDF and web extraction leave them (cases from the seed articles).
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "今年4月，总投资20亿美元的安赛\n\n乐米塔尔新能源软磁材料项目成功落户常州。",
            "今年4月，总投资20亿美元的安赛乐米塔尔新能源软磁材料项目成功落户常州。",
        ),
        (
            "我们锚定“最美新城区、最强增长极”发展\n\n定位，奋力抢抓机遇。",
            "我们锚定“最美新城区、最强增长极”发展定位，奋力抢抓机遇。",
        ),
        (
            "攻坚步伐铿锵有力，常\n\n州打造新能源之都的冲锋号角催人奋进。",
            "攻坚步伐铿锵有力，常州打造新能源之都的冲锋号角催人奋进。",
        ),
        ("龙头企业有宁德时代、比亚\n 迪，都在常州。", "龙头企业有宁德时代、比亚迪，都在常州。"),
        (
            "致力推进经济发展、开放创新、生态环境、城乡融合、共同富裕、社会治理等六大品质，2022 年，溧阳县域综合实力跻身全国 52 个\n\n千亿县。",
            "致力推进经济发展、开放创新、生态环境、城乡融合、共同富裕、社会治理等六大品质，2022年，溧阳县域综合实力跻身全国52个千亿县。",
        ),
        (
            "Contemporary Amperex Technology Co.,\nLimited 在溧阳建厂。",
            "Contemporary Amperex Technology Co., Limited 在溧阳建厂。",
        ),
    ],
)
def test_normalize_rejoins_broken_lines(raw, expected):
    assert normalize(raw).text == expected


# Real paragraph ends, headings, bylines and captions stay apart.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "产业强市看溧阳\n\n陈学科 段培华\n\n地处苏南的溧阳一直以生态环境优美闻名遐迩。",
            "产业强市看溧阳\n陈学科 段培华\n地处苏南的溧阳一直以生态环境优美闻名遐迩。",
        ),
        (
            "现代化产业集群异军突起\n\n城市与区域的竞争归根到底在于产业综合实力。",
            "现代化产业集群异军突起\n城市与区域的竞争归根到底在于产业综合实力。",
        ),
        (
            "坚持项目为王，做强新能源产业硬实力。\n\n金坛新能源产业起步于本世纪初。",
            "坚持项目为王，做强新能源产业硬实力。\n金坛新能源产业起步于本世纪初。",
        ),
        (
            "1月29日上午,金坛召开动员大会\n\n\n\n金坛盐穴压缩空气储能国家试验示范项目\n\n\n\n正文开始。",
            "1月29日上午，金坛召开动员大会\n金坛盐穴压缩空气储能国家试验示范项目\n正文开始。",
        ),
        (
            "## 常州排名再进阶名列第三\n\n□本报记者 董心悦 孙东青  \n通讯员 常工信",
            "常州排名再进阶名列第三\n□本报记者 董心悦 孙东青\n通讯员 常工信",
        ),
    ],
)
def test_normalize_keeps_paragraphs_apart(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("中德(常州)创新产业园", "中德（常州）创新产业园"),
        ("ＧＤＰ达８８０７.６亿元", "GDP达8807.6亿元"),
        ('实施"532"发展战略', "实施“532”发展战略"),
        ("「两湖」创新区", "“两湖”创新区"),
        ("增长9.1%,位列第一", "增长9.1%，位列第一"),
        ("总投资1,000亿元", "总投资1,000亿元"),
        ("Co.,Ltd", "Co.,Ltd"),
        ("金坛\u3000区", "金坛 区"),
    ],
)
def test_normalize_unifies_width_and_quotes(raw, expected):
    assert unify_chars(raw) == expected
    assert len(unify_chars(raw)) == len(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.example.com/news/1.html\n正文一句。", "正文一句。"),
        ("正文一句。\n\n- 12 -\n\n下一页内容。", "正文一句。\n下一页内容。"),
        ("正文一句。\n第 3 页\n", "正文一句。"),
        ("**编者按:**决定一个城市崛起的推动力是什么?", "编者按：决定一个城市崛起的推动力是什么？"),
        (
            "正文一句。\n\n用健康成长 创作我们的时代主旋律\n\n我去上学 天天不迟到\n\n中宣部宣教局 中国文明网",
            "正文一句。",
        ),
        ("正文一句。\n\n责任编辑：张三", "正文一句。"),
        (
            "第一段结束。\n\n数据来源：常州市统计局，2023年",
            "第一段结束。\n数据来源：常州市统计局，2023年",
        ),
    ],
)
def test_normalize_drops_page_furniture_only(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "金坛召开大会。他说：“要干！”随后散会。",
            ["金坛召开大会。", "他说：“要干！”", "随后散会。"],
        ),
        ("“产业强区。工业立区。”是战略。", ["“产业强区。工业立区。”", "是战略。"]),
        ("Is it real? Yes. 常州第一！", ["Is it real?", "Yes.", "常州第一！"]),
        ("增长9.1%。同比增长25.3%！", ["增长9.1%。", "同比增长25.3%！"]),
        ("标题\n正文第一句。正文第二句", ["标题", "正文第一句。", "正文第二句"]),
        ("（记者 韩晖）9月26日，签署协议。", ["（记者 韩晖）9月26日，签署协议。"]),
        ("真的吗？！是的……", ["真的吗？！", "是的……"]),
    ],
)
def test_normalize_splits_sentences(text, expected):
    assert [s.text for s in split_sentences("a", text)] == expected


def test_normalize_offsets_map_back_on_every_seed(seed_articles):
    for article in seed_articles:
        sentences = split_sentences(article.id, article.text)
        assert len(sentences) > 20
        _assert_maps_back(article.text, sentences)


@pytest.mark.parametrize(
    "raw",
    [
        '今年4月，总投资20亿美元的安赛\n\n乐米塔尔项目落户常州。他说:"好!"',
        "  ## 标题\n\n**粗体** 文字, ＡＢＣ１２３。\r\n第二行\u3000内容。",
        "寧德時代在溧陽投資建設電池工廠，總部位於福建。",
    ],
)
def test_normalize_offsets_map_back(raw):
    _assert_maps_back(raw, split_sentences("a", raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("寧德時代在溧陽投資建設電池工廠。", "宁德时代在溧阳投资建设电池工厂。"),
        ("中創新航總部位於金壇區。", "中创新航总部位于金坛区。"),
        ("宁德时代在溧阳投资建设。", "宁德时代在溧阳投资建设。"),
    ],
)
def test_normalize_reads_traditional_as_simplified(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("乾隆年间的故事", False), ("國際化智造名城", True)]
)
def test_normalize_detects_traditional_script(text, expected):
    assert is_traditional(text) is expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("中德(常州)创新产业园", "中德（常州）创新产业园"),
        ('"532"发展战略', "“532”发展战略"),
        ("《龙城英才计划》", "龙城英才计划"),
        ("寧德時代", "宁德时代"),
        (" 溧阳 市", "溧阳市"),
    ],
)
def test_normalize_name_equates_variants(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), [("溧水", "溧阳"), ("中创新航", "中创新")])
def test_normalize_name_keeps_different_names_apart(a, b):
    assert normalize_name(a) != normalize_name(b)
