"""GraphQL types and root fields of cases."""
