"""Demo content for packages: a shared review cycle with a few approved reviews written in plausible prose.

`review_text` and `approved_review_create` are also used by the test factories and by the benchmark,
so that every PDF we look at reads like a real synthesis rather than lorem ipsum.
"""

import random
from datetime import date

from django.utils import timezone

from accounts.models import User
from gcm.models import GuidingPrinciple, Objective
from gcm.topics import OBJECTIVE_TOPICS
from mechanisms.models import Mechanism, Membership
from reviews.enums import ReviewStatus, StakeholderType
from reviews.models import ObjectiveReport, Review, ReviewCycle, ReviewMeeting

DEMO_CYCLE = {
    "slug": "2024-regional-reviews",
    "name": "2024 regional reviews",
    "review_year": 2024,
    "imrf_year": 2026,
    "opens_on": date(2024, 1, 15),
    "due_on": date(2024, 12, 31),
}
# Mechanisms the reviews demo leaves without a 2024 review (the Bali Process keeps its "start from the last
# cycle" for its secretariat to try), so the package gathers several regions.
DEMO_MECHANISMS = (
    "abu-dhabi-dialogue",
    "colombo-process",
    "igad-rcp",
    "khartoum-process",
    "midwa",
    "prague-process",
    "rabat-process",
    "sacm",
)

SENTENCES = {
    "progress": [
        "Since the last review, {n} Member States of the {acronym} have adopted national action plans that refer "
        "explicitly to objective {objective} of the Global Compact.",
        "The {acronym} working group on {topic} met twice a year and agreed a common reporting template, which "
        "made it possible to compare national measures for the first time.",
        "Several States revised their legislation on {topic}, and two established inter-ministerial committees "
        "that include labour, interior and foreign affairs ministries.",
        "Regional ministerial declarations adopted in {year} committed participating States to measurable "
        "targets on {topic}, with progress reviewed at each plenary.",
        "Cooperation with the UN Network on Migration at regional level strengthened the follow-up, in particular "
        "through joint technical workshops and peer exchanges among officials.",
        "Pilot projects run with local authorities in border areas showed that coordinated services reduce "
        "waiting times and improve the protection of migrants in vulnerable situations.",
    ],
    "good_practices": [
        "A bilateral agreement between two member States on {topic} now serves as a model for the region, as it "
        "sets out clear roles, a dispute mechanism and joint monitoring.",
        "One State created a one-stop centre where migrants receive information on {topic} in six languages, "
        "including Arabic, French and Spanish, from trained cultural mediators.",
        "Peer-learning visits organised by the {acronym} secretariat allowed officials to see how neighbouring "
        "administrations handle {topic} and to adapt procedures quickly.",
        "A regional platform for civil society, trade unions and employers was consulted on every draft "
        "recommendation, which broadened ownership of the outcomes.",
        "Digital case management shared between consular services cut processing times by a third while "
        "keeping personal data protected under agreed safeguards.",
    ],
    "challenges": [
        "Data on {topic} remain scattered across ministries and are rarely disaggregated by sex, age and "
        "migration status, which limits evidence-based policy making.",
        "Funding for regional activities depends on a few donors, and several planned workshops on {topic} had "
        "to be postponed during the review period.",
        "Frequent turnover of focal points in national administrations makes it hard to sustain commitments "
        "between the annual meetings of the {acronym}.",
        "Differences in legal frameworks among member States complicate the recognition of skills, documents and "
        "social security entitlements across borders.",
        "Migrants in irregular situations still face barriers to basic services, and local authorities report "
        "that they lack guidance and resources to respond.",
    ],
    "recommendations": [
        "Member States should agree on a small set of regional indicators for objective {objective} and report "
        "on them before the next International Migration Review Forum.",
        "The {acronym} should establish a standing thematic working group on {topic}, open to relevant "
        "stakeholders, with a two-year work plan.",
        "Donors and regional organisations are encouraged to pool resources for capacity building on {topic} "
        "rather than fund isolated national projects.",
        "States should involve migrants and diaspora organisations in the design and evaluation of measures on "
        "{topic}, in line with the whole-of-society approach.",
        "The secretariat should publish a short annual progress note so that commitments made at ministerial "
        "level can be followed by parliaments and the public.",
    ],
    "data_evidence": [
        "National statistical offices of {n} member States provided figures for the review, covering the period "
        "2019 to {year}.",
        "Administrative data show a steady increase in regular pathways related to {topic}, although figures "
        "for some States are provisional.",
        "A regional survey of {m} officials and practitioners informed the assessment of progress and gaps on {topic}.",
        "Where national data were missing, the review relied on estimates from the IOM Global Migration Data "
        "Portal and from the UN Department of Economic and Social Affairs.",
    ],
}
TOPICS = [
    "labour migration",
    "return and reintegration",
    "border governance",
    "consular protection",
    "migrant smuggling",
    "trafficking in persons",
    "remittances",
    "skills recognition",
    "climate-related mobility",
    "missing migrants",
    "migration data",
    "social protection",
]
# Meeting places in the scripts the report must render (Latin with diacritics, Arabic).
MEETING_PLACES = ["Genève", "عمّان", "Ciudad de México", "Dakar", "Nairobi"]


def review_text(field: str, *, acronym: str, objective: int, words: int, seed: int) -> str:
    """Plausible prose for one field of an objective report, about `words` long, in two or three paragraphs."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo text, not security
    bank = SENTENCES[field]
    sentences, count, order = [], 0, []
    while count < words:
        if not order:  # go through the whole bank before a template comes back
            order = rng.sample(bank, len(bank))
        sentence = order.pop().format(
            acronym=acronym,
            objective=objective,
            topic=rng.choice(OBJECTIVE_TOPICS.get(objective) or TOPICS),
            n=rng.randint(3, 14),
            m=rng.randint(40, 400),
            year=rng.choice([2022, 2023, 2024]),
        )
        sentences.append(sentence)
        count += len(sentence.split())
    cut = max(1, len(sentences) // 2)
    return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])


def demo_cycle() -> ReviewCycle:
    cycle, _created = ReviewCycle.objects.get_or_create(
        slug=DEMO_CYCLE["slug"], defaults={k: v for k, v in DEMO_CYCLE.items() if k != "slug"}
    )
    return cycle


def approved_review_create(
    *, mechanism: Mechanism, cycle: ReviewCycle, objectives=None, words: int = 60, seed: int = 0
) -> Review:
    """An approved review with an overview and one report per objective in `objectives` (numbers)."""
    rng = random.Random(f"{mechanism.slug}-{seed}")  # noqa: S311 - reproducible demo data
    numbers = list(objectives) if objectives is not None else sorted(rng.sample(range(1, 24), 8))
    acronym = mechanism.acronym
    review = Review.objects.create(
        mechanism=mechanism,
        cycle=cycle,
        status=ReviewStatus.APPROVED,
        language="en",
        method=review_text("progress", acronym=acronym, objective=0, words=min(words, 80), seed=seed + 1),
        mandate=f"At its ministerial meeting, the {acronym} mandated its secretariat to prepare the regional review "
        f"of the Global Compact in consultation with all Member States and stakeholders.",
        partnerships=review_text("good_practices", acronym=acronym, objective=0, words=min(words, 60), seed=seed + 2),
        key_messages=review_text("recommendations", acronym=acronym, objective=0, words=min(words, 80), seed=seed + 3),
        stakeholders_consulted=[
            StakeholderType.CIVIL_SOCIETY,
            StakeholderType.MIGRANTS_DIASPORA,
            StakeholderType.UN_NETWORK,
            StakeholderType.ACADEMIA,
        ],
        approved_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    members = Membership.objects.current().filter(mechanism=mechanism, role="member").select_related("state")
    states = [membership.state for membership in members]
    review.participating_states.set(states[: max(1, len(states) * 3 // 4)])
    ReviewMeeting.objects.create(
        review=review,
        title=f"{acronym} regional review consultation",
        held_on=date(2024, 5, 14),
        place=MEETING_PLACES[seed % len(MEETING_PLACES)],
    )
    objectives_by_number = {objective.number: objective for objective in Objective.objects.all()}
    principles = list(GuidingPrinciple.objects.order_by("letter")[:3])
    for number in numbers:
        report = ObjectiveReport.objects.create(
            review=review,
            objective=objectives_by_number[number],
            is_regional_priority=rng.random() < 0.3,
            **{
                field: review_text(field, acronym=acronym, objective=number, words=words, seed=seed * 100 + number + i)
                for i, field in enumerate(SENTENCES)
            },
            data_sources="National statistical offices; IOM Global Migration Data Portal; UN DESA.",
        )
        report.guiding_principles.set(principles)
    return review


def demo_packages_create(*, password: str) -> list[str]:
    """Make sure the shared 2024 cycle has approved reviews and a package to compile; returns lines to print."""
    from .models import Package
    from .services import package_create

    cycle = demo_cycle()
    created = []
    for index, mechanism in enumerate(Mechanism.objects.filter(slug__in=DEMO_MECHANISMS).order_by("acronym")):
        if Review.objects.filter(cycle=cycle, mechanism=mechanism).exists():
            continue  # another app's demo wrote this one; leave it as it is
        review = approved_review_create(mechanism=mechanism, cycle=cycle, words=120, seed=index)
        review.participating_states.add(*_names_in_other_scripts())
        created.append(mechanism.acronym)
    iom = User.objects.filter(username="iom.reviewer").first()
    if iom and not Package.objects.filter(cycle=cycle).exists():
        package_create(
            cycle=cycle,
            title="Regional reviews 2024: input to the IMRF 2026",
            foreword="This package gathers the approved regional reviews of the 2024 cycle.",
            by=iom,
        )
    approved = Review.objects.filter(cycle=cycle, status=ReviewStatus.APPROVED).count()
    note = f" (new demo reviews: {', '.join(created)})" if created else ""
    return [f"  IMRF packages: {approved} approved reviews in {cycle.name}, a package ready to compile{note}"]


def _names_in_other_scripts():
    from mechanisms.models import State

    return list(State.objects.filter(iso3__in=["CIV", "DOM", "JOR", "TUR", "STP"]))
