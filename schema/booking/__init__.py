"""GraphQL of the booking engine: a person's own bookings, whatever module made them."""
