"""``hemei demo --scale city``: Hegang at the article's scale (:mod:`core.demo.city.build`)."""
