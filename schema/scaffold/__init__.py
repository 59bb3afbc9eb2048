"""``hemei plugin new NAME``: a new plugin as a package of its own, ready to install.

The files come from ``template/``: ``{{name}}``, ``{{Name}}``, ``{{camel}}``, ``{{NAME}}``,
``{{dist}}`` and ``{{title}}`` in them (and ``__name__`` in paths) become the plugin's name in
its forms, ``{{core_migration}}`` core's newest migration. The result has a model with its
migration, a settings model, a role, a type, a query, a mutation, a dashboard figure, an
authorization matrix, its committed schema file and tests that use the test kit:
``pip install -e '.[test]' && pytest`` passes as it is.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "template"
SUFFIX = ".tmpl"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class ScaffoldError(Exception):
    """The name is not usable, or the target folder exists."""


@dataclass(frozen=True)
class Names:
    """A plugin's name in every form the files need."""

    name: str

    @property
    def pascal(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_"))

    @property
    def camel(self) -> str:
        return self.pascal[0].lower() + self.pascal[1:]

    @property
    def tokens(self) -> dict[str, str]:
        return {
            "{{name}}": self.name,
            "{{Name}}": self.pascal,
            "{{camel}}": self.camel,
            "{{NAME}}": self.name.upper(),
            "{{dist}}": "hemei-" + self.name.replace("_", "-"),
            "{{title}}": self.name.replace("_", " ").capitalize(),
            "{{core_migration}}": latest_core_migration(),
        }


def latest_core_migration() -> str:
    """The name of core's newest migration: a new plugin's first migration follows it."""
    import core.migrations

    folder = Path(core.migrations.__file__).parent
    return sorted(p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))[-1]


def check_name(name: str) -> Names:
    """A plugin name is a Python package name in snake case (``snow_watch``)."""
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name) or len(name) > 40:
        raise ScaffoldError(
            f"{name!r} is not a plugin name: lower-case letters, digits and single "
            "underscores, starting with a letter (e.g. snow_watch)"
        )
    if name in ("core", "schema", "plugins", "tests", "hemei"):
        raise ScaffoldError(f"{name!r} is taken by Hemei itself")
    return Names(name)


def render(text: str, names: Names) -> str:
    for token, value in names.tokens.items():
        text = text.replace(token, value)
    return text


def files(names: Names) -> dict[Path, str]:
    """Every file of the new package, by path relative to its folder."""
    found = {}
    for source in sorted(TEMPLATE.rglob(f"*{SUFFIX}")):
        relative = source.relative_to(TEMPLATE).as_posix().removesuffix(SUFFIX)
        target = Path(relative.replace("__name__", names.name))
        found[target] = render(source.read_text(encoding="utf-8"), names)
    return found


def create(name: str, folder: Path, *, schema_file: bool = True) -> Path:
    """Write the package for plugin ``name`` into ``folder/<name>`` and return that path.
    ``schema_file``: also write its committed schema (imports the new package to build it)."""
    names = check_name(name)
    root = folder / name
    if root.exists():
        raise ScaffoldError(f"{root} exists already")
    if importlib.util.find_spec(name) is not None:
        raise ScaffoldError(f"a Python package named {name!r} is installed already")
    for relative, text in files(names).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if schema_file:
        (root / name / "schema.graphql").write_text(_sdl(name, root), encoding="utf-8")
    return root


def _sdl(name: str, root: Path) -> str:
    """The new plugin's part of the schema, built from its files before it is installed."""
    from core.plugins.discovery import InstalledPlugin
    from core.plugins.hookspecs import ENTRY_POINT_GROUP
    from core.plugins.host import build_plugin_host
    from schema.conformance import plugin_fields, plugin_sdl

    sys.path.insert(0, str(root))
    try:
        entry_point = EntryPoint(name=name, value=name, group=ENTRY_POINT_GROUP)
        host = build_plugin_host([name], {name: InstalledPlugin(name, entry_point, None, None)})
        return plugin_sdl(plugin_fields(name, host))
    finally:
        sys.path.remove(str(root))
