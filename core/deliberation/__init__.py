"""The deliberation hall (红色议事厅): topics, options, one vote per resident, decisions."""
