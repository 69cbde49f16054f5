"""Export an executed briefing notebook as one self-contained HTML page without code.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Key developments")])
>>> "Key developments" in to_html(nb, title="T")
True
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

__all__ = ["TEMPLATES", "describe_images", "to_html"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


def describe_images(nb: Any) -> None:
    """Give every image output an ``alt`` text: the heading of the section it stands in."""
    heading = "Chart"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    heading = line.lstrip("#").strip() or heading
            continue
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                meta = out.setdefault("metadata", {}).setdefault("image/png", {})
                meta.setdefault("alt", f"Chart: {heading}")


def to_html(nb: Any, *, title: str) -> str:
    """Export an executed notebook as a self-contained HTML page without code."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _exporter_class()(
        template_name="briefing",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"parameters", "injected-parameters"}),
        enabled=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


@functools.cache
def _exporter_class() -> type:
    """nbconvert's HTML exporter without its final BeautifulSoup pass.

    That pass (0.4 s per briefing) only adds a placeholder ``alt`` to images without one
    and ``tabindex`` to cells; our template writes the ``alt`` from the section heading
    (see :func:`describe_images`) and the outputs' ``tabindex`` itself.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefingExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[override]
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BriefingExporter
