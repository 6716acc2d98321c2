from office.errors import ServiceError


class ClockError(ServiceError):
    """A rule of the clock or of a ladder was broken; the message is for a clerk."""
