"""The transition table: which action may run in which status, and where it leads. Pure Python."""

from enum import StrEnum

from .choices import DossierStatus as S


class Action(StrEnum):
    PAY = "pay"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    APPROVE = "approve"
    REFUSE = "refuse"
    RECORD_RESULT = "record_result"
    RETURN_RESULT = "return_result"
    CONFIRM_RECEIPT = "confirm_receipt"
    WITHDRAW = "withdraw"
    APOLOGIZE = "apologize"


_WORKING = frozenset({S.RECEIVED, S.PROCESSING})
_ACTIVE = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED})

# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[Action, tuple[frozenset[int], int | None]] = {
    Action.PAY: (frozenset({S.AWAITING_PAYMENT}), S.RECEIVED),
    Action.FORWARD: (_WORKING, S.PROCESSING),
    Action.SEND_BACK: (frozenset({S.PROCESSING}), S.PROCESSING),
    Action.REQUEST_SUPPLEMENT: (_WORKING, S.SUPPLEMENT_REQUESTED),
    Action.SUPPLEMENT: (frozenset({S.SUPPLEMENT_REQUESTED}), S.PROCESSING),
    Action.APPROVE: (frozenset({S.PROCESSING}), None),
    Action.REFUSE: (_ACTIVE, S.STOPPED),
    Action.RECORD_RESULT: (frozenset({S.PROCESSING}), S.PROCESSED),
    Action.RETURN_RESULT: (frozenset({S.PROCESSED}), S.RETURNED),
    Action.CONFIRM_RECEIPT: (frozenset({S.RETURNED}), None),
    Action.WITHDRAW: (_ACTIVE | {S.NEW_ONLINE, S.AWAITING_PAYMENT}, S.WITHDRAWN),
    Action.APOLOGIZE: (_ACTIVE, None),
}


class InvalidTransition(Exception):
    def __init__(self, action: Action, status: int):
        self.action, self.status = action, status
        super().__init__(f"{action} is not allowed in status {status}")


def allowed(status: int, action: Action) -> bool:
    return status in TRANSITIONS[action][0]


def target(status: int, action: Action) -> int:
    """The status after `action`; raises InvalidTransition when it may not run."""
    sources, to = TRANSITIONS[action]
    if status not in sources:
        raise InvalidTransition(action, status)
    return status if to is None else to


def actions_from(status: int) -> list[Action]:
    return [a for a in Action if allowed(status, a)]
