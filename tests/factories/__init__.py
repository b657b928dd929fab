"""All factories, one import away: `from tests.factories import UserFactory`."""

from .accounts import *  # noqa: F403
from .packages import *  # noqa: F403
