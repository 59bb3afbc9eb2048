"""People: residents, cadres, community workers, pioneer posts and city departments."""
