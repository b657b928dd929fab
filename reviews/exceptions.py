"""Domain errors of the reviews app; views turn them into messages for the user."""


class ReviewError(Exception):
    """Base class: the message is safe to show to the user."""


class TransitionNotAllowed(ReviewError):
    """The action is not allowed from the review's current status, or not for this user."""


class TransitionRequirementsNotMet(ReviewError):
    """The action is allowed, but the review does not yet meet what it requires."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


class TransitionNeedsConfirmation(TransitionRequirementsNotMet):
    """The action is possible, but leaves something open (`problems`) the person must knowingly confirm."""


class ReviewNotEditable(ReviewError):
    """The review's content is frozen in its current status."""
