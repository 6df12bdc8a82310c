"""Writing outputs: regular files atomically, special files in place, ``-`` to stdout.

An interrupted run never leaves a half-written regular file; a FIFO or a device such
as ``/dev/null`` is written into, never replaced by a regular file.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

STDOUT = "-"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path | str, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A file that is replaced keeps its permissions; a new one gets what a plain open() would.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
    >>> atomic_write(target, "@prefix : <x#> .").read_text()
    '@prefix : <x#> .'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; give it the mode the file had or would get.
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def is_stdout(path: Path | str) -> bool:
    """Whether ``path`` means standard output (``-``; ``./-`` names a file)."""
    return isinstance(path, str) and path == STDOUT


def write_output(path: Path | str, data: str | bytes) -> Path | str:
    """Write an output where the user asked for it; return ``path``.

    - ``"-"`` (the string, as riot, rdfpipe and roqet read it) writes to standard output;
    - an existing FIFO, character or block device or socket is written into as it is;
    - anything else (a regular file, new or existing) is replaced atomically; a symbolic
      link keeps pointing where it did and its target is replaced.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "real.txt").write_text("old")
    >>> (folder / "link.txt").symlink_to("real.txt")
    >>> _ = write_output(folder / "link.txt", "new")
    >>> (folder / "link.txt").is_symlink(), (folder / "real.txt").read_text()
    (True, 'new')
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if is_stdout(path):
        sys.stdout.flush()  # whatever was printed as text comes first
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return path
    target = Path(path)
    try:
        mode = target.stat().st_mode  # follows symbolic links
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        with target.open("wb") as handle:
            handle.write(payload)
        return path
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    atomic_write(target, payload)
    return path
