"""Demo content for packages: a shared review cycle with a few approved reviews written in plausible prose.

`review_text` and `approved_review_create` are also used by the test factories and by the benchmark, so that
every PDF we look at reads like a real synthesis rather than lorem ipsum. `approved_review_create` writes and
approves the review through the review services, as a secretariat and IOM would.
"""

import random
from datetime import date, timedelta

from accounts.models import User
from gcm.models import GuidingPrinciple, Objective
from gcm.topics import OBJECTIVE_TOPICS
from mechanisms.models import Mechanism, Membership, State
from reviews.demo import CURRENT_CYCLE, demo_cycles
from reviews.demo_workflow import demo_review_approve, demo_review_submit
from reviews.enums import ReviewStatus, StakeholderType
from reviews.models import Review, ReviewCycle
from reviews.services import objective_report_save, review_create, review_overview_update

from .models import Package, SynthesisText
from .services import package_create
from .synthesis import synthesis_text_save

# Mechanisms the reviews demo leaves without a current review (the Bali Process keeps its "start from the last
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
# Participating States whose names the report must render with their diacritics (Côte d'Ivoire, Türkiye, ...).
NAMES_IN_OTHER_SCRIPTS = ["CIV", "DOM", "JOR", "TUR", "STP"]
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
    """The demo's current cycle (the reviews demo owns the demo cycles and their dates)."""
    return demo_cycles()[CURRENT_CYCLE]


def approved_review_create(
    *,
    mechanism: Mechanism,
    cycle: ReviewCycle,
    secretariat,
    iom,
    objectives=None,
    words: int = 60,
    seed: int = 0,
    more_states=(),
    meeting_on: date | None = None,
) -> Review:
    """An approved review with an overview and one report per objective in `objectives` (numbers).

    Written by `secretariat` and approved by `iom` through the same services as the pages, so it has the
    versions, the workflow history and the library entries of any approved review.
    """
    rng = random.Random(f"{mechanism.slug}-{seed}")  # noqa: S311 - reproducible demo data
    numbers = list(objectives) if objectives is not None else sorted(rng.sample(range(1, 24), 8))
    acronym = mechanism.acronym
    review = review_create(mechanism=mechanism, cycle=cycle, by=secretariat)
    members = Membership.objects.current().filter(mechanism=mechanism, role="member").select_related("state")
    states = [membership.state for membership in members]
    overview = {
        "language": "en",
        "method": review_text("progress", acronym=acronym, objective=0, words=min(words, 80), seed=seed + 1),
        "mandate": f"At its ministerial meeting, the {acronym} mandated its secretariat to prepare the regional "
        f"review of the Global Compact in consultation with all Member States and stakeholders.",
        "partnerships": review_text(
            "good_practices", acronym=acronym, objective=0, words=min(words, 60), seed=seed + 2
        ),
        "key_messages": review_text(
            "recommendations", acronym=acronym, objective=0, words=min(words, 80), seed=seed + 3
        ),
        "stakeholders_consulted": [
            StakeholderType.CIVIL_SOCIETY,
            StakeholderType.MIGRANTS_DIASPORA,
            StakeholderType.UN_NETWORK,
            StakeholderType.ACADEMIA,
        ],
        "participating_states": [*states[: max(1, len(states) * 3 // 4)], *more_states],
    }
    meeting = {
        "title": f"{acronym} regional review consultation",
        "held_on": meeting_on or date(2024, 5, 14),
        "place": MEETING_PLACES[seed % len(MEETING_PLACES)],
    }
    review = review_overview_update(
        review=review, data=overview, meetings=[meeting], loaded_revision=review.revision, by=secretariat
    )
    objectives_by_number = {objective.number: objective for objective in Objective.objects.all()}
    principles = list(GuidingPrinciple.objects.order_by("letter")[:3])
    for number in numbers:
        text = {
            field: review_text(field, acronym=acronym, objective=number, words=words, seed=seed * 100 + number + i)
            for i, field in enumerate(SENTENCES)
        }
        objective_report_save(
            review=review,
            objective=objectives_by_number[number],
            data={
                "is_regional_priority": rng.random() < 0.3,
                "guiding_principles": principles,
                "data_sources": "National statistical offices; IOM Global Migration Data Portal; UN DESA.",
                **text,
            },
            loaded_revision=0,
            by=secretariat,
        )
    demo_review_submit(review, secretariat=secretariat)
    demo_review_approve(review, iom=iom)
    review.refresh_from_db()
    return review


def demo_packages_create(*, password: str) -> list[str]:
    """Make sure the demo's current cycle has approved reviews and a package to compile; returns lines to print."""
    cycle = demo_cycle()
    iom = User.objects.get(username="iom.reviewer")
    created = []
    for index, mechanism in enumerate(Mechanism.objects.filter(slug__in=DEMO_MECHANISMS).order_by("acronym")):
        if Review.objects.filter(cycle=cycle, mechanism=mechanism).exists():
            continue  # another app's demo wrote this one; leave it as it is
        secretariat = User.objects.filter(is_demo=True, secretariat_mechanisms=mechanism).order_by("pk").first()
        approved_review_create(
            mechanism=mechanism,
            cycle=cycle,
            secretariat=secretariat,
            iom=iom,
            words=120,
            seed=index,
            more_states=State.objects.filter(iso3__in=NAMES_IN_OTHER_SCRIPTS),
            meeting_on=cycle.opens_on + timedelta(days=20 + index),
        )
        created.append(mechanism.acronym)
    package = Package.objects.filter(cycle=cycle).order_by("pk").first()
    if package is None:
        package = package_create(
            cycle=cycle,
            title=f"{cycle.name.capitalize()}: input to the IMRF {cycle.imrf_year}",
            foreword=f"This package gathers the approved reviews of {cycle.name}.",
            by=iom,
        )
    demo_synthesis_write(package=package, iom=iom)
    approved = Review.objects.filter(cycle=cycle, status=ReviewStatus.APPROVED).count()
    note = f" (new demo reviews: {', '.join(created)})" if created else ""
    return [f"  IMRF packages: {approved} approved reviews in {cycle.name}, a package ready to compile{note}"]


DEMO_SUMMARY = """The regional reviews of the 2024 cycle show the Global Compact at work in every region. Eight \
mechanisms reviewed their implementation with their Member States, civil society and migrants' organisations.

Three messages stand out across the regions:

- **Labour mobility** is where cooperation moved furthest: bilateral agreements, skills partnerships and fair \
recruitment (objective 6).
- **Data** remain the weakest link: most mechanisms call for comparable figures on migrants' situation.
- **Regular pathways** widened, but unevenly, and the reviews ask the IMRF to keep them on its agenda.

IOM's synthesis of each objective opens its chapter, above what each mechanism reported."""

DEMO_OBJECTIVE_6 = """Fair recruitment and decent work is the objective on which the mechanisms' reviews agree most. \
Every region that reported on it describes *ethical recruitment* standards being written into bilateral labour \
agreements, and several mechanisms adopted regional guidelines on recruitment fees.

- Origin countries in Asia and Africa report pre-departure training and the regulation of recruitment agencies.
- Destination countries report joint inspections and complaint mechanisms open to migrant workers.
- The reviews share one gap: **recruitment costs** are still borne by migrants, and few States measure them \
(SDG indicator 10.7.1).

The mechanisms ask the IMRF to support a common way of measuring recruitment costs across regions."""


def demo_synthesis_write(*, package: Package, iom) -> None:
    """IOM's draft synthesis of the demo package: its executive summary and objective 6, through the services."""
    if SynthesisText.objects.filter(package=package).exists():
        return
    synthesis_text_save(package=package, objective=None, text=DEMO_SUMMARY, loaded_revision=0, by=iom)
    objective = Objective.objects.get(number=6)
    synthesis_text_save(package=package, objective=objective, text=DEMO_OBJECTIVE_6, loaded_revision=0, by=iom)
