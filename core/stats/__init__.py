"""Dashboard figures: the city's, every district's, street's, community's and grid's, each with
a stable key, labels and a definition, computed by SQL aggregation; plugins add their own."""
