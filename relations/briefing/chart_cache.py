"""Charts drawn ahead, on the free core, while the kernel runs a briefing (issue 13).

While ``relations brief`` waits for its kernel, the command's own process is idle. On a
machine with a core to spare beside the command and the kernel (:func:`worth_it`: three or
more CPUs, not busy; on two cores it was measured to cost time) the command starts a
*prefetcher*: a second Python process that builds the same briefing with the same
parameters, sections in reverse order, and saves
every chart it draws as a PNG file in a private folder for this one run. The kernel draws
from the front; before drawing a chart it looks for that chart's file and takes the PNG
from there when the prefetcher got to it first. Each side skips a chart the other has
already saved, so they meet in the middle.

The file name is a digest of what the chart draws (the helper's name and the content of
its arguments, not their memory layout), so a file is only ever used for exactly the chart
it was drawn for (categories in their order included), and only while matplotlib's
settings are those the process started with (:func:`settled`; a notebook that restyles
matplotlib draws its own charts). Both processes draw with the same code, data and
settings, and the PNG bytes are the same whoever drew them (``tests/test_chart_cache.py``):
the briefing is byte-identical with or without the prefetcher. A prefetcher that fails or is
slow costs nothing but the core it used: the kernel simply draws what is not there.

Nothing is cached unless :data:`ENV` names a folder (``relations brief`` sets it for its
own kernel only), and the folder is deleted when the run ends.

>>> key("activity", ([1, 2],), {"freq": "Q"}) == key("activity", ([1, 2],), {"freq": "Q"})
True
>>> key("activity", ([1, 2],), {"freq": "Q"}) == key("activity", ([1, 3],), {"freq": "Q"})
False
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["ENV", "SWITCH", "folder", "key", "lookup", "prefetcher", "settled", "store", "worth_it"]

#: The environment variable naming this run's chart folder (set for the kernel only).
ENV = "RELATIONS_CHART_CACHE"


def folder() -> Path | None:
    """This process's chart folder, or None (no caching)."""
    value = os.environ.get(ENV, "")
    return Path(value) if value else None


def _canonical(value: Any) -> Any:
    """The content of ``value`` in a form whose pickle does not depend on memory layout."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        columns = [str(c) for c in value.columns]
        return ("frame", columns, _canonical(value.index), [_canonical(value[c]) for c in value.columns])
    if isinstance(value, pd.Series):
        index, values = _canonical(value.index), _canonical(value.tolist())
        return ("series", str(value.name), _dtype(value.dtype), index, values)
    if isinstance(value, pd.Index):
        return ("index", _dtype(value.dtype), _canonical(value.tolist()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_canonical(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(str(k), _canonical(v)) for k, v in value.items()])
    return value


def _dtype(dtype: Any) -> Any:
    """A dtype's name, with the categories and their order for a categorical one (the order
    decides how a chart stacks and colours them)."""
    categories = getattr(dtype, "categories", None)
    if categories is None:
        return str(dtype)
    return (str(dtype), bool(dtype.ordered), _canonical(list(categories)))


def settled() -> bool:
    """Whether matplotlib's settings are those this process started with (recorded in
    :data:`relations.warm.PRISTINE_RC`): only then may a chart be taken from or given to the
    folder. A notebook that restyles matplotlib gets every chart drawn in its own style."""
    import matplotlib

    from .. import warm

    return bool(warm.PRISTINE_RC) and dict(matplotlib.rcParams) == warm.PRISTINE_RC


def key(fn_name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
    """A digest of the chart: the plot helper's name and the content of its arguments."""
    content = (fn_name, _canonical(list(args)), _canonical(dict(sorted(kwargs.items()))))
    return hashlib.sha256(pickle.dumps(content, protocol=4)).hexdigest()


def lookup(digest: str) -> bytes | None:
    """The PNG saved for ``digest`` in this run's folder, if any."""
    where = folder()
    if where is None:
        return None
    try:
        return (where / f"{digest}.png").read_bytes()
    except OSError:
        return None


def store(digest: str, png: bytes) -> None:
    """Save a chart's PNG (atomically: a reader sees the whole file or none)."""
    where = folder()
    if where is None:
        return
    with contextlib.suppress(OSError):  # a full or vanished folder costs only the saving
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            f.write(png)
        os.replace(tmp, where / f"{digest}.png")


#: ``auto`` (default): draw ahead when a core is free; ``on``/``off``: always/never.
SWITCH = "RELATIONS_CHART_PREFETCH"


def worth_it() -> bool:
    """Whether to start a prefetcher: a core must be free for it beside the command and its
    kernel (three or more usable CPUs, and the load of the last minute at least two below
    them). Measured on two cores, a prefetcher cost 0.1–0.4 s a briefing: the command's own
    work and the kernel's start already fill both. ``$RELATIONS_CHART_PREFETCH`` (on/off)
    overrides it."""
    switch = os.environ.get(SWITCH, "auto").strip().lower()
    if switch in ("on", "off"):
        return switch == "on"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    return usable >= 3 and load <= usable - 2


@contextlib.contextmanager
def prefetcher(parameters: Mapping[str, Any], where: Path) -> Iterator[subprocess.Popen[bytes] | None]:
    """Run the prefetcher for ``parameters`` into ``where`` until the block ends, then stop it."""
    keep = ("start", "end", "domains", "title", "data_dir", "length", "since")
    spec = json.dumps({k: parameters[k] for k in keep if k in parameters})
    try:
        proc = subprocess.Popen(
            # -P: the working folder is not put on the import path (a relations.py there is not run)
            [sys.executable, "-P", "-c", _LAUNCH, spec, str(where), str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, ENV: str(where)},
            start_new_session=True,  # a Ctrl-C meant for the command is the command's to handle
        )
    except OSError:  # no process to spare: the kernel draws everything
        proc = None
    try:
        yield proc
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()


#: How the prefetcher starts: before importing anything heavy it asks Linux to kill it when
#: the command dies (``PR_SET_PDEATHSIG``), even by SIGKILL, and ends if that already happened.
_LAUNCH = """\
import ctypes, os, runpy, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, 9)
except Exception:
    pass
if os.getppid() == int(sys.argv[3]):  # else the command is gone already
    sys.argv[0] = "relations-chart-prefetcher"
    runpy.run_module("relations.briefing.chart_cache", run_name="__main__")
"""


def _main(spec: str) -> None:
    """The prefetcher: build the briefing's sections in reverse order, saving their charts."""
    import matplotlib

    matplotlib.use("Agg")
    from .. import warm
    from . import Briefing, section_names

    warm.PRISTINE_RC = dict(matplotlib.rcParams)

    b = Briefing.from_parameters(**json.loads(spec))
    for name in reversed(section_names()):
        b.section(name)


if __name__ == "__main__":
    _main(sys.argv[1])
