"""A running deployment: its config file, loaded plugins and the module switches in force.

The switches are replaced as a whole when the config file changes (file watch or SIGHUP). A bad
edit is refused and logged, and the old switches stay in force. A request reads
:attr:`Runtime.activation` once when it starts, so requests in flight are unaffected by a
reload. What a reload cannot change without a restart (plugins, database) is refused too.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import signal
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from core.access.tokens import TokenService
from core.access.viewer_cache import ViewerCache
from core.activation import Activation
from core.config.errors import ConfigError
from core.config.loader import load_config
from core.config.model import HemeiConfig
from core.plugins.host import PluginHost, build_plugin_host

log = logging.getLogger("hemei.config")

RESTART_SECTIONS = ("plugins", "database", "security", "cluster", "observability")


@dataclass
class Runtime:
    """The state a process serves from. Build one with :func:`start_runtime`."""

    path: Path
    host: PluginHost
    activation: Activation
    tokens: TokenService
    viewers: ViewerCache = field(default_factory=ViewerCache)
    """Viewers remembered between requests (``[performance] viewer_cache_seconds``)."""
    listeners: list[Callable[[Activation], None]] = field(default_factory=list)
    _digest: str = ""

    @property
    def config(self) -> HemeiConfig:
        return self.activation.config

    @property
    def digest(self) -> str:
        """A fingerprint of the config file in force (processes compare them)."""
        return self._digest

    def reload(self) -> bool:
        """Re-read the config file. Returns whether a new config took effect."""
        try:
            text = self.path.read_bytes()
        except OSError as exc:
            log.error("config reload refused: cannot read %s: %s", self.path, exc.strerror)
            return False
        digest = hashlib.sha256(text).hexdigest()
        if digest == self._digest:
            return False
        try:
            config = load_config(self.path)
            for section in RESTART_SECTIONS:
                if getattr(config, section) != getattr(self.config, section):
                    raise ConfigError(self.path, [(section, "changing it needs a restart")])
            activation = Activation(config, self.host.settings_models(), self.path)
        except ConfigError as exc:
            log.error("config reload refused, the previous config stays in force: %s", exc)
            return False
        self.activation, self._digest = activation, digest
        log.info("config reloaded from %s", self.path)
        for listener in self.listeners:
            listener(activation)
        return True

    async def watch(self, stop: asyncio.Event, *, files: bool = True) -> None:
        """Reload on SIGHUP and, with ``files``, on changes to the file (editors that write a
        new file and rename it over the old one included). Returns when ``stop`` is set."""
        from watchfiles import awatch

        loop = asyncio.get_running_loop()
        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGHUP, self.reload)
        target = self.path.resolve()  # once, before watching starts
        try:
            if not files:
                await stop.wait()
                return
            # The folder is watched, not the file, so that an editor's write-and-rename is seen;
            # the filter keeps other files there (a log, the SQLite database) from waking us.
            async for _ in awatch(
                target.parent,
                stop_event=stop,
                debounce=200,
                step=50,
                recursive=False,
                watch_filter=lambda _change, changed: Path(changed).name == target.name,
            ):
                self.reload()
        finally:
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGHUP)


def start_runtime(path: str | Path) -> Runtime:
    """Load the config at ``path``, load its plugins and validate their settings.

    Raises :class:`ConfigError` or a ``PluginError`` with a message naming what is wrong.
    """
    path = Path(path)
    config = load_config(path)
    host = build_plugin_host(config.plugins.load)
    activation = Activation(config, host.settings_models(), path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if config.security.secret_key is None:
        log.warning("no [security] secret_key: tokens are signed with a random key per process")
    tokens = TokenService.from_config(config.security)
    return Runtime(path=path, host=host, activation=activation, tokens=tokens, _digest=digest)
