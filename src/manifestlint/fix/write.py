"""Replace a file's contents so that an interrupted run never leaves half of it.

The new bytes go to a temporary file in the same folder, are flushed to disk, take the original's
permissions (and owner, where allowed), and are renamed over it; a symbolic link is followed, so
the link stays a link. The original is re-read first: a file changed since it was linted is left
alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class WriteError(Exception):
    """The file could not be replaced; it is unchanged."""


def replace_contents(path: Path, new: bytes, expected: bytes) -> None:
    """Write ``new`` over ``path`` atomically, provided it still holds ``expected``."""
    target = Path(os.path.realpath(path))
    try:
        if target.read_bytes() != expected:
            raise WriteError("the file changed while manifestlint ran; run it again")
        info = target.stat()
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(exc.strerror or str(exc)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(new)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        with contextlib.suppress(OSError):
            os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, target)
    except BaseException as exc:  # an interrupt too: never leave the temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise WriteError(exc.strerror or str(exc)) from None
        raise
    with contextlib.suppress(OSError):  # the rename itself, on file systems that need it
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
