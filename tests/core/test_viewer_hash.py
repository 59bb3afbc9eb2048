"""A viewer keys the statements kept for it (core.db.rows.cached_sql): its hash, worked out
once, must stay the hash of what it is."""

from __future__ import annotations

import pickle

from core.access.viewer import Grant, Home, Viewer


def _viewer(*grants: Grant, username: str = "worker") -> Viewer:
    return Viewer(7, 70, username, grants, Home(1, 2, 3, 4, 5))


def test_equal_viewers_hash_alike_and_others_key_apart():
    grid = Grant("grid_worker", "grid", 1, 2, 3, 4)
    community = Grant("community_worker", "community", 1, 2, 3)
    a, b = _viewer(grid), _viewer(grid)
    assert hash(a) == hash(a) == hash(b) and a == b
    keyed = {("node json", a): "statement"}
    assert keyed[("node json", b)] == "statement"
    for other in (_viewer(community), _viewer(grid, community), _viewer(grid, username="x")):
        assert other != a and ("node json", other) not in keyed


def test_a_copied_viewer_works_its_hash_out_again():
    viewer = _viewer(Grant("city_admin", "city"))
    hash(viewer)
    copied = pickle.loads(pickle.dumps(viewer))
    assert "_hash" not in vars(copied), "a string's hash differs between processes"
    assert copied == viewer and hash(copied) == hash(viewer)
