"""Start-up of the processes the ``relations`` command owns (never run on import).

Importing papermill imports nbformat, which imports ``jsonschema``; when the optional
``rfc3987_syntax`` package is installed (JupyterLab's dependencies bring it),
``jsonschema`` compiles a grammar for the ``iri`` string format at import time,
about 0.8 s on our machines. No notebook schema uses that format, so the command's
own processes mark the module as unavailable before anything imports it: the
``iri`` format is then simply not checked. Library users' processes are left alone.

>>> import sys
>>> skip_unused_imports(modules={"relations_example_unused": None})
['relations_example_unused']
>>> sys.modules["relations_example_unused"] is None
True
>>> del sys.modules["relations_example_unused"]
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

#: Optional modules that are slow to import and that no code path of the command uses.
UNUSED: dict[str, None] = {"rfc3987_syntax": None}


def skip_unused_imports(*, modules: Mapping[str, None] = UNUSED) -> list[str]:
    """Mark ``modules`` as unavailable in this process unless already imported; return those marked."""
    marked = [name for name in modules if name not in sys.modules]
    for name in marked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    return marked
