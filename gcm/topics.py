"""Typical topics of each GCM objective, for generated demo and benchmark text.

Each objective has its own topics, so "ethical recruitment" turns up mostly under objective 6 and "remittances"
under objective 20, as in real reviews.
"""

OBJECTIVE_TOPICS = {
    1: ["migration data", "household surveys", "labour force surveys", "data sharing agreements", "census questions"],
    2: ["climate change", "disaster displacement", "adverse drivers", "drought resilience", "livelihood programmes"],
    3: ["information campaigns", "migrant resource centres", "pre-departure orientation", "safe migration hotlines"],
    4: ["legal identity", "civil registration", "consular documentation", "birth registration"],
    5: [
        "regular pathways",
        "labour mobility schemes",
        "family reunification",
        "visa facilitation",
        "humanitarian visas",
    ],
    6: [
        "ethical recruitment",
        "recruitment fees",
        "decent work",
        "labour inspection",
        "fair recruitment",
        "employment contracts",
    ],
    7: ["vulnerable migrants", "unaccompanied children", "gender-based violence", "firewall protections"],
    8: ["search and rescue", "missing migrants", "identification of the dead", "maritime rescue coordination"],
    9: ["migrant smuggling", "smuggling networks", "financial investigations", "border cooperation against smuggling"],
    10: ["trafficking in persons", "victim identification", "counter-trafficking task forces", "forced labour"],
    11: ["integrated border management", "border posts", "one-stop border posts", "biometric registration"],
    12: [
        "screening and referral",
        "referral mechanisms",
        "vulnerability assessments",
        "protection-sensitive screening",
    ],
    13: ["alternatives to detention", "case management", "community-based reception", "detention of children"],
    14: ["consular protection", "consular networks", "crisis assistance abroad", "emergency travel documents"],
    15: ["access to health care", "basic services", "education for migrant children", "service points"],
    16: ["social cohesion", "inclusion programmes", "language training", "local integration plans"],
    17: ["xenophobia", "hate speech", "anti-discrimination law", "media training"],
    18: [
        "skills recognition",
        "skills partnerships",
        "qualification frameworks",
        "vocational training",
        "migrant skills",
    ],
    19: ["diaspora engagement", "diaspora investment", "diaspora bonds", "knowledge transfer"],
    20: ["remittances", "remittance costs", "digital remittance channels", "financial inclusion"],
    21: ["return and reintegration", "reintegration support", "readmission agreements", "assisted voluntary return"],
    22: ["social protection", "portability of pensions", "social security agreements", "health insurance"],
    23: ["international cooperation", "regional cooperation", "peer learning", "bilateral labour agreements"],
}
