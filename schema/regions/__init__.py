"""GraphQL types and root fields of the region tree."""
