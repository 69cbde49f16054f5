"""Stop signals during a briefing: turned into exceptions, and remembered in case one is lost.

The command's handlers (:mod:`relations.cli_briefings`) raise :class:`Interrupted` for SIGTERM
and SIGHUP (Ctrl-C raises ``KeyboardInterrupt``), so clean-up code runs, and append the signal
to :data:`STOPPED`; :func:`honour_stop` raises again before anything is published.

>>> STOPPED.clear(); honour_stop()  # nothing received: nothing raised
"""

from __future__ import annotations

__all__ = ["STOPPED", "Interrupted", "honour_stop"]


class Interrupted(KeyboardInterrupt):
    """A termination signal (e.g. SIGTERM) turned into an exception, so clean-up code runs."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"signal {signum}")


#: Signals received while a briefing runs (filled by the command's handlers). An exception
#: raised by a handler can be lost when the signal lands inside a finaliser (Python prints and
#: ignores it), so the run checks this list again before it publishes anything.
STOPPED: list[int] = []


def honour_stop() -> None:
    """Raise for a stop signal received earlier, even if its exception was lost."""
    import signal

    if STOPPED:
        if STOPPED[0] == signal.SIGINT:
            raise KeyboardInterrupt
        raise Interrupted(STOPPED[0])
