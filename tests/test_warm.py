"""A warm kernel (relations.warm) runs several notebooks as if each had a fresh kernel."""

from __future__ import annotations

import hashlib

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from relations import warm
from relations.execution import execute_quietly
from relations.render import render_briefing

pytestmark = pytest.mark.notebooks


def _notebook(path, *sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _text(nb):
    return "".join(o.get("text", "") for c in nb.cells for o in c.outputs if o.get("output_type") == "stream")


def test_a_later_notebook_sees_nothing_an_earlier_one_left_in_the_same_kernel(tmp_path):
    first = _notebook(
        tmp_path / "first.ipynb",
        "import os, matplotlib as mpl, matplotlib.pyplot as plt\nprint(os.getpid())",
        "leftover = 41\nmpl.rcParams['lines.linewidth'] = 7.5\nfig = plt.figure()",
    )
    second = _notebook(
        tmp_path / "second.ipynb",
        "import os, matplotlib as mpl, matplotlib.pyplot as plt\nprint(os.getpid())",
        "print('leftover' in globals(), mpl.rcParams['lines.linewidth'], len(plt.get_fignums()))",
    )
    with warm.use():
        a = execute_quietly(first, tmp_path / "a.ipynb")
        b = execute_quietly(second, tmp_path / "b.ipynb")
    pid_a, pid_b = _text(a).split()[0], _text(b).split()[0]
    assert pid_a == pid_b, "both notebooks ran in one kernel"
    assert _text(b).splitlines()[1] == "False 1.5 0"  # no variable, default rcParams, no figure
    assert [c.execution_count for c in b.cells] == [1, 2], "counts start again at 1"


def test_a_failed_notebook_retires_the_kernel(tmp_path):
    boom = _notebook(tmp_path / "boom.ipynb", "import os\nprint(os.getpid())", "raise RuntimeError('boom')")
    ok = _notebook(tmp_path / "ok.ipynb", "import os\nprint(os.getpid())")
    with warm.use() as kernel:
        with pytest.raises(Exception, match="boom"):
            execute_quietly(boom, tmp_path / "a.ipynb")
        assert kernel.km is None
        b = execute_quietly(ok, tmp_path / "b.ipynb")
    assert _text(b).strip().isdigit()
    assert warm.active() is None


@pytest.mark.slow
def test_a_briefing_in_a_warm_kernel_is_byte_identical_to_one_in_a_fresh_kernel(tmp_path):
    params = {"start": "2025-01-01", "end": "2025-03-31"}
    cold = render_briefing(params, output_dir=tmp_path / "cold")
    with warm.use():
        render_briefing(
            {"start": "2024-01-01", "end": "2024-12-31", "domains": ["arms"]}, output_dir=tmp_path / "w"
        )
        hot = render_briefing(params, output_dir=tmp_path / "warm")
    for kind in ("html", "ipynb"):
        a, b = (hashlib.sha256(r.outputs[kind].read_bytes()).hexdigest() for r in (cold, hot))
        assert a == b, f"{kind} differs between a fresh and a warm kernel"


def test_a_kernel_that_dies_while_warming_up_is_reported_at_once(tmp_path):
    import os
    import signal
    import time

    nb = _notebook(tmp_path / "ok.ipynb", "print(1)")
    kernel = warm.WarmKernel(startup_timeout=60).start()
    os.kill(kernel.km.provisioner.process.pid, signal.SIGKILL)
    t0 = time.perf_counter()
    with warm.use(kernel), pytest.raises(RuntimeError, match="the kernel died while starting"):
        execute_quietly(nb, tmp_path / "out.ipynb")
    assert time.perf_counter() - t0 < 15, "noticed within seconds, not after the 60 s start-up timeout"
