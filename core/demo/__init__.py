"""Demo data: a small, plausible Hegang that a laptop demo and the tests can stand on."""
