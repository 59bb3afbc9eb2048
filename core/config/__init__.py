"""The deployment's config file (``hemei.toml``): typed sections, loading and validation."""
