"""Serving a build's store over the SPARQL 1.1 protocol with Oxigraph's own server."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from graph.store import StoreError, current


def server_binary() -> Path:
    """The ``oxigraph`` server installed with nekg (beside the Python running it)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise StoreError("the oxigraph server is not installed: `pip install oxigraph` and try again")


def _check_port(bind: str, port: int) -> None:
    """Refuse, in one line, an address the server could not listen on."""
    import socket

    try:
        infos = socket.getaddrinfo(bind, port, type=socket.SOCK_STREAM)
    except OSError:
        raise StoreError(f"--bind {bind}: not an address of this machine, e.g. 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise StoreError(
                f"cannot listen on {bind} port {port}: {exc.strerror or exc}; "
                "give another --port (or --bind)"
            ) from None


def serve_command(
    out: Path | str, *, bind: str = "127.0.0.1", port: int = 7878, writable: bool = False
) -> list[str]:
    """The command line that serves the store in ``out`` over the SPARQL 1.1 protocol."""
    generation = current(out)
    _check_port(bind, port)
    host = f"[{bind}]" if ":" in bind else bind
    mode = "serve" if writable else "serve-read-only"
    return [
        str(server_binary()),
        mode,
        "--location",
        str(generation.oxigraph.resolve()),
        "--bind",
        f"{host}:{port}",
        # the union of the article graphs and the default graph is graph.ttl
        "--union-default-graph",
    ]
