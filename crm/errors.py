"""What can go wrong in the CRM, in the CRM's own words."""


class WeaverError(Exception):
    """Base for errors a person can act on; the message is shown to them as it is."""


class NotFound(WeaverError):
    pass


class InvalidInput(WeaverError):
    """Input that breaks a rule; `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class OfficerAlreadyExists(InvalidInput):
    pass
