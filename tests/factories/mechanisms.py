import datetime
import string

import factory

from mechanisms.enums import GcmVote2018, MechanismKind, MembershipRole, RegionLevel, UnStatus
from mechanisms.models import ChairTerm, Mechanism, Membership, Region, State, Theme

__all__ = [
    "ChairTermFactory",
    "MechanismFactory",
    "MembershipFactory",
    "RegionFactory",
    "StateFactory",
    "ThemeFactory",
    "directory_volume_create",
]

# Generated States need unique two- and three-character codes beyond the real ISO and M49 ranges.
_CODE_ALPHABET = string.digits + string.ascii_lowercase + "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ"


def _code(n: int, length: int) -> str:
    chars = []
    for _ in range(length):
        n, rest = divmod(n, len(_CODE_ALPHABET))
        chars.append(_CODE_ALPHABET[rest])
    return "".join(reversed(chars))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Test region {n}")
    level = RegionLevel.CONTINENT
    parent = None


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State

    iso3 = factory.Sequence(lambda n: "x" + _code(n, 2))
    iso2 = factory.Sequence(lambda n: _code(n, 2))
    m49_code = factory.Sequence(lambda n: "x" + _code(n, 2))
    name = factory.Sequence(lambda n: f"Test State {n:05d}")
    un_status = UnStatus.MEMBER_STATE
    region = factory.SubFactory(RegionFactory)
    subregion = factory.SubFactory(
        RegionFactory, name=factory.Sequence(lambda n: f"Test sub-region {n}"), level=RegionLevel.SUBREGION
    )
    gcm_vote_2018 = GcmVote2018.IN_FAVOUR_OR_NOT_VOTING


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"test theme {n}")
    slug = factory.LazyAttribute(lambda theme: theme.name.replace(" ", "-"))


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism
        skip_postgeneration_save = True

    acronym = factory.Sequence(lambda n: f"TM-{n:04d}")
    slug = factory.LazyAttribute(lambda mechanism: mechanism.acronym.lower())
    name = factory.LazyAttribute(lambda mechanism: f"Test mechanism {mechanism.acronym}")
    kind = MechanismKind.RCP
    founded = 2000

    @factory.post_generation
    def regions(self, create, regions, **kwargs):
        if create and regions:
            self.regions.set(regions)

    @factory.post_generation
    def themes(self, create, themes, **kwargs):
        if create and themes:
            self.themes.set(themes)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    mechanism = factory.SubFactory(MechanismFactory)
    state = factory.SubFactory(StateFactory)
    role = MembershipRole.MEMBER


class ChairTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChairTerm

    mechanism = factory.SubFactory(MechanismFactory)
    state = factory.SubFactory(StateFactory)
    start_date = datetime.date(2024, 1, 1)


def directory_volume_create(*, mechanisms: int, states: int, memberships: int, extra_state=None) -> list[Mechanism]:
    """Bulk-create a large directory on top of what exists: the volume behind the query-count tests.

    Each mechanism gets regions, themes, a chair and an even share of the memberships (every third one an
    Observer); `extra_state` (e.g. the logged-in focal point's State) joins every mechanism.
    """
    subregions = list(Region.objects.filter(level=RegionLevel.SUBREGION))
    themes = list(Theme.objects.all()) or ThemeFactory.create_batch(5)
    offset = State.objects.count() + 1000
    new_states = State.objects.bulk_create(
        StateFactory.build(
            iso3="x" + _code(offset + i, 2),
            iso2=_code(offset + i, 2),
            m49_code="x" + _code(offset + i, 2),
            name=f"Volume State {i:05d}",
            region=subregions[i % len(subregions)].parent,
            subregion=subregions[i % len(subregions)],
        )
        for i in range(states)
    )
    start = Mechanism.objects.count()
    new_mechanisms = Mechanism.objects.bulk_create(
        MechanismFactory.build(
            acronym=f"VOL-{start + i:05d}",
            slug=f"vol-{start + i:05d}",
            name=f"Volume mechanism {i} on labour mobility",
            kind=MechanismKind.values[i % 3],
        )
        for i in range(mechanisms)
    )
    Mechanism.regions.through.objects.bulk_create(
        Mechanism.regions.through(mechanism_id=m.pk, region_id=subregions[(i + k) % len(subregions)].pk)
        for i, m in enumerate(new_mechanisms)
        for k in range(2)
    )
    Mechanism.themes.through.objects.bulk_create(
        Mechanism.themes.through(mechanism_id=m.pk, theme_id=themes[(i + k) % len(themes)].pk)
        for i, m in enumerate(new_mechanisms)
        for k in range(3)
    )
    ChairTerm.objects.bulk_create(
        ChairTerm(
            mechanism=m,
            state=new_states[i % states],
            start_date=datetime.date(2020 + k * 2, 1, 1),
            end_date=datetime.date(2022 + k * 2, 1, 1) if k == 0 else None,
        )
        for i, m in enumerate(new_mechanisms)
        for k in range(2)
    )
    per_mechanism = memberships // mechanisms
    rows = []
    for i, mechanism in enumerate(new_mechanisms):
        chosen = {new_states[(i * 7 + k) % states] for k in range(per_mechanism)}
        if extra_state is not None:
            chosen.add(extra_state)
        for k, state in enumerate(sorted(chosen, key=lambda s: s.iso3)):
            role = MembershipRole.OBSERVER if k % 3 == 2 else MembershipRole.MEMBER
            rows.append(Membership(mechanism=mechanism, state=state, role=role, start_date=datetime.date(2010, 1, 1)))
    Membership.objects.bulk_create(rows)
    return new_mechanisms
