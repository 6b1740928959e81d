from hypothesis import given
from hypothesis import strategies as st

from smartcommune.dossiers import workflow
from smartcommune.dossiers.choices import FINISHED_STATUSES, DossierStatus
from smartcommune.dossiers.workflow import Action, InvalidTransition


@given(status=st.sampled_from(list(DossierStatus)), action=st.sampled_from(list(Action)))
def test_every_transition_leads_to_a_known_status_or_is_refused(status, action):
    try:
        after = workflow.target(status, action)
    except InvalidTransition:
        assert not workflow.allowed(status, action)
    else:
        assert after in DossierStatus.values


def test_finished_dossiers_accept_nothing_but_the_receipt_confirmation():
    for status in FINISHED_STATUSES:
        assert set(workflow.actions_from(status)) <= {Action.CONFIRM_RECEIPT, Action.RETURN_RESULT}
    assert workflow.actions_from(DossierStatus.RETURNED) == [Action.CONFIRM_RECEIPT]
    assert workflow.actions_from(DossierStatus.PROCESSED) == [Action.RETURN_RESULT]


def test_an_unpaid_dossier_can_only_be_paid_or_withdrawn():
    assert set(workflow.actions_from(DossierStatus.AWAITING_PAYMENT)) == {Action.PAY, Action.WITHDRAW}


def test_waiting_for_supplements_stops_the_work_but_not_the_applicant():
    allowed = set(workflow.actions_from(DossierStatus.SUPPLEMENT_REQUESTED))
    assert Action.FORWARD not in allowed and Action.RECORD_RESULT not in allowed
    assert {Action.SUPPLEMENT, Action.WITHDRAW, Action.REFUSE, Action.APOLOGIZE} <= allowed
