"""Domain events: the outbox relay and the in-process fan-out to subscriptions."""
