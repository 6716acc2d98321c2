"""Walking a document's review chain in tests, as its people would."""


def pending_signer(document):
    """The person the document's chain will have sign it (its 签发 step's assignee)."""
    from documents.models import ReviewStep, StepKind, StepStatus

    step = ReviewStep.objects.get(
        document=document, kind=StepKind.SIGN_OFF, status__in=[StepStatus.WAITING, StepStatus.PENDING]
    )
    return step.assignee


def sign_chain(document, *, signer, reviewer=None, opinion="同意。"):
    """Walk the document's review chain as its people would: each pending step approved by its assignee;
    the 签发 step must be the ``signer``'s (and a 核稿 step the ``reviewer``'s, when given)."""
    from documents.models import ReviewStep, StepKind, StepStatus
    from documents.services import step_approve

    for _ in range(20):
        step = (
            ReviewStep.objects.filter(document=document, status=StepStatus.PENDING)
            .order_by("stage", "id")
            .first()
        )
        if step is None:
            break
        if step.kind == StepKind.SIGN_OFF:
            assert step.assignee == signer
        elif reviewer is not None and step.kind == StepKind.REVIEW:
            assert step.assignee == reviewer
        step_approve(actor=step.assignee, step=step, opinion=opinion)
