from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS

from graph.cli import cli

COMMANDS = sorted(cli.commands)


def test_cli_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if not re.search(rf"`nekg {name}\b", readme)]
    assert not missing, f"commands missing from README's CLI reference: {missing}"


def test_cli_readme_lists_no_command_that_does_not_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `nekg ([a-z-]+)", table, flags=re.M))
    assert listed == set(COMMANDS)


def test_cli_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_help_for_every_command(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name}" in result.output or "Usage:" in result.output
    assert len(result.output.strip().splitlines()) >= 3


def test_cli_top_level_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def _one_line_error(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"bin.txt": b"\x00\x01\x02\x03PK"}, "bin.txt: looks binary"),
        ({"empty.txt": b""}, "empty.txt: file is empty"),
        ({"latin.txt": b"caf\xe9 au lait \x81 "}, "latin.txt: cannot be decoded"),
        ({"n.jsonl": b'{"text": "ok"}\n{oops\n'}, "n.jsonl:2: is not valid JSON"),
    ],
)
def test_cli_build_bad_input_is_one_line(tmp_path, files, expected):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    line = _one_line_error(result)
    assert line.startswith("Error: ")
    assert expected in line
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_cli_build_missing_input_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert "no such file or folder" in _one_line_error(result)


def test_cli_build_gbk_and_binary_folder(tmp_path):
    (tmp_path / "gbk.txt").write_bytes("中创新航总部位于常州市金坛区。".encode("gbk"))
    (tmp_path / "junk.txt").write_bytes(b"\x00\xff\x00\xfe")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1
    assert "junk.txt: looks binary" in result.output
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(out), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "warning: skipped" in result.output
    assert (out / "graph.ttl").is_file()
    assert re.search(r"^1 articles", result.output, flags=re.M)


def test_cli_build_seeds_prints_what_it_wrote(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'graph.ttl'}" in result.output
    summary = result.output.strip().splitlines()[-1]
    assert re.match(
        r"5 articles.*, \d+ sentences, \d+ entities, \d+ relations in \d+\.\d s$", summary
    )


def test_cli_python_dash_m_works():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "graph", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("nekg, version")


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    """A build of the test copy of the seed articles: its output folder."""
    from graph import pipeline

    out = tmp_path_factory.mktemp("build") / "out"
    pipeline.build([ROOT / "tests" / "data" / "seeds" / "articles"], out)
    return out


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "{out}"],
        ["export", "--graph", "{out}", "--format", "nt", "-o", "-"],
        ["eval", "{gold}", "--graph", "{out}"],
        ["query", "--graph", "{out}", "ASK { ?s ?p ?o }"],
        ["html", "--graph", "{out}", "-o", "-"],
    ],
    ids=lambda a: a[0],
)
def test_cli_every_command_takes_a_build_folder_as_its_graph(seed_build, args):
    gold = ROOT / "tests" / "data" / "seeds"
    argv = [a.replace("{out}", str(seed_build)).replace("{gold}", str(gold)) for a in args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
