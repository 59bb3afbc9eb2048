"""Read ``hemei.toml`` into a :class:`HemeiConfig`, applying environment overrides."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.config.errors import ConfigError
from core.config.model import HemeiConfig

CONFIG_ENV = "HEMEI_CONFIG"
# Environment variables that override a key of the file: for what differs per machine, and
# for secrets that should not sit in a file.
ENV_OVERRIDES = {
    "HEMEI_DATABASE_URL": ("database", "url"),
    "HEMEI_SECRET_KEY": ("security", "secret_key"),
    "HEMEI_REDIS_URL": ("cluster", "redis_url"),
}
DEFAULT_CONFIG_NAME = "hemei.toml"


def config_path(explicit: str | Path | None = None, env: Mapping[str, str] = os.environ) -> Path:
    """The config file to use: ``--config``, else ``$HEMEI_CONFIG``, else ``./hemei.toml``."""
    return Path(explicit or env.get(CONFIG_ENV) or DEFAULT_CONFIG_NAME)


def dotted(loc: tuple[int | str, ...]) -> str:
    """``("districts", "x", "modules", 1)`` → ``districts.x.modules[1]``."""
    key = ""
    for item in loc:
        key += f"[{item}]" if isinstance(item, int) else ("." if key else "") + str(item)
    return key


def parse_config(text: str, path: Path, env: Mapping[str, str] = os.environ) -> HemeiConfig:
    """Parse and validate config text; raise :class:`ConfigError` naming every bad key."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [("", f"not valid TOML: {exc}")]) from None
    for variable, (section, key) in ENV_OVERRIDES.items():
        if value := env.get(variable):
            data.setdefault(section, {})[key] = value
    try:
        return HemeiConfig.model_validate(data)
    except ValidationError as exc:
        problems = [(dotted(err["loc"]), _message(err)) for err in exc.errors()]
        raise ConfigError(path, problems) from None


def _message(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    return str(err["msg"]).removeprefix("Value error, ")


def load_config(path: str | Path, env: Mapping[str, str] = os.environ) -> HemeiConfig:
    """Read and validate the file at ``path`` (see :func:`parse_config`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, [("", f"cannot read the file: {exc.strerror}")]) from None
    return parse_config(text, path, env)
