"""Pages of the duty room: thin interfaces over the selectors and services."""
