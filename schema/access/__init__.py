"""Identity and access in the API: the viewer, permissions, scoped lists, masked fields."""
