"""The performance benchmark: Hemei against PostGraphile 5 and a hand-written SQL ceiling
(issue 12). Run it with ``.venv/bin/python -m bench``; see bench/run.py and
docs/benchmarks.md."""
