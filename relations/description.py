"""What a table holds: :func:`describe` gives its title, fields and provenance.

The result prints as readable text and shows as an HTML table in a notebook (every
value from the data package is escaped).

>>> import relations
>>> info = relations.describe("events")
>>> print(str(info).splitlines()[0])  # doctest: +ELLIPSIS
Events (events: .../events.csv)
>>> "<table" in info._repr_html_()
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment

__all__ = ["TableDescription", "describe"]

_HTML = Environment(autoescape=True).from_string(
    """<div class="relations-description">
<h4>{{ d.title }} <code>{{ d.name }}</code></h4>
<p>{{ d.description }}</p>
<p><b>File:</b> <code>{{ d.path }}</code><br>
<b>Primary key:</b> {{ d.primary_key | join(", ") }}<br>
{% if d.foreign_keys %}<b>References:</b> {{ d.foreign_keys | join("; ") }}<br>{% endif %}
<b>Licence:</b> {{ d.licence }}</p>
{% if d.provenance %}<ul>
{% for key, value in d.provenance.items() %}<li>{{ key | replace("_", " ") | capitalize }}: {{ value }}</li>
{% endfor %}</ul>{% endif %}
<table>
<thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Allowed</th><th>Description</th></tr></thead>
<tbody>
{% for f in fields %}<tr><td><code>{{ f.name }}</code></td><td>{{ f.type }}</td>
<td>{{ "required" if f.required else "optional" }}</td><td>{{ f.allowed }}</td>
<td>{{ f.description }}</td></tr>
{% endfor %}</tbody>
</table>
</div>"""
)


@dataclass(repr=False)
class TableDescription:
    """Title, description, fields and provenance of one table.

    ``str()`` and ``repr()`` give readable text; notebooks show :meth:`_repr_html_`.
    """

    name: str
    title: str
    description: str
    path: Path
    fields: pd.DataFrame
    primary_key: list[str]
    foreign_keys: list[str]
    licence: str
    curation: str
    provenance: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [f"{self.title} ({self.name}: {self.path})", "", self.description, ""]
        lines.append(f"Primary key: {', '.join(self.primary_key)}")
        if self.foreign_keys:
            lines.append("References: " + "; ".join(self.foreign_keys))
        lines.append(f"Licence: {self.licence}")
        for k, v in self.provenance.items():
            lines.append(f"{k.replace('_', ' ').capitalize()}: {v}")
        lines += ["", "Fields:"]
        for f in self.fields.itertuples():
            need = "required" if f.required else "optional"
            lines.append(f"  {f.name} ({f.type}, {need}): {f.description}")
            if f.allowed:
                lines.append(f"      allowed: {f.allowed}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        """HTML for notebooks; every text from the data package is escaped."""
        return _HTML.render(d=self, fields=self.fields.to_dict("records"))


def describe(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> TableDescription:
    """Describe table ``name``: title, description, fields and provenance.

    >>> import relations
    >>> info = relations.describe("events")
    >>> info.title
    'Events'
    >>> "status" in info.fields["name"].tolist()
    True
    """
    from .loaders import load
    from .schema import read_package

    pkg = read_package(data_dir)
    table = pkg.table(name)
    fields = pd.DataFrame(
        [
            {
                "name": f.name,
                "type": f.type,
                "required": f.required,
                "allowed": ", ".join(f.enum) if f.enum else "",
                "description": f.description,
            }
            for f in table.fields
        ]
    )
    frame = load(name, data_dir=data_dir)
    provenance: dict[str, Any] = {"rows": len(frame)}
    if "source_ids" in frame:
        cited = sorted({s for ids in frame["source_ids"] for s in ids})
        provenance["distinct_sources_cited"] = len(cited)
        sources = load("sources", data_dir=data_dir)
        kinds = sources[sources["source_id"].isin(cited)]["publisher_type"].value_counts()
        provenance["sources_by_publisher_type"] = ", ".join(f"{k}: {v}" for k, v in kinds.items() if v)
    if name == "sources":
        provenance["publishers"] = frame["publisher"].nunique()
    licences = pkg.descriptor.get("licenses", [])
    return TableDescription(
        name=table.name,
        title=table.title,
        description=table.description,
        path=pkg.root / table.path,
        fields=fields,
        primary_key=list(table.primary_key),
        foreign_keys=[
            f"{', '.join(fk.fields)} -> {fk.ref_table}.{', '.join(fk.ref_fields)}"
            + (" (each ;-separated item)" if fk.is_list else "")
            for fk in table.foreign_keys
        ],
        licence=", ".join(lic.get("name", "") for lic in licences),
        curation=pkg.descriptor.get("description", ""),
        provenance=provenance,
    )
