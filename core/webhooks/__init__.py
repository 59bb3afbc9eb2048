"""Webhooks: case events delivered over HTTP to URLs that admins subscribe, for integrators who
do not write Python. Fed by the same outbox as ``on_case_event``; each delivery is signed
(HMAC-SHA256), retried with back-off, logged with its attempts, re-sendable by an admin, and an
endpoint that keeps failing is paused by a circuit breaker. See docs/webhooks.md."""
