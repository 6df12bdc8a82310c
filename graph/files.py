"""Atomic file writes: an interrupted run never leaves a half-written output.

:func:`atomic_write` replaces one file. :func:`replace_outputs` replaces a build's set of
files together: they are written into a hidden staging folder inside the output folder,
and only once every one of them is complete are they moved over the old ones. A run
that was killed leaves at most that hidden folder, which the next run into the same
folder cleans up (or finishes moving in, if it was complete); files in the folder that
nekg did not write are never touched.


:func:`write_output` writes what the user asked for with ``-o``: ``-`` to standard output, a FIFO
or a device such as ``/dev/null`` written into (never replaced by a regular file), anything
else replaced atomically.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from graph.errors import GraphError

# Hidden folders inside an output folder: one being written, one complete and being moved in.
STAGING_PREFIX = ".nekg-staging-"
READY_PREFIX = ".nekg-ready-"
STDOUT = "-"

_HINTS = {
    errno.ENOSPC: "free some disk space or write elsewhere with -o",
    errno.EDQUOT: "free some space within your quota or write elsewhere with -o",
    errno.EFBIG: "the file is bigger than this system allows; write elsewhere with -o",
    errno.EACCES: "check the folder's permissions or write elsewhere with -o",
    errno.EPERM: "check the folder's permissions or write elsewhere with -o",
    errno.EROFS: "the file system is read-only; write elsewhere with -o",
}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_error(path: Path, exc: OSError, *, left: Path | None = None) -> GraphError:
    """One line naming the file that could not be written and how to fix it."""
    reason = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno or 0)
    text = f"{path}: cannot write: {reason}"
    if hint:
        text += f"; {hint}"
    if left is not None:
        text += f"; {left} left as it was"
    return GraphError(text)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_synced(path: Path, payload: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())


def atomic_write(path: Path | str, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A failed write (a full disk, say) raises :class:`GraphError` naming ``path``. A file
    that is replaced keeps its permissions; a new one gets what a plain open() would.

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
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _write_error(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so that two runs never write into it at once."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        # Some network file systems cannot lock; writing unlocked is what they always got.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _move_in(ready: Path, out: Path) -> list[Path]:
    """Move every file of the complete staging folder ``ready`` over its namesake in ``out``."""
    moved = []
    for item in sorted(ready.iterdir()):
        os.replace(item, out / item.name)
        moved.append(out / item.name)
    _fsync_dir(out)
    ready.rmdir()
    return moved


def _tidy(out: Path, names: tuple[str, ...]) -> None:
    """Finish or remove what an interrupted run left in ``out``.

    A complete staging folder is moved in (so the folder again holds one run's files);
    an incomplete one is deleted, and so are the temporary files of :func:`atomic_write`
    for the output ``names``.
    """
    leftovers = sorted(p for p in out.iterdir() if p.name.startswith(READY_PREFIX))
    for ready in leftovers:
        if ready.is_dir():
            _move_in(ready, out)
    for item in out.iterdir():
        if item.name.startswith(STAGING_PREFIX) and item.is_dir():
            shutil.rmtree(item, ignore_errors=True)
        elif item.is_file() and any(
            item.name.startswith(f".{name}.") and item.name.endswith(".tmp") for name in names
        ):
            item.unlink(missing_ok=True)


def recover(out: Path | str, names: tuple[str, ...] = ()) -> None:
    """Clean up what a run killed while writing into ``out`` left behind.

    A complete set of new files waiting to be moved in is moved in; an incomplete one is
    deleted, and so are stray temporary files of the outputs ``names``. Every run of
    :func:`replace_outputs` does this first.
    """
    out = Path(out)
    if out.is_dir():
        with _locked(out):
            _tidy(out, names)


def replace_outputs(out: Path | str, outputs: Mapping[str, str | bytes]) -> list[Path]:
    """Replace the files ``outputs`` (name → content) in the folder ``out`` together.

    All files are written into a staging folder inside ``out`` first; only when every one
    is complete are they moved over the old ones, so ``out`` never holds files from two
    different runs, and a failure (a full disk, say) leaves it as it was. Leftovers of an
    interrupted earlier run are cleaned up first. Other files in ``out`` are left alone.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> [p.name for p in replace_outputs(out, {"a.ttl": "x", "a.html": b"y"})]
    ['a.ttl', 'a.html']
    >>> sorted(p.name for p in out.iterdir())
    ['a.html', 'a.ttl']
    """
    out = Path(out)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(out, exc) from None
    names = tuple(outputs)
    staging: Path | None = None
    try:
        with _locked(out):
            _tidy(out, names)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
            os.chmod(staging, 0o777 & ~_umask())
            for name, data in outputs.items():
                path = staging / name
                try:
                    _write_synced(path, data.encode("utf-8") if isinstance(data, str) else data)
                    os.chmod(path, 0o666 & ~_umask())
                except OSError as exc:
                    raise _write_error(out / name, exc, left=out) from None
            # Renaming the folder marks it complete: from here on the new files win.
            ready = staging.with_name(READY_PREFIX + staging.name[len(STAGING_PREFIX) :])
            os.rename(staging, ready)
            staging = None
            _fsync_dir(out)
            moved = {p.name: p for p in _move_in(ready, out)}
    except OSError as exc:
        raise _write_error(out, exc, left=out) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            if created:
                with contextlib.suppress(OSError):
                    out.rmdir()
    return [moved[name] for name in names]


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
