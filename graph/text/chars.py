"""Characters an output format cannot hold, and what the writers do with them.

Article text is untrusted: it may hold control characters, noncharacters such as
U+FFFE, line separators (U+2028) or, through escapes in JSON input, lone surrogates.
Every writer keeps its output valid whatever the text holds:

- no format written as UTF-8 can hold a lone surrogate: it becomes U+FFFD, the
  replacement character (a well-formed surrogate pair becomes the character it encodes);
- XML 1.0 (GraphML, GEXF) cannot hold C0 controls other than tab, line feed and
  carriage return, nor U+FFFE/U+FFFF, not even as character references: they are
  dropped (and line ends written as line feeds, which is what a reader sees anyway);
- Turtle, TriG and N-Triples escape controls (``\\n``, ``\\u001B``) and hold everything else;
- JSON escapes controls; the HTML page escapes what HTML frowns upon inside its JSON data.

>>> scalar_text("a\\ud800b"), scalar_text("\\ud83d\\ude00")
('a\\ufffdb', '😀')
>>> xml_text("宁德\\x00时代\\x1b[31m\\ufffe\\t")
'宁德时代[31m\\t'
>>> first_control("中创新航\\u2028"), first_control("中创新航\\t"), first_control("é\\u0301")
('\\u2028', None, None)
"""

from __future__ import annotations

import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
# The 66 noncharacters, as the inside of a regular expression's [...]: U+FDD0..U+FDEF
# and the last two code points of every plane.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
# Characters outside XML 1.0's Char production, once surrogates are gone.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def scalar_text(text: str) -> str:
    """``text`` as Unicode scalar values only: encodable as UTF-8, whatever it held."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold dropped (see the module docstring).

    Line ends become ``\\n``, as every XML reader would read them anyway.
    """
    text = _NOT_XML.sub("", scalar_text(text))
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def first_control(text: str) -> str | None:
    """The first character in ``text`` that has no place in a name, or None.

    That is a control character other than tab (C0, DEL, C1), a line or paragraph
    separator, a surrogate or a noncharacter (U+FFFE, U+FDD0, …).
    """
    for char in text:
        if char == "\t":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp") or _noncharacter(char):
            return char
    return None


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
