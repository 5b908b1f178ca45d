"""The vendored design tokens (static/vendor/design-tokens/) are the pinned package's, and the
committed tokens.css is exactly what scripts/design_tokens.py makes of them. No network: the
package's own file is rebuilt from tokens.json and checked against the sha256 recorded from it."""

import hashlib
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "design-tokens"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("design_tokens", ROOT / "scripts" / "design_tokens.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data():
    return json.loads((VENDOR / "tokens.json").read_text(encoding="utf-8"))


def test_the_committed_css_is_the_scripts_output(script, data):
    assert (VENDOR / "tokens.css").read_text(encoding="utf-8") == script.css_from_tokens(data)


def test_the_tokens_are_the_pinned_packages(script, data):
    assert (data["package"], data["version"], data["integrity"]) == (script.PACKAGE, script.VERSION, script.INTEGRITY)
    # The package's dist/tokens.css, as style-dictionary writes it, rebuilt from the tokens: same bytes.
    original = "/**\n * Do not edit directly, this file was auto-generated.\n */\n\n:root {\n"
    original += "".join(f"  {name}: {value};\n" for name, value in data["tokens"].items()) + "}\n"
    assert hashlib.sha256(original.encode()).hexdigest() == data["source_sha256"]
    assert script.tokens_from_package_css(original) == data["tokens"]
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "デジタル庁" in (VENDOR / "LICENSE").read_text(encoding="utf-8")


def test_a_changed_token_is_noticed(script, data):
    changed = {**data, "tokens": {**data["tokens"], "--color-primitive-blue-900": "#000000"}}
    assert script.css_from_tokens(changed) != (VENDOR / "tokens.css").read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        script.tokens_from_package_css(":root {\n  --a: 1;\n  --a: 2;\n}\n")


def test_every_token_the_stylesheets_use_exists(data):
    """portal.css builds on the package's tokens: a misspelt or removed token would silently fall back."""
    defined = set(data["tokens"])
    sheets = sorted((ROOT / "static").glob("**/*.css"))
    for sheet in sheets:
        defined |= set(re.findall(r"(--[a-z0-9-]+)\s*:", sheet.read_text(encoding="utf-8")))
    for sheet in sheets:
        used = set(re.findall(r"var\((--[a-z0-9-]+)", sheet.read_text(encoding="utf-8")))
        assert used <= defined, f"{sheet.relative_to(ROOT)} uses undefined {sorted(used - defined)}"
