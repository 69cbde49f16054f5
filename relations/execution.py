"""Run a notebook with papermill, keeping what it had done when it fails, times out or is stopped.

papermill's own engine loses the notebook when a cell times out or the kernel dies (the
exception carries no notebook, and nothing was saved). The engine here attaches the
partly executed notebook and the index of the cell that was running to whatever
exception ends the run, and makes sure the kernel is shut down, also on Ctrl-C.

>>> from relations.execution import cell_label
>>> cell_label(3, "import time\\ntime.sleep(30)")
"cell 3 (starts 'import time')"
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["ENGINE", "cell_label", "execute_quietly", "failed_cell", "partial_of"]

ENGINE = "relations"
#: How kernels are started, here and in :mod:`relations.warm`: their start-up warnings stay out of
#: the user's terminal.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)


def cell_label(index: int | None, source: str) -> str:
    """``cell N (starts '<first line>')`` for messages."""
    if index is None:
        return "the notebook"
    first = (source.strip().splitlines() or [""])[0][:80]
    return f"cell {index} (starts {first!r})"


def failed_cell(nb: Any) -> int | None:
    """Index of the cell with an error output or, failing that, of the last cell started."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    started = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("status", "pending") != "pending"
    ]
    return started[-1] if started else None


def partial_of(exc: BaseException) -> tuple[Any, int | None]:
    """The partly executed notebook and running cell the engine attached to ``exc`` (or None)."""
    return getattr(exc, "relations_partial", None), getattr(exc, "relations_cell", None)


def _cancel_pending() -> None:
    """Cancel what nbclient left running on this thread's event loop when a run ended early
    (a stop signal lands between its awaits): otherwise a task finishes later, when the kernel
    is shut down, and Python prints 'Task exception was never retrieved' with a traceback."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if loop.is_running():
        return
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        with contextlib.suppress(BaseException):  # a second Ctrl-C: the tasks are cancelled anyway
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _stop(client: Any) -> None:
    """Shut the kernel down now if nbclient's own clean-up did not (e.g. a second Ctrl-C)."""
    import inspect

    from jupyter_core.utils import run_sync

    km = getattr(client, "km", None)
    try:
        if km is not None and km.has_kernel:
            pending = km.shutdown_kernel(now=True)
            if inspect.isawaitable(pending):

                async def wait() -> None:
                    await pending

                run_sync(wait)()
    except Exception:  # the kernel is gone already
        pass


def _quiet_logger() -> Any:
    """nbclient's log, kept out of the user's terminal: what it says there ('Timeout waiting for
    execute reply', 'Kernel died while waiting for execute reply') is what the run's own error
    says, in one line, and a batch printed it between its progress lines even with --quiet."""
    import logging

    log = logging.getLogger("relations.nbclient")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    return log


def _register() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    _QUIET = _quiet_logger()

    class RelationsEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(  # type: ignore[override]
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            kwargs = remove_args(["input_path"], **kwargs)
            safe = remove_args(["timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                safe,
                timeout=execution_timeout or kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=_QUIET,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            kc = final.pop("kc", None)
            client = PapermillNotebookClient(nb_man, **final)
            client.kc = kc  # a warm kernel's client, already connected (None: nbclient makes one)
            try:
                return client.execute()  # a warm kernel and its client live on
            except BaseException as exc:
                _cancel_pending()
                _stop(client)
                index = failed_cell(nb_man.nb)
                if index is not None:
                    nb_man.cell_exception(nb_man.nb.cells[index])
                exc.relations_partial, exc.relations_cell = nb_man.nb, index  # type: ignore[attr-defined]
                raise

    papermill_engines.register(ENGINE, RelationsEngine)


@contextlib.contextmanager
def readable_parameters() -> Iterator[None]:
    """Inject string parameters as Python literals a person would write (``'Russia–Iran'``,
    not ``"Russia\\u2013Iran"``), for the duration of one run; papermill's translator is
    put back afterwards.
    """
    from papermill.translators import PythonTranslator, papermill_translators

    class ReadablePythonTranslator(PythonTranslator):
        @classmethod
        def translate_escaped_str(cls, str_val: Any) -> str:
            return repr(str(str_val))

    registry = papermill_translators._translators
    had, before = "python" in registry, registry.get("python")
    papermill_translators.register("python", ReadablePythonTranslator)
    try:
        yield
    finally:
        if had:
            registry["python"] = before
        else:
            registry.pop("python", None)


def execute_quietly(
    notebook: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = False,
    timeout: int | None = 300,
    cwd: str | os.PathLike[str] | None = None,
) -> Any:
    """Execute a notebook with papermill's API, keeping timing and kernel noise out; return it.

    No timing metadata is recorded (published files stay byte-reproducible), the notebook is
    not saved after every cell (that costs about a second; papermill still saves it when a
    cell raises), the local kernel's start-up warnings stay out of the user's terminal, and
    the kernel is stopped at once when the last cell has run (no orderly shutdown to wait for).
    Any exception that ends the run carries the partial notebook (see :func:`partial_of`).
    """
    import papermill as pm
    from papermill.engines import papermill_engines

    from . import warm

    if ENGINE not in papermill_engines._engines:
        _register()
    kernel = warm.active()
    with readable_parameters():
        if kernel is None:
            return _execute(pm, notebook, output, parameters, progress, timeout, cwd)
        try:
            km = kernel.prepare()
            return _execute(pm, notebook, output, parameters, progress, timeout, cwd, km=km, kc=kernel.kc)
        except BaseException:
            kernel.retire()  # an error, a timeout or Ctrl-C: the next notebook gets a new kernel
            raise


def _execute(
    pm: Any, notebook: Any, output: Any, parameters: Any, progress: bool, timeout: Any, cwd: Any, **more: Any
) -> Any:
    return pm.execute_notebook(
        str(notebook),
        str(output),
        parameters=dict(parameters or {}),
        engine_name=ENGINE,
        progress_bar=progress,
        log_output=False,
        record_timing=False,
        request_save_on_cell_execute=False,
        execution_timeout=timeout,
        cwd=str(cwd) if cwd is not None else None,
        extra_arguments=list(KERNEL_ARGUMENTS),
        # every output is in hand when the last cell ends: stop the kernel at once instead of
        # waiting for its orderly shutdown (measured: 0.3-0.4 s of every briefing)
        shutdown_kernel="immediate",
        **more,  # km, kc: a warm kernel (relations.warm) and its client instead of new ones
    )
