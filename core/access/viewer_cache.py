"""Viewers remembered for a moment between requests of one process.

Every request with a token reads its account and grants: on a by-id read that statement was a
third of the request's work. An app usually sends several requests at once for the same
person, so the process keeps each viewer for ``[performance] viewer_cache_seconds``:

- a mutation committed through this process forgets every remembered viewer at once (a grant,
  a revoked role or a disabled account counts from the next request, as without the cache),
  and with ``[cluster] redis_url`` tells the other processes to forget theirs
  (:class:`core.cluster.redis.ViewerSync`);
- a change made behind the API's back (``hemei`` commands, a direct database write), or a
  notice lost with Redis, counts once the viewer's time is up: the setting bounds that delay;
- a load that started before a forget is not remembered (it may have read the old grants).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from core.access.viewer import Viewer, load_viewer

MAX_VIEWERS = 10_000
"""Accounts remembered at most (a few hundred bytes each); the oldest go first."""


class ViewerCache:
    """The viewers of recently seen accounts (``None`` for a disabled or deleted one)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._found: dict[int, tuple[float, Viewer | None]] = {}
        self._generation = 0
        self.peers: Callable[[], Awaitable[None]] | None = None
        """Tells the other processes to forget theirs (set by ``ViewerSync``; None: alone)."""

    async def viewer(self, account_id: int, seconds: float) -> Viewer | None:
        """The account's viewer, read afresh unless one read within ``seconds`` is at hand
        (``seconds`` ≤ 0: always afresh)."""
        if seconds <= 0:
            return await load_viewer(account_id)
        now = self._clock()
        found = self._found.get(account_id)
        if found is not None and found[0] > now:
            return found[1]
        generation = self._generation
        viewer = await load_viewer(account_id)
        if generation == self._generation:
            self._found.pop(account_id, None)  # re-inserted last: the dict stays oldest-first
            self._found[account_id] = (now + seconds, viewer)
            if len(self._found) > MAX_VIEWERS:
                del self._found[next(iter(self._found))]
        return viewer

    def forget(self) -> None:
        """Forget every viewer remembered in this process."""
        self._found.clear()
        self._generation += 1

    async def forget_everywhere(self) -> None:
        """Forget every remembered viewer, here and in the other processes (after a write
        that may change who can do what)."""
        self.forget()
        if self.peers is not None:
            await self.peers()

    def __len__(self) -> int:
        return len(self._found)
