"""Domain errors of the packages app; views turn them into a message, a failed compile shows them as its reason."""


class PackageError(Exception):
    """A package action that is not allowed in the current state."""


class PackageCompileError(Exception):
    """A compile could not finish; the message is shown to IOM staff as the reason."""


class SynthesisError(PackageError):
    """A write to IOM's synthesis that is refused; the message says why."""


class SynthesisConflict(SynthesisError):
    """Someone saved the same part of the synthesis since this form was loaded; nothing was written."""

    def __init__(self, message: str, *, current_revision: int):
        super().__init__(message)
        self.current_revision = current_revision
