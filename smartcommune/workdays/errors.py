from smartcommune.core.errors import InvalidInput


class CalendarInputError(InvalidInput):
    """Calendar data that breaks a rule; `field` names the form field it belongs to, if any."""

    def __init__(self, detail=None, *, field: str | None = None):
        super().__init__(detail)
        self.field = field
