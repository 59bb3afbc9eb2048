"""The layering rules and the hook contract, kept honest by machine."""

from __future__ import annotations

import ast
import inspect
import logging
from pathlib import Path

from importlinter.cli import lint_imports

from core.plugins import hookspecs

ROOT = Path(__file__).resolve().parent.parent


def hook_specs() -> dict[str, object]:
    return {
        name: fn
        for name, fn in vars(hookspecs).items()
        if callable(fn) and hasattr(fn, f"{hookspecs.PROJECT}_spec")
    }


def test_import_contracts_are_kept():
    """core imports neither schema nor plugins; schema no plugin; plugins only the public API
    and never each other (contracts in pyproject.toml)."""
    # import-linter configures logging with dictConfig, which disables every logger that exists
    # already: later tests that read Hemei's log records would find them silent.
    loggers = [
        logger for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.disabled
    ]  # fmt: skip
    try:
        kept = lint_imports(
            config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
        )
    finally:
        for logger in loggers:
            logger.disabled = False
    assert kept == 0


def test_there_are_hook_specs():
    assert set(hook_specs()) >= {
        "register_models",
        "register_settings",
        "register_graphql",
        "register_roles",
        "load_demo_data",
    }


def test_every_hook_spec_is_documented():
    for name, fn in hook_specs().items():
        doc = inspect.getdoc(fn) or ""
        assert len(doc.split()) >= 20, (
            f"hook {name} needs a docstring saying what it gets and returns"
        )
        assert inspect.signature(fn).return_annotation is not inspect.Signature.empty, name


def test_every_hook_spec_has_a_test():
    tested = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_hook_"
            ):
                tested.add(node.name)
    for name in hook_specs():
        assert any(t.startswith(f"test_hook_{name}") for t in tested), f"no test_hook_{name}* test"


def test_core_public_api_names_exist():
    import core
    import schema

    for module in (core, schema):
        for name in module.__all__:
            assert getattr(module, name) is not None


def test_model_docstrings_are_safe_sql_comments():
    """Tortoise writes the first line of a model docstring, unescaped, into a SQL comment: an
    apostrophe or a semicolon there breaks CREATE TABLE on SQLite."""
    import importlib
    import inspect as inspect_module

    from tortoise.models import Model

    from core.db.setup import CORE_MODELS

    for module_name in CORE_MODELS.modules:
        module = importlib.import_module(module_name)
        for name, cls in vars(module).items():
            if (
                inspect_module.isclass(cls)
                and issubclass(cls, Model)
                and cls.__module__ == module_name
            ):
                first = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
                assert "'" not in first and ";" not in first, f"{module_name}.{name}: {first!r}"
