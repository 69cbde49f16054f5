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
import os
import subprocess
from collections.abc import Iterator, Mapping
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
DIED = "the kernel died while starting (killed or out of memory)"
PRISTINE_RC: dict[str, Any] = {}  # filled inside the kernel by WARM_UP
_ACTIVE: WarmKernel | None = None


class WarmKernel:
    """One IPython kernel (the ``python3`` kernelspec) reused for several notebooks."""

    def __init__(
        self, kernel_name: str = "python3", startup_timeout: int = 60, env: Mapping[str, str] | None = None
    ) -> None:
        self.kernel_name, self.startup_timeout = kernel_name, startup_timeout
        self.env = dict(env or {})  #: added to the kernel's environment
        self.km: Any = None
        self.kc: Any = None  #: the kernel's client, connected once (an AsyncKernelClient)
        self._pending: str | None = None  # the msg id of a warm-up still running

    def start(self) -> WarmKernel:
        """Launch the kernel and send it the warm-up imports, without waiting for either: the
        caller goes on with its own work while the kernel starts (see :meth:`prepare`)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from .execution import KERNEL_ARGUMENTS

        self.shutdown()
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        # PYTHONSAFEPATH: the kernel's working folder is not put on its import path, so a file
        # named relations.py (or pandas.py) there cannot replace the library
        env = {**os.environ, "PYTHONSAFEPATH": "1", **self.env}
        # the kernel's own stderr stays out of the terminal: what it says there (a heartbeat
        # port taken by another program at start-up, a thread's traceback) is not the user's
        # to read, and a kernel that dies is reported by the run in one line
        run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGUMENTS), env=env, stderr=subprocess.DEVNULL)
        self.km = km
        # one client for the kernel's whole life: the warm-up, every reset and every notebook
        # (nbclient is handed it), so no briefing pays for connecting and waiting for a new one
        self.kc = km.client()
        self.kc.allow_stdin = False
        self.kc.start_channels()
        self._pending = self.kc.execute(WARM_UP + RESET, silent=True, store_history=False)
        return self

    def prepare(self) -> Any:
        """The kernel manager of a kernel in a fresh kernel's state, for the next notebook
        (started and warmed up if needed; waits for a warm-up still running). Its client,
        already connected, is :attr:`kc`."""
        if self.km is not None and self._pending is None and not self._alive():
            self.shutdown()
        if self.km is None:
            self.start()
        try:
            if self._pending is not None:
                msg_id, self._pending = self._pending, None
                self._reply(msg_id, starting=True)  # the warm-up ends with a reset
            else:
                self._reply(self.kc.execute(RESET, silent=True, store_history=False), starting=False)
        except BaseException:
            self.shutdown()
            raise
        return self.km

    def retire(self) -> None:
        """Stop the kernel after a failed run: the next notebook gets a new one."""
        self.shutdown()

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        self._pending = None
        kc, self.kc = self.kc, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
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

    def _reply(self, msg_id: str, *, starting: bool) -> None:
        """Wait for the kernel's reply to ``msg_id`` and check it; a kernel that dies or does
        not answer within ``startup_timeout`` raises at once."""
        import queue
        import time

        from jupyter_core.utils import run_sync

        get = run_sync(self.kc._async_get_shell_msg)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                reply = get(timeout=0.5)
            except queue.Empty:
                if not self._alive():
                    raise RuntimeError(DIED if starting else "the warm kernel died") from None
                if time.monotonic() > deadline:
                    what = "start" if starting else "answer"
                    raise RuntimeError(f"the kernel did not {what} within {self.startup_timeout} s") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        _check(reply)


def _check(reply: dict[str, Any]) -> None:
    content = reply["content"]
    if content.get("status") != "ok":
        raise RuntimeError(
            f"the warm kernel could not be prepared: {content.get('ename')}: {content.get('evalue')}"
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
