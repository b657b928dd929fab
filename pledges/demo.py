"""About 170 demo pledges with a realistic spread over objectives, pledger types and regions (local use only)."""

import datetime
import random

from django.db import transaction

from accounts.models import User
from gcm.models import GuidingPrinciple, Objective
from mechanisms.models import Mechanism, Region, State

from .enums import ImrfEdition, PledgerType, PledgeScope, PledgeStatus
from .models import Pledge, PledgeUpdate
from .services import pledge_create, pledge_progress_add

DEMO_STATES = [
    "GHA", "PHL", "IDN", "MEX", "COL", "ECU", "CAN", "DEU", "PRT", "ESP", "SWE", "CHE", "MAR", "NGA",
    "KEN", "ETH", "ZAF", "EGY", "BGD", "NPL", "LKA", "THA", "TUR", "JOR", "FJI", "NZL", "GTM",
]  # fmt: skip
DEMO_MECHANISMS = ["bali-process", "midwa", "rcm-puebla-process", "rabat-process", "khartoum-process"]
UN_ENTITIES = ["IOM", "UNHCR", "UNICEF", "ILO", "UNDP", "UN Women", "OHCHR", "WHO", "UNODC", "UNFPA"]
STAKEHOLDERS = {
    PledgerType.LOCAL_AUTHORITY: [
        "Harbour City Council",
        "Metropolitan Region of the Valley",
        "Riverside Municipality",
    ],
    PledgerType.CIVIL_SOCIETY: ["Regional Migrant Rights Network", "Shelter Alliance", "Legal Aid for Migrants"],
    PledgerType.MIGRANT_DIASPORA: ["Diaspora Development Forum", "Migrant Women Collective"],
    PledgerType.PRIVATE_SECTOR: ["Fair Recruitment Business Coalition", "Remittance Providers Association"],
    PledgerType.TRADE_UNION: ["Domestic Workers Federation", "Construction Workers International"],
    PledgerType.ACADEMIA: ["Institute for Migration Studies", "University Migration Data Lab"],
    PledgerType.OTHER: ["Faith-Based Migration Platform"],
}
# Relative weight of each objective, after what the 2022 pledges stressed (data, pathways, inclusion, cooperation).
OBJECTIVE_WEIGHTS = {
    1: 9, 2: 6, 3: 4, 4: 3, 5: 9, 6: 6, 7: 8, 8: 2, 9: 3, 10: 4, 11: 2, 12: 2, 13: 1,
    14: 3, 15: 6, 16: 8, 17: 4, 18: 6, 19: 5, 20: 4, 21: 1, 22: 3, 23: 10,
}  # fmt: skip
ACTIONS = [
    "national action plan",
    "new funding commitment",
    "capacity-building programme",
    "legislative review",
    "partnership with local actors",
    "pilot project",
    "regional cooperation initiative",
]


def _objective_mix(rng: random.Random, objectives: dict[int, Objective]) -> list[Objective]:
    numbers = list(OBJECTIVE_WEIGHTS)
    weights = list(OBJECTIVE_WEIGHTS.values())
    count = rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]
    chosen = set()
    while len(chosen) < count:
        chosen.add(rng.choices(numbers, weights=weights)[0])
    return [objectives[number] for number in sorted(chosen)]


def _pledgers(rng: random.Random, states, mechanisms) -> list[tuple[str, object]]:
    """105 State pledges by 27 States, 22 by UN entities, 10 by ISCMs and 33 by other stakeholders."""
    pledgers = [(PledgerType.STATE, state) for state in states]  # every State pledges at least once
    pledgers += [(PledgerType.STATE, rng.choice(states)) for _ in range(105 - len(states))]
    pledgers += [(PledgerType.UN_ENTITY, rng.choice(UN_ENTITIES)) for _ in range(22)]
    pledgers += [(PledgerType.ISCM, mechanisms[index % len(mechanisms)]) for index in range(10)]
    stakeholder_types = list(STAKEHOLDERS)
    for index in range(33):
        kind = stakeholder_types[index % len(stakeholder_types)]
        pledgers.append((kind, rng.choice(STAKEHOLDERS[kind])))
    rng.shuffle(pledgers)
    return pledgers


def _progress_dates(rng: random.Random, announced: datetime.date) -> list[datetime.date]:
    dates, day = [], announced
    for _step in range(rng.randint(1, 3)):
        day = day + datetime.timedelta(days=rng.randint(150, 500))
        if day > datetime.date(2026, 11, 1):
            break
        dates.append(day)
    return dates


@transaction.atomic
def demo_pledges_create(*, password: str) -> list[str]:
    """Record the demo pledges and their progress as IOM would, through the pledge services; once only.

    Demo pledges that exist already are left as they are, so running the demo again changes nothing.
    """
    demo_pledges = Pledge.objects.filter(is_demo=True)
    if not demo_pledges.exists():
        _demo_pledges_record(by=User.objects.get(username="iom.reviewer"))
    count = demo_pledges.count()
    updates = PledgeUpdate.objects.filter(pledge__is_demo=True).count()
    return [f"  {count} demo pledges ({updates} progress updates)"]


def _demo_pledges_record(*, by) -> None:
    rng = random.Random(2022)  # noqa: S311 - demo data, not security
    states = list(State.objects.filter(iso3__in=DEMO_STATES).select_related("region").order_by("iso3"))
    mechanisms = list(Mechanism.objects.filter(slug__in=DEMO_MECHANISMS).order_by("slug"))
    objectives = {objective.number: objective for objective in Objective.objects.all()}
    principles = list(GuidingPrinciple.objects.all())
    continents = list(Region.objects.filter(level="continent"))
    imrf_2022 = datetime.date(2022, 5, 20)
    for index, (kind, who) in enumerate(_pledgers(rng, states, mechanisms), start=1):
        chosen = _objective_mix(rng, objectives)
        edition = ImrfEdition.IMRF_2026 if index % 9 == 0 else ImrfEdition.IMRF_2022
        announced = (
            imrf_2022 - datetime.timedelta(days=rng.randint(0, 3)) if edition == 2022 else datetime.date(2026, 5, 8)
        )
        status = rng.choices(list(PledgeStatus), weights=[30, 50, 15, 5])[0]
        if edition == ImrfEdition.IMRF_2026:
            status = PledgeStatus.ANNOUNCED
        fields = {
            "pledger_type": kind,
            "text": (
                f"{chosen[0].title}. This demo pledge commits resources, partnerships and a timeline towards "
                f"GCM objective {chosen[0].number}"
                + (f", with objectives {', '.join(str(o.number) for o in chosen[1:])}." if len(chosen) > 1 else ".")
            ),
            "imrf_edition": edition,
            "announced_on": announced,
            "is_demo": True,
            "is_published": index % 23 != 0,
            "sources": ["https://www.un.org/en/migration2022/pledges"] if edition == 2022 else [],
        }
        # The random draws come in the order the earlier demo made them, so the set stays the same.
        action = rng.choice(ACTIONS)
        if kind == PledgerType.STATE:
            fields |= {"pledger_state": who, "scope": PledgeScope.NATIONAL}
            pledger = who.name
        elif kind == PledgerType.ISCM:
            fields |= {"pledger_mechanism": who, "scope": PledgeScope.REGIONAL}
            pledger = who.acronym
        else:
            scope = rng.choice([PledgeScope.GLOBAL, PledgeScope.REGIONAL, PledgeScope.NATIONAL])
            fields |= {"pledger_name": who, "scope": scope}
            pledger = who
        fields["title"] = f"{chosen[0].short_label}: {action} ({pledger})"[:255]
        relations = {"objectives": chosen, "guiding_principles": rng.sample(principles, rng.randint(1, 3))}
        if kind == PledgerType.STATE:
            relations["states"] = [who]
            if rng.random() < 0.1:
                relations["co_pledger_states"] = [rng.choice([s for s in states if s != who])]
        elif kind == PledgerType.ISCM:
            relations["regions"] = list(who.regions.all())
        elif fields["scope"] == PledgeScope.REGIONAL:
            relations["regions"] = [rng.choice(continents)]
        elif fields["scope"] == PledgeScope.NATIONAL:
            relations["states"] = [rng.choice(states)]
        dates = _progress_dates(rng, announced) if status != PledgeStatus.ANNOUNCED else []
        # A pledge with progress updates takes its status from them, as when its owner reports progress.
        fields["status"] = PledgeStatus.ANNOUNCED if dates else status
        pledge = pledge_create(by=by, fields=fields, relations=relations)
        for number, day in enumerate(dates, start=1):
            pledge_progress_add(
                pledge=pledge,
                by=by,
                date=day,
                text="Demo progress: activities under way with national and local partners.",
                status=status if number == len(dates) else PledgeStatus.IN_PROGRESS,
            )
