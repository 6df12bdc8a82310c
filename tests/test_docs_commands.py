"""The `nekg …` commands the documentation shows work as shown.

A code block in docs/*.md preceded by the line ``<!-- runnable -->`` promises that every
``nekg`` command in it (a line of a ``sh`` block, or a ``$ nekg`` line of a ``console``
block) runs on the shipped seed articles, reading only ``seeds/``, ``out/`` and
``tests/data/``. Each such command is run here, in process, in a folder holding a copy of
the seed articles and their alias table and reject list, after one ``nekg build``: it must
exit 0 and print no traceback.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MARK = "<!-- runnable -->"
FENCE = re.compile(r"^```(\w*)\s*$")
# Every path a runnable command names must live under one of these.
ALLOWED = ("seeds", "out", "tests/data")


def runnable_commands() -> list[tuple[str, str]]:
    """(doc:line, command line without the leading `nekg`) of every runnable block."""
    found = []
    for doc in sorted(DOCS.glob("*.md")):
        lines = doc.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip() != MARK:
                continue
            fence = FENCE.match(lines[i + 1]) if i + 1 < len(lines) else None
            if not fence or fence.group(1) not in ("sh", "console"):
                raise ValueError(
                    f"{doc.name}:{i + 1}: {MARK} must be followed by a ```sh or ```console block"
                )
            prompt = "$ " if fence.group(1) == "console" else ""
            for j in range(i + 2, len(lines)):
                if lines[j].startswith("```"):
                    break
                if lines[j].startswith(prompt + "nekg "):
                    found.append((f"{doc.name}:{j + 1}", lines[j][len(prompt) + 5 :]))
    return found


COMMANDS = runnable_commands()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A folder laid out like a checkout: seeds/ (the seed articles), tests/data, out/ built."""
    root = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "tests" / "data" / "seeds" / "articles", root / "seeds")
    for name in ("aliases.tsv", "reject.tsv"):
        shutil.copy(ROOT / "seeds" / name, root / "seeds" / name)
    (root / "tests").mkdir()
    (root / "tests" / "data").symlink_to(ROOT / "tests" / "data", target_is_directory=True)
    here = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["build"])
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    assert (root / "out" / "graph.ttl").is_file()
    return root


def test_the_docs_mark_enough_commands_runnable():
    commands = {" ".join(shlex.split(line, comments=True)[:1]) for _, line in COMMANDS}
    assert len(COMMANDS) >= 15
    assert {"build", "query", "queries", "html", "export", "validate", "candidates", "eval"} <= (
        commands
    )


@pytest.mark.parametrize(("where", "line"), COMMANDS, ids=[where for where, _ in COMMANDS])
def test_a_runnable_command_uses_only_the_seed_workspace(where, line):
    for arg in shlex.split(line, comments=True):
        if "/" in arg and not arg.startswith(("-", "'", "<", "http")) and " " not in arg:
            assert arg.startswith(ALLOWED), f"{where}: {arg} is outside {', '.join(ALLOWED)}"


@pytest.mark.parametrize(("where", "line"), COMMANDS, ids=[where for where, _ in COMMANDS])
def test_a_runnable_command_works_as_documented(workspace, monkeypatch, where, line):
    monkeypatch.chdir(workspace)
    result = CliRunner().invoke(cli, shlex.split(line, comments=True))
    output = result.output
    assert "Traceback" not in output, f"{where}: nekg {line}\n{output}"
    assert result.exit_code == 0, f"{where}: nekg {line}\nexit {result.exit_code}\n{output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{where}: nekg {line}: {result.exception!r}"
    )
