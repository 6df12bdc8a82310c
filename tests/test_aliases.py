"""The alias table: loading, lookups and one-line errors naming the broken line."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.entities.aliases import load_table, parse_table
from graph.errors import AliasTableError

HEADER = "id\ttype\tname\taliases\texternal\n"


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        ("company/a\tCompany\t甲\t\t\ncompany/a\tCompany\t乙\t\t\n", 3, "duplicate id company/a"),
        (
            "company/a\tCompany\t甲\t甲公司\t\ncompany/b\tCompany\t乙\t甲公司\t\n",
            3,
            "already claimed by company/a",
        ),
        ("company/a\tFirm\t甲\t\t\n", 2, "unknown type 'Firm'"),
        ("company/a\tCompany\n", 2, "found 2"),
        ("company/a\tCompany\t甲\t\t\textra\n", 2, "found 6"),
        ("place/a\tCompany\t甲\t\t\n", 2, "must start with company/"),
        ("Company/甲\tCompany\t甲\t\t\n", 2, "lower-case ASCII"),
        ("place/320481\tPlace\t溧阳\t\tadcode:3204\n", 2, "not a valid adcode"),
        ("place/320481\tPlace\t溧阳\t\tgeonames:1\n", 2, "scheme:value"),
    ],
)
def test_aliases_errors_name_the_line(rows: str, line: int, reason: str) -> None:
    with pytest.raises(AliasTableError) as info:
        parse_table(HEADER + rows, "t.tsv")
    assert info.value.line == line
    assert reason in str(info.value)
    assert str(info.value).startswith(f"t.tsv:{line}: ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("溧阳", "place/320481"),
        ("溧阳市", "place/320481"),
        ("溧陽市", "place/320481"),
        ("溧水", None),
    ],
)
def test_aliases_lookup_normalizes_names(name: str, expected: str | None) -> None:
    table = parse_table(HEADER + "# comment\n\nplace/320481\tPlace\t溧阳\t溧阳市\tadcode:320481\n")
    entry = table.lookup(name)
    assert (entry.id if entry else None) == expected


@pytest.mark.parametrize("ident", ["company/calb", "place/320413", "policy/532-strategy"])
def test_aliases_default_table_loads(ident: str) -> None:
    table = load_table(Path(__file__).resolve().parent.parent / "seeds" / "aliases.tsv")
    assert table.get(ident) is not None


@pytest.mark.parametrize("ident", ["company/calb"])
def test_aliases_without_drops_entries(ident: str) -> None:
    table = parse_table(HEADER + f"{ident}\tCompany\t中创新航\t\t\n")
    assert table.without([ident]).lookup("中创新航") is None


@pytest.mark.parametrize("content", [b"id\ttype\tname\n\xff\xfe\x00bad"])
def test_aliases_undecodable_file_is_one_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "aliases.tsv"
    path.write_bytes(content)
    with pytest.raises(AliasTableError, match="UTF-8"):
        load_table(path)
