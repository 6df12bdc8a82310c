"""Park names and their places, and coined listed short names, as tables."""

import pytest

from graph.entities.candidates import _coined
from graph.entities.recognizers.stems import park_pieces

PARKS = [
    # (written, suffix, the park names it holds)
    ("包头市青山区装备制造产业园区", "产业园区", ["装备制造产业园区"]),
    ("西安市高陵区泾河工业园", "工业园", ["泾河工业园"]),
    ("射洪经济开发区锂电高端材料产业园", "产业园", ["射洪经济开发区", "锂电高端材料产业园"]),
    ("苏州工业园区生物医药产业园", "产业园", ["苏州工业园区", "生物医药产业园"]),
    ("南京市江宁区开发区", "开发区", ["江宁区开发区"]),
    ("常州市光伏产业园", "产业园", ["常州市光伏产业园"]),
    ("溧阳市经济开发区", "经济开发区", ["溧阳市经济开发区"]),
    ("长沙经济技术开发区", "经济技术开发区", ["长沙经济技术开发区"]),
    ("苏州生物医药产业园", "产业园", ["苏州生物医药产业园"]),
    ("宁德东侨经济技术开发区", "经济技术开发区", ["宁德东侨经济技术开发区"]),
]


@pytest.mark.parametrize(("written", "suffix", "parks"), PARKS)
def test_park_pieces(written, suffix, parks):
    s = len(written) - len(suffix)
    assert [written[b:e] for b, e in park_pieces(written, 0, s, len(written))] == parks


COINED = [
    ("明阳智能", True),  # 明 阳 智能: a trade name jieba cuts into characters
    ("双良节能", True),
    ("新产业", False),  # too short, a common phrase
    ("太阳能", False),  # a dictionary word
    ("线上线下", False),  # two common words
    ("宁波银行", False),  # opens with a place written as a word
]


@pytest.mark.parametrize(("name", "coined"), COINED)
def test_coined(name, coined):
    assert _coined(name) is coined
