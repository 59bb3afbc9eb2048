"""What every resolver gets as ``info.context``: the config snapshot, loaders and request id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader

from core.activation import Activation
from core.regions.switch_ids import SwitchIds, switch_ids

if TYPE_CHECKING:
    from schema.gate import GateRules
    from schema.nodes import NodeSource


@dataclass
class Context:
    """Per-request state. ``activation`` is read once when the request starts, so a config
    reload never changes the switches under a request in flight. Loaders are made lazily and
    live as long as the request: no cache is shared between requests or viewers."""

    activation: Activation
    request_id: str
    gate: GateRules
    node_sources: dict[str, NodeSource] = field(default_factory=dict)
    request: Any = None
    response: Any = None
    _loaders: dict[Hashable, DataLoader[Any, Any]] = field(default_factory=dict)
    _switch_ids: dict[str, asyncio.Future[SwitchIds]] = field(default_factory=dict)

    def loader(
        self, key: Hashable, factory: Callable[[], DataLoader[Any, Any]]
    ) -> DataLoader[Any, Any]:
        """The request's loader for ``key``, made by ``factory`` on first use."""
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = factory()
        return found

    async def switch_ids(self, module: str) -> SwitchIds:
        """Where ``module`` is on, by region ids; resolved once per request and module."""
        future = self._switch_ids.get(module)
        if future is None:
            future = self._switch_ids[module] = asyncio.ensure_future(
                switch_ids(self.activation.switches(module))
            )
        return await future
