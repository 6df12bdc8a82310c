"""How names of files (and other untrusted strings) are shown in messages.

A file name may hold a newline, a terminal escape sequence or bytes that are not
UTF-8; printed raw it would split a message, recolour or clear the terminal, or
crash the output stream. :func:`shown` is the one place that turns a name into
message text: ordinary names stay as they are, anything else is quoted with
Python-style escapes, so the name shown is unambiguous and can be typed back.

>>> shown("seeds/000.txt")
'seeds/000.txt'
>>> shown("常州 新闻.txt")
'常州 新闻.txt'
>>> shown("a\\nb.txt")
"'a\\\\nb.txt'"
>>> shown("\\x1b[2Jx.txt")
"'\\\\x1b[2Jx.txt'"
"""

from __future__ import annotations

import os
import re

# Printable characters other than the backslash and quotes keep a name unquoted.
_PLAIN = re.compile(r"[^\\'\"]*")


def shown(name: str | os.PathLike) -> str:
    """``name`` ready to be put into a one-line message."""
    text = os.fspath(name)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    # isprintable() is False for controls, line breaks, surrogates and unassigned code points.
    if _PLAIN.fullmatch(text) and text.isprintable():
        return text
    return repr(text)
