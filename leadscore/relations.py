"""Relation names from dbt's manifest: the schema and alias dbt gave each model, seed and source,
so Python never spells a schema (main., staging., ...) of its own.

Names are rendered as "schema"."alias" without the database: the runner reads through a
connection to the target's DuckDB file, whose catalog is that file, so the names stay the same
whatever the file is called.
"""

from __future__ import annotations

import json
from pathlib import Path

from leadscore import dbt
from leadscore.errors import UsageError


def quote(identifier: str) -> str:
    return '"' + str(identifier).replace('"', '""') + '"'


class Relations:
    def __init__(self, nodes: dict[str, dict]):
        self._nodes = nodes

    @classmethod
    def from_manifest(cls, path: Path) -> "Relations":
        manifest = json.loads(path.read_text())
        nodes = {}
        for node in list(manifest.get("nodes", {}).values()) + list(manifest.get("sources", {}).values()):
            if node.get("resource_type") not in ("model", "seed", "source"):
                continue
            key = f"{node['source_name']}.{node['name']}" if node["resource_type"] == "source" else node["name"]
            nodes[key] = {"schema": node["schema"], "alias": node.get("alias") or node.get("identifier") or node["name"],
                          "fqn": node.get("fqn", []), "resource_type": node["resource_type"]}
        return cls(nodes)

    @classmethod
    def load(cls, project: "dbt.Project", analysis: bool = False) -> "Relations":
        """The relations of the target folder's manifest (the last build's), parsing the project
        first when there is none."""
        path = dbt.target_dir(analysis) / "manifest.json"
        if not path.is_file():
            project.parse(analysis)
        if not path.is_file():
            raise UsageError(f"dbt wrote no manifest to {path.parent}: run `leadscore build` first")
        return cls.from_manifest(path)

    def __getitem__(self, name: str) -> str:
        node = self._nodes[name]
        return f"{quote(node['schema'])}.{quote(node['alias'])}"

    def schema(self, name: str) -> str:
        return self._nodes[name]["schema"]

    def alias(self, name: str) -> str:
        return self._nodes[name]["alias"]

    def marts(self) -> list[str]:
        """The models of the marts layer (models/marts/...), by name."""
        return sorted(name for name, node in self._nodes.items()
                      if node["resource_type"] == "model" and len(node["fqn"]) > 1 and node["fqn"][1] == "marts")
