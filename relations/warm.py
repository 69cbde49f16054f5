"""A kernel kept warm across the briefings of one batch worker (issue 13).

Starting a kernel and importing pandas, matplotlib and relations takes about as long as
running a briefing's cells. A batch worker therefore starts one kernel, imports the library
there once, and runs its share of briefings in it. Before each briefing the kernel is put
back to the state of a fresh one, so a briefing cannot see what an earlier one did:

- every figure is closed and matplotlib's settings (``rcParams``) are restored to those the
  kernel had after start-up;
- IPython's namespace, history and output cache are reset with a new session, so cell
  execution counts start again at 1 (the executed notebooks are byte-identical to those of
  a fresh kernel).

A briefing that fails (an error, a timeout, a dead kernel) retires the kernel: the next
briefing starts a new one. :func:`use` makes a warm kernel the one
:func:`relations.execution.execute_quietly` runs in, for the current process only:

>>> from relations import warm
>>> warm.active() is None
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["WarmKernel", "active", "use"]

#: Run once after start-up: the imports every briefing needs, and the settings to return to.
WARM_UP = """\
import matplotlib as _mpl
import matplotlib.pyplot as _plt
import relations, relations.briefing, relations.plot, relations.warm as _warm
_warm.PRISTINE_RC = dict(_mpl.rcParams)
del _mpl, _plt, _warm
"""
#: Run before every briefing: back to the state of a fresh kernel (imports stay loaded).
RESET = """\
import matplotlib as _mpl
import matplotlib.pyplot as _plt
import relations.warm as _warm
_plt.close("all")
_mpl.rcParams.update(_warm.PRISTINE_RC)
get_ipython().reset(new_session=True, aggressive=False)
"""
PRISTINE_RC: dict[str, Any] = {}  # filled inside the kernel by WARM_UP
_ACTIVE: WarmKernel | None = None


class WarmKernel:
    """One IPython kernel (the ``python3`` kernelspec) reused for several notebooks."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: int = 60) -> None:
        self.kernel_name, self.startup_timeout = kernel_name, startup_timeout
        self.km: Any = None
        self.runs = 0

    def prepare(self) -> Any:
        """The kernel manager of a kernel reset for the next notebook (started if needed)."""
        if self.km is not None and not self._alive():
            self.shutdown()
        if self.km is None:
            self._start()
        else:
            self._run(RESET)
        return self.km

    def retire(self) -> None:
        """Stop the kernel after a failed run: the next notebook gets a new one."""
        self.shutdown()

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        if km is not None:
            with contextlib.suppress(Exception):  # already gone
                run_sync(km.shutdown_kernel)(now=True)

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:
            return False

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(km.start_kernel)(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        self.km = km
        try:
            self._run(WARM_UP)
        except BaseException:
            self.shutdown()
            raise

    def _run(self, code: str) -> None:
        from jupyter_client import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_info(self.km.get_connection_info())
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=self.startup_timeout)
            reply = kc.execute_interactive(
                code,
                silent=True,
                store_history=False,
                timeout=self.startup_timeout,
                output_hook=lambda m: None,
            )
        finally:
            kc.stop_channels()
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(
                f"the warm kernel could not be reset: {content.get('ename')}: {content.get('evalue')}"
            )


def active() -> WarmKernel | None:
    """The warm kernel notebooks run in, in this process (None: a new kernel each time)."""
    return _ACTIVE


@contextlib.contextmanager
def use(kernel: WarmKernel | None = None) -> Iterator[WarmKernel]:
    """Run this process's notebooks in one warm kernel until the block ends, then stop it."""
    global _ACTIVE
    kernel = kernel or WarmKernel()
    before, _ACTIVE = _ACTIVE, kernel
    try:
        yield kernel
    finally:
        _ACTIVE = before
        kernel.shutdown()
