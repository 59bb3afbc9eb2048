"""The plugin reference pages, generated from the code they describe.

``docs/hooks.md`` comes from the hook specs' docstrings (:mod:`core.plugins.hookspecs`),
``docs/api.md`` from the docstrings of what ``core`` and ``schema`` export, and the code samples
of ``docs/plugin-guide.md`` from the files they quote (the scaffold's, which its test runs, and
the example plugin's). ``hemei plugin docs`` writes them; a test fails when a page differs from
what the code would write, so the pages cannot drift from the code.

A sample in the guide is a fenced block right after ``<!-- snippet: SOURCE#NAME -->``: the
lines between ``# guide:start NAME`` and ``# guide:end NAME`` of SOURCE, a path in the
repository or ``scaffold/<path>`` for a file of ``hemei plugin new snow_watch``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from core.plugins import hookspecs
from core.plugins.api import API_ATTRIBUTE, PLUGIN_API_VERSION, SUGGESTED_RANGE

DOCS = Path(__file__).resolve().parent.parent / "docs"
HOOKS_PAGE = "hooks.md"
API_PAGE = "api.md"
GUIDE_PAGE = "plugin-guide.md"
GUIDE_PLUGIN = "snow_watch"
"""The plugin the guide builds: what ``hemei plugin new snow_watch`` writes."""
ROOT = DOCS.parent
SNIPPET = re.compile(
    r"<!-- snippet: (?P<source>\S+)#(?P<name>[\w-]+) -->\n```(?P<lang>\w*)\n(?P<body>.*?)```",
    re.S,
)
PUBLIC_MODULES = ("core", "schema")


def hook_specs() -> dict[str, Callable[..., Any]]:
    """Every hook spec, in the order the spec module declares them."""
    return {
        name: fn
        for name, fn in vars(hookspecs).items()
        if callable(fn) and hasattr(fn, f"{hookspecs.PROJECT}_spec")
    }


def hook_reference() -> str:
    """``docs/hooks.md``: every hook with its signature and documentation."""
    specs = hook_specs()
    lines = [
        "# Hook reference",
        "",
        _generated("core/plugins/hookspecs.py"),
        "",
        f"Plugin API {PLUGIN_API_VERSION}. A plugin declares the versions it works with in its "
        f"entry-point module (`{API_ATTRIBUTE} = {SUGGESTED_RANGE!r}`); see "
        "[the guide](plugin-guide.md).",
        "",
        _markdown(hookspecs.__doc__ or ""),
        "",
        "| hook | summary |",
        "|---|---|",
        *(f"| [`{name}`](#{name}) | {_summary(fn)} |" for name, fn in specs.items()),
    ]
    for name, fn in specs.items():
        lines += ["", f"## {name}", "", "```python", f"def {name}{_signature(fn)}", "```", ""]
        lines.append(_markdown(inspect.getdoc(fn) or ""))
    return "\n".join(lines).rstrip() + "\n"


def public_names(module_name: str) -> list[str]:
    """What a public module exports (its ``__all__``)."""
    return list(importlib.import_module(module_name).__all__)


def public_doc(module_name: str, name: str) -> str | None:
    """The docstring of an exported name: a class's or function's own docstring, or for a
    constant the string literal that follows its assignment in the module that defines it."""
    module = importlib.import_module(module_name)
    obj = getattr(module, name)
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__")
        # A dataclass without a docstring gets its signature as one: that documents nothing.
        if doc and doc.startswith(f"{obj.__name__}("):
            return None
        return inspect.cleandoc(doc) if doc else None
    if inspect.isfunction(obj) or inspect.ismethod(obj):
        return inspect.getdoc(obj)
    source, original = _imported_from(module)[name]
    return _attribute_doc(importlib.import_module(source), original)


def api_reference() -> str:
    """``docs/api.md``: what ``core`` and ``schema`` export, with each name's docstring."""
    lines = [
        "# Public plugin API",
        "",
        _generated("core/__init__.py, schema/__init__.py and the docstrings they export"),
        "",
        "A plugin imports only these names: `from core import ...` for the kernel (models, "
        "hooks, bookings, cases, errors, places) and `from schema import ...` for its GraphQL "
        "part. Everything else is private and may change without notice (an import-linter "
        "contract in Hemei's tests keeps the built-in modules to this). Tests may also use "
        "`schema.testing` (the test kit).",
    ]
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        lines += ["", f"## `{module_name}`", "", _markdown(inspect.getdoc(module) or "")]
        for name in public_names(module_name):
            obj = getattr(module, name)
            lines += ["", f"### `{module_name}.{name}`", "", f"*{_kind(obj)}*"]
            if (signature := _callable_signature(obj)) is not None:
                lines += ["", "```python", signature, "```"]
            lines += ["", _markdown(public_doc(module_name, name) or "(undocumented)")]
    return "\n".join(lines).rstrip() + "\n"


def pages(folder: Path = DOCS) -> dict[str, str]:
    """Each generated page's file name and text (the guide: its text with current samples)."""
    found = {HOOKS_PAGE: hook_reference(), API_PAGE: api_reference()}
    guide = folder / GUIDE_PAGE
    if guide.exists():
        found[GUIDE_PAGE] = with_current_snippets(guide.read_text(encoding="utf-8"))
    return found


def with_current_snippets(text: str) -> str:
    """``text`` with each sample replaced by the lines it quotes now."""
    sources: dict[str, str] = {}

    def current(match: re.Match[str]) -> str:
        body = snippet(match["source"], match["name"], sources)
        return f"<!-- snippet: {match['source']}#{match['name']} -->\n```{match['lang']}\n{body}```"

    return SNIPPET.sub(current, text)


def snippet(source: str, name: str, cache: dict[str, str] | None = None) -> str:
    """The lines of ``source`` between its ``guide:start NAME`` and ``guide:end NAME``."""
    cache = {} if cache is None else cache
    if source not in cache:
        cache[source] = _source_text(source)
    lines = cache[source].splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == f"# guide:start {name}"]
    ends = [i for i, line in enumerate(lines) if line.strip() == f"# guide:end {name}"]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise LookupError(f"{source} has no single '# guide:start {name}' ... '# guide:end {name}'")
    body = textwrap.dedent("\n".join(lines[starts[0] + 1 : ends[0]])).strip("\n")
    return body + "\n"


def _source_text(source: str) -> str:
    if source.startswith("scaffold/"):
        from schema.scaffold import check_name, files

        rendered = files(check_name(GUIDE_PLUGIN))
        return rendered[Path(source.removeprefix("scaffold/"))]
    return (ROOT / source).read_text(encoding="utf-8")


def write_pages(folder: Path = DOCS) -> list[Path]:
    """Write the generated pages into ``folder``; returns the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in pages(folder).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_pages(folder: Path = DOCS) -> list[str]:
    """The generated pages whose file differs from what the code would write now."""
    return [
        name
        for name, text in pages(folder).items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text
    ]


def _generated(source: str) -> str:
    return (
        f"<!-- Generated by `hemei plugin docs` from {source}: edit those, not this file "
        "(a test fails when they differ). -->"
    )


def _summary(fn: Callable[..., Any]) -> str:
    first = (inspect.getdoc(fn) or "").split("\n\n", 1)[0]
    return _inline(" ".join(first.split())).replace("|", "\\|")


def _signature(fn: Callable[..., Any]) -> str:
    signature = inspect.signature(fn)
    params = ", ".join(
        f"{p.name}: {_annotation(p.annotation)}"
        if p.annotation is not inspect.Parameter.empty
        else p.name
        for p in signature.parameters.values()
    )
    returns = signature.return_annotation
    return f"({params})" + (
        f" -> {_annotation(returns)}" if returns is not inspect.Signature.empty else ""
    )


def _annotation(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation)


def _callable_signature(obj: Any) -> str | None:
    if inspect.isfunction(obj):
        prefix = "async def" if inspect.iscoroutinefunction(obj) else "def"
        return f"{prefix} {obj.__name__}{_signature(obj)}"
    return None


def _kind(obj: Any) -> str:
    if inspect.isclass(obj):
        bases = [b.__name__ for b in obj.__bases__ if b is not object]
        return "class" + (f" ({', '.join(bases)})" if bases else "")
    if inspect.isfunction(obj):
        return "function"
    return f"constant: {type(obj).__name__}"


def _imported_from(module: ModuleType) -> dict[str, tuple[str, str]]:
    """``name -> (source module, original name)`` for a package's ``from x import y``."""
    found: dict[str, tuple[str, str]] = {}
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name)
    return found


def _attribute_doc(module: ModuleType, name: str) -> str | None:
    body = ast.parse(inspect.getsource(module)).body
    for node, following in itertools.pairwise(body):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                value = following.value.value
                return inspect.cleandoc(value) if isinstance(value, str) else None
            return None
    return None


_ROLE = re.compile(r":(?:class|meth|func|mod|attr|data):`~?([^`]+)`")


def _inline(text: str) -> str:
    """reStructuredText inline markup as Markdown: ``x`` and :class:`x` become `x`."""
    return _ROLE.sub(r"`\1`", text.replace("``", "`"))


def _markdown(doc: str) -> str:
    """A docstring as Markdown: paragraphs kept, literal blocks (after ``::``) fenced."""
    out: list[str] = []
    lines = inspect.cleandoc(doc).splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.rstrip().endswith("::") and not line.startswith(" "):
            out.append(_inline(line.rstrip()[:-1]))
            index += 1
            code: list[str] = []
            while index < len(lines) and (not lines[index].strip() or lines[index][0] == " "):
                code.append(lines[index])
                index += 1
            out += ["", "```python", textwrap.dedent("\n".join(code)).strip("\n"), "```"]
            if index < len(lines):
                out.append("")
            continue
        out.append(_inline(line))
        index += 1
    return "\n".join(out)
