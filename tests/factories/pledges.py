import datetime

import factory

from gcm.models import Objective
from mechanisms.models import State
from pledges.enums import ImrfEdition, PledgerType, PledgeScope, PledgeStatus
from pledges.models import Pledge, PledgeUpdate

__all__ = ["PledgeFactory", "PledgeUpdateFactory"]


class PledgeFactory(factory.django.DjangoModelFactory):
    """A published State pledge by Indonesia on objective 1 unless told otherwise (needs reference data)."""

    class Meta:
        model = Pledge
        skip_postgeneration_save = True

    pledger_type = PledgerType.STATE
    pledger_state = factory.LazyFunction(lambda: State.objects.get(iso3="IDN"))
    title = factory.Sequence(lambda n: f"Pledge {n}")
    text = "We commit to act."
    imrf_edition = ImrfEdition.IMRF_2022
    announced_on = datetime.date(2022, 5, 20)
    scope = PledgeScope.NATIONAL
    status = PledgeStatus.ANNOUNCED
    is_published = True

    @factory.post_generation
    def objectives(self, create, numbers, **kwargs):
        if create:
            self.objectives.set(Objective.objects.filter(number__in=numbers or [1]))


class PledgeUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeUpdate

    pledge = factory.SubFactory(PledgeFactory)
    date = datetime.date(2023, 5, 20)
    text = "Progress."
    status = PledgeStatus.IN_PROGRESS
