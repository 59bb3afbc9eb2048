"""The booking engine: places with limited capacity that people book (public plugin API).

The canteen books meals, the classroom sessions, the stations activities, the medical teams
clinics: all of them through this one engine, so capacity, waitlists, cut-offs and limits behave
the same everywhere. See ``core.booking.engine`` and the README's example.
"""
