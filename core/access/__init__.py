"""Identity and access. The full permission layer comes with the identity issue."""
