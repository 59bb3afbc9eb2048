"""The public plugin API is documented name by name, and the reference pages in docs/ are the
ones the code would write: edit a hook spec or an export without regenerating them and this
fails."""

from __future__ import annotations

import re
import tomllib

import pytest

from schema.plugin_docs import (
    API_PAGE,
    DOCS,
    GUIDE_PAGE,
    HOOKS_PAGE,
    PUBLIC_MODULES,
    SNIPPET,
    api_reference,
    hook_reference,
    hook_specs,
    public_doc,
    public_names,
    with_current_snippets,
)

PUBLIC = [(m, n) for m in PUBLIC_MODULES for n in public_names(m)]


@pytest.mark.parametrize(("module", "name"), PUBLIC, ids=[f"{m}.{n}" for m, n in PUBLIC])
def test_every_public_name_has_its_own_docstring(module, name):
    doc = public_doc(module, name)
    assert doc and len(doc) >= 20, (
        f"{module}.{name} needs a docstring (for a constant: a string literal right after "
        "its assignment) saying what a plugin does with it"
    )


@pytest.mark.parametrize(
    ("page", "generate"), [(HOOKS_PAGE, hook_reference), (API_PAGE, api_reference)]
)
def test_the_reference_page_matches_the_code(page, generate):
    assert (DOCS / page).read_text(encoding="utf-8") == generate(), (
        f"docs/{page} is out of date: run `hemei plugin docs`"
    )


def test_every_hook_has_a_section_in_the_hook_reference():
    text = (DOCS / HOOKS_PAGE).read_text(encoding="utf-8")
    for name in hook_specs():
        assert f"\n## {name}\n" in text and f"(#{name})" in text


def test_the_guide_quotes_the_tested_files_as_they_are():
    """Each sample of docs/plugin-guide.md is the marked region of a file that is tested: the
    scaffold's (its test installs it and runs its tests) or the example plugin's."""
    text = (DOCS / GUIDE_PAGE).read_text(encoding="utf-8")
    samples = SNIPPET.findall(text)
    assert len(samples) >= 12
    assert with_current_snippets(text) == text, "run `hemei plugin docs` to refresh the samples"


def test_the_guide_config_samples_are_valid_toml():
    text = (DOCS / GUIDE_PAGE).read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert blocks
    for block in blocks:
        tomllib.loads(block)
