"""A missing alias table or reject list named on the command line is one line that names
the file and says what to do, for every command that reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data"
ARTICLE = DATA / "seeds" / "articles" / "003_07c0f74417fcbfb6.txt"

CASES = [
    # command (before the option), option, what the line must say
    (
        ["build", str(ARTICLE)],
        "--aliases",
        "no such alias table; check the path given to --aliases",
    ),
    (["candidates", str(ARTICLE)], "--aliases", "no such alias table"),
    (["eval", str(DATA / "seeds"), str(ARTICLE)], "--aliases", "no such alias table"),
    (["export", str(ARTICLE), "--format", "spacy"], "--aliases", "no such alias table"),
    (["build", str(ARTICLE)], "--reject", "no such reject list; create it"),
    (["candidates", str(ARTICLE)], "--reject", "no such reject list"),
]


@pytest.mark.parametrize(("command", "option", "says"), CASES)
def test_a_missing_table_is_one_line_naming_it(tmp_path, command, option, says):
    missing = tmp_path / "nowhere.tsv"
    out = tmp_path / "out"
    extra = ["-o", str(out)] if command[0] in ("build", "export") else []
    if command[0] == "export":
        extra = ["-o", str(tmp_path / "x.spacy")]
    result = CliRunner().invoke(cli, [*command, option, str(missing), *extra])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {missing}"), lines[0]
    assert says in lines[0]
    assert not out.exists()
