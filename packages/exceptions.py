"""Domain errors of the packages app; views turn them into a message, a failed compile shows them as its reason."""


class PackageError(Exception):
    """A package action that is not allowed in the current state."""


class PackageCompileError(Exception):
    """A compile could not finish; the message is shown to IOM staff as the reason."""
