"""Install plugins for a test the way pip would: a ``*.dist-info`` folder with an
``entry_points.txt`` in the ``hemei.plugins`` group, on ``sys.path``. Discovery then finds them
exactly as it finds a real third-party plugin."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from core.plugins.hookspecs import ENTRY_POINT_GROUP


def write_distribution(folder: Path, name: str, version: str, plugins: Mapping[str, str]) -> Path:
    """Write ``<name>-<version>.dist-info`` under ``folder`` declaring ``plugins``
    (entry-point name → module path)."""
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = [f"[{ENTRY_POINT_GROUP}]"] + [f"{ep} = {module}" for ep, module in plugins.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@contextmanager
def installed(
    folder: Path, name: str, plugins: Mapping[str, str], version: str = "0.0.1"
) -> Iterator[None]:
    """Make ``plugins`` installed for the duration of the block, then uninstall them."""
    write_distribution(folder, name, version, plugins)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
