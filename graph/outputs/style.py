"""How the HTML page draws each kind of node: fonts, colours, shapes, legend marks."""

from __future__ import annotations

from dataclasses import dataclass

from graph.records import EntityType

# Fonts that hold Chinese characters, most common first (Linux, macOS, Windows), then the
# generic fallback. The page and the labels vis-network draws on its canvas use the same
# list; a machine with none of them draws boxes for Chinese labels.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Droid Sans Fallback",
)


def font_stack(generic: str = "sans-serif") -> str:
    """The CJK font families as a CSS font-family list ending in ``generic``.

    >>> font_stack().split(", ")[0], font_stack().split(", ")[-1]
    ('"Noto Sans CJK SC"', 'sans-serif')
    """
    return ", ".join([*(f'"{name}"' for name in CJK_FONTS), generic])


@dataclass(frozen=True, slots=True)
class Style:
    """How one kind of node looks: its Chinese name, colour, vis-network shape, legend mark."""

    name: str
    colour: str
    shape: str
    mark: str
    dashed: bool = False


STYLES: dict[str, Style] = {
    EntityType.COMPANY: Style("公司", "#4e79a7", "dot", "●"),
    EntityType.PLACE: Style("地点", "#59a14f", "triangle", "▲"),
    EntityType.PLATFORM: Style("平台", "#f28e2b", "square", "■"),
    EntityType.POLICY: Style("政策", "#e15759", "diamond", "◆"),
    EntityType.ORGANIZATION: Style("机构", "#76b7b2", "hexagon", "⬢"),
    EntityType.PERSON: Style("人物", "#c9a227", "star", "★"),
    EntityType.INDUSTRY_CHAIN: Style("产业链", "#b07aa1", "triangleDown", "▼"),
    EntityType.PROJECT: Style("项目", "#ff7f9f", "dot", "◌", dashed=True),
    "Article": Style("文章", "#9c9c9c", "box", "▭"),
    "Other": Style("其他", "#bab0ac", "dot", "○"),
}
