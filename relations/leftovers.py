"""Temporary folders that name the process that made them, so a later run can clear them.

A briefing killed outright (``kill -9``, a power cut) cannot remove its staging folder in
the output folder or its chart folder in ``$TMPDIR``. Their names therefore carry a
*stamp*, the host and process id (``.briefing_....tmpd-host-1234.x1y2.tmp``), and the next run
removes the folders whose process is gone: on this host only (a folder on a shared disk
may belong to a run elsewhere), and never one whose process still runs.

>>> import os
>>> stamp() == f"{host()}-{os.getpid()}"
True
>>> owner("relations-charts-", "relations-charts-myhost-42-abc1")
('myhost', 42)
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
from pathlib import Path

__all__ = ["CHARTS", "STAGE", "host", "owner", "stamp", "sweep"]

#: Name prefixes of a briefing's temporary folders: the chart folder in ``$TMPDIR`` and, after
#: ``.<briefing>.``, the staging folder in the output folder (each followed by :func:`stamp`).
CHARTS, STAGE = "relations-charts-", "tmpd-"


def host() -> str:
    """This machine's name, reduced to letters, digits and hyphens."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"


def stamp() -> str:
    """``<host>-<pid>`` of this process, for the name of a temporary folder."""
    return f"{host()}-{os.getpid()}"


def owner(prefix: str, name: str) -> tuple[str, int] | None:
    """The ``(host, pid)`` a folder name carries after ``prefix``, or None."""
    found = re.match(re.escape(prefix) + r"(.+)-(\d+)-", name)
    return (found.group(1), int(found.group(2))) if found else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def sweep(folder: Path, prefix: str) -> list[Path]:
    """Remove the folders ``prefix<host>-<pid>-...`` in ``folder`` left by processes of this
    host that are gone; return them."""
    gone = []
    try:
        candidates = list(folder.glob(glob.escape(prefix) + "*"))
    except OSError:
        return gone
    for path in candidates:
        who = owner(prefix, path.name)
        if who and who[0] == host() and not _alive(who[1]) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            gone.append(path)
    return gone
