"""All factories, one import away: `from tests.factories import UserFactory`."""

from .accounts import *  # noqa: F403
from .library import *  # noqa: F403
from .mechanisms import *  # noqa: F403
from .packages import *  # noqa: F403
from .pledges import *  # noqa: F403
from .reviews import *  # noqa: F403
from .workflow import *  # noqa: F403
