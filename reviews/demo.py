"""Demo review content: a previous and a current cycle, and reviews in several states for real mechanisms."""

import datetime

from accounts.models import User
from gcm.models import GuidingPrinciple, Objective
from mechanisms.models import Mechanism, Membership

from .enums import ReviewStatus
from .models import ObjectiveReport, Review, ReviewCycle, ReviewMeeting
from .versions import review_version_record
from .workflow import review_transition

CYCLES = [
    ("2020-21-regional-reviews", "2020-21 regional reviews", 2020, 2022, (2020, 6, 1), (2021, 6, 30)),
    ("2024-regional-reviews", "2024 regional reviews", 2024, 2026, (2024, 1, 15), (2024, 12, 31)),
]

# (mechanism slug, cycle slug, target status, secretariat user) and the text of each review.
REVIEWS = {
    ("bali-process", "2020-21-regional-reviews"): {
        "target": ReviewStatus.APPROVED,
        "secretariat": "secretariat.bali",
        "method": (
            "The Regional Support Office circulated a questionnaire on the GCM objectives to all Bali Process "
            "members in late 2020. Answers were discussed at a virtual senior officials' meeting and in two "
            "thematic working group sessions, one on trafficking in persons and one on labour migration.\n\n"
            "A draft was shared with members for written comments before the co-chairs (Australia and Indonesia) "
            "endorsed it."
        ),
        "mandate": (
            "The 2018 Bali Declaration asked the Process to contribute to regional follow-up of the Global "
            "Compacts where relevant to its focus on people smuggling, trafficking in persons and related "
            "transnational crime."
        ),
        "partnerships": "UNHCR, IOM and UNODC are members of the Process and co-drafted the sections on protection.",
        "key_messages": (
            "- Trafficking in persons and forced labour in the fishing and online scam sectors grew during the "
            "pandemic.\n- Members ask for *regional* data sharing on smuggling routes.\n- Safe return and "
            "reintegration needs more funding."
        ),
        "stakeholders": ["un_network", "civil_society", "private_sector"],
        "objectives": {
            10: (
                True,
                "Members strengthened legal frameworks against trafficking; the Bali Process Policy Guide on "
                "identifying victims was used in training for front-line officials in eight countries.",
            ),
            9: (True, "Information sharing on smuggling networks improved through the Regional Support Office."),
            21: (False, "Several members signed bilateral arrangements on safe and dignified return."),
        },
    },
    ("bali-process", "2024-regional-reviews"): None,
    ("midwa", "2024-regional-reviews"): {
        "target": ReviewStatus.DRAFT,
        "secretariat": "secretariat.midwa",
        "method": (
            "The ECOWAS Commission, as MIDWA secretariat, convened a technical meeting of national migration "
            "focal points in Abuja and sent a template to the fifteen Member States. Six States have replied so "
            "far; the draft below will be completed after the ministerial meeting."
        ),
        "mandate": "",
        "partnerships": "",
        "key_messages": "",
        "stakeholders": ["regional_organisations"],
        "objectives": {
            5: (
                True,
                "The ECOWAS Protocol on free movement is implemented in all Member States, although residence "
                "rights remain unevenly applied at borders.",
            ),
        },
    },
    ("rcm-puebla-process", "2024-regional-reviews"): {
        "target": ReviewStatus.SUBMITTED,
        "secretariat": "secretariat.rcm",
        "method": (
            "The Technical Secretariat of the Regional Conference on Migration prepared the review with the "
            "Regional Consultation Group on Migration (RCGM), the liaison officers' network and the pro-tempore "
            "presidency. Member States answered a questionnaire aligned with the 23 objectives.\n\n"
            "Civil society was heard through the Regional Network of Civil Organizations for Migration (RROCM)."
        ),
        "mandate": (
            "The Vice-Ministerial meeting asked the RCM to report on the implementation of the GCM in the region "
            "and to feed the IMRF 2026 with the region's good practices on labour mobility and protection."
        ),
        "partnerships": "IOM and UNHCR provide technical support; ECLAC contributed data on remittances.",
        "key_messages": (
            "**Labour mobility** schemes between Central America, Mexico, the United States and Canada have "
            "grown and need stronger recruitment safeguards.\n\n- Protection of children and adolescents on "
            "the move remains the first priority.\n- Returnees need reintegration support linked to local "
            "development."
        ),
        "stakeholders": ["civil_society", "migrants_diaspora", "un_network", "academia"],
        "objectives": {
            6: (
                True,
                "Several Member States adopted protocols on fair recruitment and expanded temporary labour "
                "migration programmes with the private sector.",
            ),
            7: (True, "Guidelines on the protection of migrant children were updated and used by consular networks."),
            21: (True, "Reception centres for returnees now offer referral to employment services."),
        },
    },
    ("rabat-process", "2024-regional-reviews"): {
        "target": ReviewStatus.APPROVED,
        "secretariat": "secretariat.africa",
        "method": (
            "The Rabat Process secretariat (ICMPD) organised a thematic meeting in Dakar and an online survey of "
            "its 57 partner countries, structured by the five domains of the Cádiz Action Plan and mapped to "
            "the GCM objectives.\n\nThe Steering Committee reviewed the draft in two rounds."
        ),
        "mandate": (
            "The Cádiz Political Declaration (2022) commits partners to contribute to the follow-up of the GCM "
            "where it concerns the Euro-African dialogue on migration and development."
        ),
        "partnerships": "The Process works with the Khartoum Process, ECOWAS and the African Union Commission.",
        "key_messages": (
            "- Legal pathways and mobility partnerships must expand alongside cooperation on return.\n"
            "- Diaspora investment is under-used; remittance costs still exceed the SDG target.\n"
            "- Partners ask for better data on intra-African mobility."
        ),
        "stakeholders": ["civil_society", "migrants_diaspora", "academia", "local_authorities", "un_network"],
        "objectives": {
            1: (True, "Partners contributed to the African Migration Data Network and national migration profiles."),
            5: (True, "Talent partnerships and circular schemes were piloted with three European partners."),
            19: (True, "Diaspora engagement strategies were adopted in several West African countries."),
            20: (False, "Digital transfer channels lowered remittance costs on some corridors."),
        },
    },
}


def _fill(review: Review, content: dict) -> None:
    for name in ("method", "mandate", "partnerships", "key_messages"):
        setattr(review, name, content[name])
    review.stakeholders_consulted = content["stakeholders"]
    review.save()
    review.participating_states.set(
        [m.state for m in Membership.objects.current().filter(mechanism=review.mechanism).select_related("state")[:8]]
    )
    ReviewMeeting.objects.get_or_create(
        review=review,
        title="Regional consultation on the GCM review",
        defaults={"held_on": datetime.date(review.cycle.review_year, 5, 14)},
    )
    principles = list(GuidingPrinciple.objects.all()[:3])
    for number, (priority, progress) in content["objectives"].items():
        report, _created = ObjectiveReport.objects.update_or_create(
            review=review,
            objective=Objective.objects.get(number=number),
            defaults={
                "is_regional_priority": priority,
                "progress": progress,
                "challenges": "Data remain incomplete and comparable figures across Member States are scarce.",
                "recommendations": "Keep the subject on the agenda of the next ministerial meeting.",
                "data_sources": "National replies to the review questionnaire; IOM Migration Data Portal.",
            },
        )
        report.guiding_principles.set(principles)


def demo_reviews_create(*, password: str) -> list[str]:
    """Create the two cycles and the demo reviews; running it again leaves things as they are."""
    cycles = {}
    for slug, name, review_year, imrf_year, opens, due in CYCLES:
        cycles[slug], _created = ReviewCycle.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "review_year": review_year,
                "imrf_year": imrf_year,
                "opens_on": datetime.date(*opens),
                "due_on": datetime.date(*due),
            },
        )
    iom = User.objects.filter(is_iom_staff=True).first()
    lines = ["  Reviews:"]
    for (mechanism_slug, cycle_slug), content in REVIEWS.items():
        if content is None:
            continue
        mechanism = Mechanism.objects.get(slug=mechanism_slug)
        secretariat = User.objects.get(username=content["secretariat"])
        review, created = Review.objects.get_or_create(mechanism=mechanism, cycle=cycles[cycle_slug])
        if created:
            _fill(review, content)
            review_version_record(review=review, by=secretariat)
            if content["target"] in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
                review_transition(review=review, action="submit", by=secretariat)
            if content["target"] == ReviewStatus.APPROVED:
                review_transition(review=review, action="approve", by=iom)
            review.refresh_from_db()
        lines.append(f"    {mechanism.acronym:<12} {review.cycle.name:<26} {review.get_status_display()}")
    return lines
