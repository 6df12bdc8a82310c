"""``nekg build --dask``: the same bytes on Dask workers as in one process, and clean failures.

The clusters are real: a LocalCluster of worker processes that ``--dask local`` starts, and a
``dask scheduler`` with two ``dask worker`` processes started here on free ports, as they
would run on several machines.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle  # installed with dask.distributed
import dask
import distributed
import pytest
from click.testing import CliRunner
from conftest import SEEDS

import graph
from graph import dask_build
from graph.cli import cli

OUTPUTS = ("graph.ttl", "graph.graphml", "graph.html")
PREVIOUS = "# the previous build\n"


def _build(out: Path, *options: str):
    return CliRunner().invoke(cli, ["build", str(SEEDS), "-o", str(out), "--no-validate", *options])


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _one_line_error(result, says: str) -> None:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert says in errors[0], errors[0]
    assert "Traceback" not in result.output


def _previous_output(out: Path) -> Path:
    out.mkdir()
    (out / "graph.ttl").write_text(PREVIOUS, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def in_one_process(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("jobs1") / "out"
    result = _build(out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return _outputs(out)


def test_local_cluster_of_two_workers_writes_the_same_bytes(in_one_process, tmp_path):
    out = tmp_path / "out"
    result = _build(out, "--dask", "local", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "5 articles" in result.output
    for name, expected in in_one_process.items():
        assert (out / name).read_bytes() == expected, f"{name} differs from --jobs 1"


@pytest.fixture
def scheduler_and_workers(tmp_path):
    """A `dask scheduler` and two `dask worker` processes on free ports; killed after."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask_cli = [sys.executable, "-m", "dask"]
    quiet = ["--no-dashboard"]
    commands = [
        [*dask_cli, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], *quiet]
    ] + [
        [
            *dask_cli,
            "worker",
            address,
            "--nthreads",
            "1",
            "--no-nanny",
            "--host",
            "127.0.0.1",
            *quiet,
        ]
        for _ in range(2)
    ]
    processes = []
    try:
        for command in commands:
            log = (tmp_path / f"{command[3]}-{len(processes)}.log").open("wb")
            processes.append(
                subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
            )
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            yield address, client
    finally:
        for process in processes:  # single processes (no nanny): nothing is left behind
            process.kill()
            process.wait()


@pytest.fixture
def split_seeds(tmp_path) -> tuple[Path, Path]:
    """The seed articles as two folders with their manifest rows: all but the last, the last."""
    lines = (SEEDS / "manifest.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    folders = (tmp_path / "first", tmp_path / "last")
    for folder, part in zip(folders, (rows[:-1], rows[-1:]), strict=True):
        folder.mkdir()
        (folder / "manifest.tsv").write_text(header + "".join(part), encoding="utf-8")
        for row in part:
            name = row.split("\t", 1)[0]
            (folder / name).write_bytes((SEEDS / name).read_bytes())
    return folders


def test_scheduler_and_worker_processes_build_and_add_the_same_bytes(
    in_one_process, scheduler_and_workers, split_seeds, tmp_path
):
    address, client = scheduler_and_workers
    first, last = split_seeds
    out = tmp_path / "out"
    with distributed.get_task_stream(client) as stream:
        built = CliRunner().invoke(
            cli, ["build", str(first), "-o", str(out), "--no-validate", "--dask", address]
        )
        assert built.exit_code == 0, built.output
        assert "4 articles" in built.output
        added = CliRunner().invoke(
            cli, ["add", str(last), "-o", str(out), "--no-validate", "--dask", address]
        )
        assert added.exit_code == 0, added.output
    for name, expected in in_one_process.items():
        assert (out / name).read_bytes() == expected, f"{name} differs from --jobs 1"
    chunks = [task for task in stream.data if task["key"].startswith("_recognize_chunk")]
    assert len(chunks) == 5  # one per article: fewer articles than chunks asked for
    assert {task["worker"] for task in chunks} == set(client.nthreads())  # both took some


def test_an_unreachable_scheduler_is_a_one_line_error_and_keeps_the_output(tmp_path, monkeypatch):
    monkeypatch.setattr(dask_build, "CONNECT_TIMEOUT", 2.0)
    out = _previous_output(tmp_path / "out")
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there any more
    started = time.monotonic()
    result = _build(out, "--dask", address)
    assert time.monotonic() - started < 60
    _one_line_error(result, f"cannot reach the Dask scheduler at '{address}'")
    assert "dask scheduler" in result.output
    assert (out / "graph.ttl").read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]


def _dies(name, articles):
    os._exit(1)  # as the kernel's OOM killer would end the worker: no exception, no cleanup


def test_a_worker_that_dies_is_a_one_line_error_and_keeps_the_output(tmp_path, monkeypatch):
    # The function goes to the worker by value (the worker cannot import this test module).
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    monkeypatch.setattr(dask_build, "_recognize_chunk", _dies)
    out = _previous_output(tmp_path / "out")
    try:
        # The scheduler of --dask local runs in this process: give up on the first death.
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            result = _build(out, "--dask", "local", "--jobs", "1")
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    _one_line_error(result, "died while recognizing articles")
    assert (out / "graph.ttl").read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]


def test_without_distributed_dask_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.delitem(sys.modules, "graph.dask_build")
    monkeypatch.delattr(graph, "dask_build")
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    out = tmp_path / "out"
    result = _build(out, "--dask", "local")
    _one_line_error(result, "pip install 'nekg[dask]'")
    assert not out.exists()


BAD_OPTIONS = [
    # options                                    what the usage error says
    (["--dask", "tcp://127.0.0.1:8786", "--jobs", "2"], "--jobs sets the workers of --dask local"),
    (["--dask", " "], "--dask needs a scheduler address"),
]


@pytest.mark.parametrize(("options", "says"), BAD_OPTIONS, ids=["jobs-with-address", "blank"])
def test_bad_dask_options_are_one_line_usage_errors(tmp_path, options, says):
    out = tmp_path / "out"
    result = _build(out, *options)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert says in errors[0]
    assert not out.exists()
