"""What every resolver gets as ``info.context``: the config snapshot, the viewer, loaders and
the request id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader

from core.access.audit import AuditNote
from core.access.tokens import TokenService
from core.access.viewer import Viewer, load_viewer
from core.access.viewer_cache import ViewerCache
from core.activation import Activation
from core.cases.categories import CaseCategory
from core.cases.photos import PhotoStore
from core.errors import HemeiError, Unauthenticated
from core.events.broker import Broker
from core.plugins.contributions import RoleSpec
from core.regions.switch_ids import SwitchIds, switch_ids
from core.stats.figures import FigureSpec

if TYPE_CHECKING:
    from schema.access.rules import AccessRules
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
    access: AccessRules
    tokens: TokenService
    roles: dict[str, RoleSpec] = field(default_factory=dict)
    categories: dict[str, CaseCategory] = field(default_factory=dict)
    figures: tuple[FigureSpec, ...] = ()
    """Every dashboard figure, core's then the plugins', in order."""
    broker: Broker | None = None
    photos: PhotoStore | None = None
    outbox_wake: asyncio.Event | None = None
    node_sources: dict[str, NodeSource] = field(default_factory=dict)
    request: Any = None
    response: Any = None
    client: str | None = None
    connection_params: dict[str, Any] | None = None
    audit: AuditNote | None = None
    unmasked_reads: list[tuple[int, str, str]] = field(default_factory=list)
    planner_enabled: bool = False
    """Whether query root fields may be completed by the planner (``[performance]``)."""
    json_fragments: bool = False
    """Whether the planner may hand out objects as JSON text the database wrote
    (``orjson.Fragment``): only for a response orjson writes (HTTP), with
    ``[performance] json_in_database`` on and no schema extension that might read the result's
    data (any the lean path does not know, tracing included)."""
    viewers: ViewerCache | None = None
    """The process's remembered viewers (None: read on every request)."""
    viewer_seconds: float = 0.0
    """How long a remembered viewer serves (``[performance] viewer_cache_seconds``)."""
    root_selections: dict[str, Any] = field(default_factory=dict)
    """The planning executor and field details of each root query field of the running
    operation, by response key (``schema.planner.roots``)."""
    _viewer: Viewer | None = None
    _viewer_error: HemeiError | None = None
    _pending_token: str | None = None
    _deferred: bool = False
    _loaders: dict[Hashable, DataLoader[Any, Any]] = field(default_factory=dict)
    _switch_ids: dict[str, asyncio.Future[SwitchIds]] = field(default_factory=dict)

    @property
    def viewer(self) -> Viewer | None:
        """The signed-in viewer, None when anonymous; a bad or expired token raises
        ``UNAUTHENTICATED`` wherever the viewer is asked for."""
        if self._deferred:
            raise RuntimeError("the viewer was asked for before the request was authenticated")
        if self._viewer_error is not None:
            raise self._viewer_error
        return self._viewer

    @property
    def note(self) -> AuditNote:
        """What the running mutation tells the audit log (only inside a mutation)."""
        if self.audit is None:
            raise RuntimeError("the audit note exists only while a mutation runs")
        return self.audit

    @property
    def viewer_if_valid(self) -> Viewer | None:
        return self._viewer

    def defer_authentication(self, token: str | None) -> None:
        """Keep ``token`` to be checked by :meth:`authenticate_pending` (once the document has
        passed the limits and validation, so that a refused document runs no SQL)."""
        self._pending_token = token
        self._deferred = True

    async def authenticate_pending(self) -> None:
        """Authenticate with the deferred token, if any is waiting (idempotent)."""
        if self._deferred:
            self._deferred = False
            await self.authenticate(self._pending_token)

    async def authenticate(self, token: str | None) -> None:
        """Resolve a bearer token into the viewer (once, when the request or connection starts)."""
        self._viewer, self._viewer_error = None, None
        if not token:
            return
        account_id = self.tokens.account_id(token)
        viewer = None
        if account_id is not None:
            viewer = await (
                load_viewer(account_id)
                if self.viewers is None
                else self.viewers.viewer(account_id, self.viewer_seconds)
            )
        if viewer is None:
            self._viewer_error = Unauthenticated("The access token is invalid or has expired.")
        self._viewer = viewer

    async def forget_viewers(self) -> None:
        """After a committed write: every request from now on, in every process, reads its
        viewer afresh."""
        if self.viewers is not None:
            await self.viewers.forget_everywhere()

    def fresh(self, request_id: str, request: Any, response: Any, client: str | None) -> Context:
        """A context for a new request with this one's config, plugins and services
        (:data:`PER_CONFIG`) and every field of :data:`PER_REQUEST` as a new context has it.
        The HTTP view keeps one such prototype per config in force: building a context from
        its thirty arguments was ~330 of a read by id's 5,500 bytecodes."""
        new = object.__new__(Context)
        new.__dict__.update(self.__dict__)
        new.request_id = request_id
        new.request, new.response, new.client = request, response, client
        new.connection_params = new.audit = new._viewer = new._viewer_error = None
        new._pending_token = None
        new.json_fragments = new._deferred = False
        new.unmasked_reads, new.root_selections, new._loaders, new._switch_ids = [], {}, {}, {}
        return new

    def fork(self) -> Context:
        """The same request's state for another operation of a batch: its own loaders, reads
        and audit note (the viewer is shared)."""
        return replace(
            self, audit=None, unmasked_reads=[], root_selections={}, _loaders={}, _switch_ids={}
        )

    def forget_loaders(self) -> None:
        """Drop cached loads (a subscription reads each event afresh)."""
        for loader in self._loaders.values():
            # The shielded methods close over the loader itself: a reference cycle that would
            # keep every row it cached alive until a full garbage collection.
            vars(loader).pop("load", None)
            vars(loader).pop("load_many", None)
        self._loaders.clear()

    def release(self) -> None:
        """Let go of what the request loaded, once its operation has run: the loaders (whose
        functions refer back to this context) and the module switches. Without it a large
        read stayed in memory until the collector's next full pass (hundreds of MB under
        load with :mod:`schema.gc_tuning`'s thresholds)."""
        self.forget_loaders()
        self._switch_ids.clear()
        self.root_selections.clear()  # the executor holds this context

    def loader(
        self, key: Hashable, factory: Callable[[], DataLoader[Any, Any]]
    ) -> DataLoader[Any, Any]:
        """The request's loader for ``key``, made by ``factory`` on first use."""
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = factory()
            load = found.load
            found.load = _shielded(load)  # type: ignore[method-assign, assignment]
            found.load_many = _shielded_many(load)  # type: ignore[method-assign, assignment]
        return found

    async def switch_ids(self, module: str) -> SwitchIds:
        """Where ``module`` is on, by region ids; resolved once per request and module."""
        future = self._switch_ids.get(module)
        if future is None:
            future = self._switch_ids[module] = asyncio.ensure_future(
                switch_ids(self.activation.switches(module))
            )
        return await asyncio.shield(future)


PER_CONFIG = frozenset(
    {
        "activation", "gate", "access", "tokens", "roles", "categories", "figures", "broker",
        "photos", "outbox_wake", "node_sources", "planner_enabled", "viewers", "viewer_seconds",
    }
)  # fmt: skip
"""Fields :meth:`Context.fresh` copies: the same for every request under one config."""
PER_REQUEST = frozenset(
    {
        "request_id", "request", "response", "client", "connection_params", "audit",
        "unmasked_reads", "json_fragments", "root_selections", "_viewer", "_viewer_error",
        "_pending_token", "_deferred", "_loaders", "_switch_ids",
    }
)  # fmt: skip
"""Fields :meth:`Context.fresh` sets as a new context has them (a new field must be added to
one of the two: ``tests/schema/test_context.py`` checks)."""


def _shielded(load: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A loader's ``load`` whose futures a cancelled caller cannot cancel. A loader caches one
    future per key and hands it to every field that asks; when a non-null error makes
    graphql-core cancel the sibling fields of a list, a caller awaiting that shared future
    would cancel it, and every other field awaiting it got a CancelledError, which escaped the
    request as a crash (found by tests/planner/test_differential_fuzz.py)."""

    def shielded_load(key: Any) -> Any:
        return asyncio.shield(load(key))

    return shielded_load


def _shielded_many(load: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``load_many`` shielded once for the whole batch rather than once per key (a planned
    read loads the pages of hundreds of parents at a time)."""

    def shielded_load_many(keys: Any) -> Any:
        return asyncio.shield(asyncio.gather(*map(load, keys)))

    return shielded_load_many


def bearer(value: str | None) -> str | None:
    """The token of an ``Authorization: Bearer ...`` value."""
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
