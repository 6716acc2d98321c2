from office.errors import ServiceError


class DutyError(ServiceError):
    """A rule of the duty room was broken; the message is for a clerk."""
