"""Demo review content: a previous and a current cycle, and reviews in several states for real mechanisms."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from gcm.models import GuidingPrinciple, Objective
from iscm_portal import page_cache
from mechanisms.models import Mechanism, Membership

from .demo_workflow import (
    demo_review_approve,
    demo_review_backdate,
    demo_review_reply,
    demo_review_send_back,
    demo_review_submit,
)
from .enums import OBJECTIVE_TEXT_FIELDS, ReviewStatus, WaitsOn
from .models import Review, ReviewCycle
from .services import attachment_add, objective_report_save, review_create, review_overview_update
from .workflow_selectors import iom_dashboard_rows, secretariat_dashboard_rows

# (role, opens and due in days from the day the demo is seeded, the review round the demo texts were written for):
# the previous cycle closed long ago (its reviews are approved); the current one opened two months ago and is due
# in four weeks, so the dashboards look like a working day rather than years overdue. Each cycle is named after
# the years its dates fall in ("2024-25 regional reviews"), and the dates of the meetings the texts mention move
# along with it.
CYCLES = [
    ("previous", -800, -400, 2020),
    ("current", -60, 28, 2024),
]
PREVIOUS_CYCLE, CURRENT_CYCLE = "previous", "current"
# What the demo cycles were called before they were named after their dates: adopted, not duplicated.
LEGACY_SLUGS = {"previous": "2020-21-regional-reviews", "current": "2024-regional-reviews"}
# The International Migration Review Forum meets every four years from 2022.
FIRST_IMRF, IMRF_EVERY = 2022, 4

# (mechanism slug, cycle role, target status, secretariat user) and the text of each review.
REVIEWS = {
    ("bali-process", PREVIOUS_CYCLE): {
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
        "meetings": [
            ("Virtual senior officials' meeting on the GCM review", (2020, 11, 24), "Online"),
            ("Working group on trafficking in persons", (2021, 2, 16), "Online"),
        ],
    },
    ("bali-process", CURRENT_CYCLE): None,
    # MIDWA's previous review, approved and written in French: French entries in the public library.
    ("midwa", PREVIOUS_CYCLE): {
        "target": ReviewStatus.APPROVED,
        "language": "fr",
        "secretariat": "secretariat.midwa",
        "method": (
            "En raison de la pandémie, la Commission de la CEDEAO a mené l'examen à distance : un questionnaire a "
            "été adressé aux quinze États membres et deux visioconférences ont réuni les points focaux nationaux, "
            "les organisations de la société civile et les partenaires techniques.\n\n"
            "Le projet a été validé par les experts des États membres avant sa transmission aux ministres."
        ),
        "mandate": (
            "Les ministres ont chargé le MIDWA de rendre compte de la mise en œuvre du Pacte mondial en Afrique de "
            "l'Ouest en vue du premier Forum d'examen des migrations internationales."
        ),
        "partnerships": "L'OIM, l'Organisation internationale du Travail et le HCR ont contribué aux chapitres "
        "sur la mobilité de la main-d'œuvre et la protection.",
        "key_messages": (
            "- La fermeture des frontières en 2020 a bloqué des milliers de **travailleurs migrants** et de "
            "commerçants transfrontaliers.\n"
            "- Les transferts de fonds de la diaspora ont mieux résisté que prévu.\n"
            "- Le retour et la réintégration exigent un financement durable."
        ),
        "stakeholders": ["civil_society", "migrants_diaspora", "un_network"],
        "meetings": [
            ("Visioconférence des points focaux nationaux sur les migrations", (2020, 10, 14), "En ligne"),
            ("Consultation de la société civile ouest-africaine", (2021, 2, 9), "En ligne"),
        ],
        "objectives": {
            6: {
                "priority": True,
                "progress": (
                    "Plusieurs États ont maintenu l'accès des travailleurs migrants aux soins pendant la "
                    "pandémie et prolongé leurs titres de séjour sans frais."
                ),
                "good_practices": (
                    "- **Prolongation automatique des permis de travail** des travailleurs migrants bloqués par "
                    "la fermeture des frontières.\n"
                    "- Des lignes d'assistance téléphonique en plusieurs langues nationales."
                ),
                "challenges": (
                    "Les travailleurs du secteur informel, nombreux parmi les migrants, n'ont reçu aucune aide de "
                    "l'État pendant les confinements."
                ),
                "recommendations": "Inclure les travailleurs migrants dans les programmes nationaux de protection "
                "sociale.",
                "data_evidence": "",
                "data_sources": "Ministères du travail ; OIM, matrice de suivi des déplacements.",
                "principles": ["human-rights", "people-centred"],
            },
            19: {
                "priority": False,
                "progress": (
                    "Des forums de la diaspora ont été organisés en ligne, et deux États ont créé un guichet "
                    "d'investissement pour leurs ressortissants à l'étranger."
                ),
                "good_practices": "Un annuaire en ligne des compétences de la diaspora, ouvert aux employeurs.",
                "challenges": "",
                "recommendations": "",
                "data_evidence": "",
                "data_sources": "",
                "principles": ["whole-of-society-approach"],
            },
            21: {
                "priority": True,
                "progress": (
                    "Des centaines de migrants bloqués aux frontières ont été rapatriés avec l'appui de l'OIM, "
                    "après une quarantaine organisée dans des centres de transit."
                ),
                "good_practices": "",
                "challenges": "L'accompagnement psychosocial des personnes rapatriées reste insuffisant.",
                "recommendations": "Associer les collectivités locales à la réintégration dès le retour.",
                "data_evidence": "",
                "data_sources": "",
                "principles": ["human-rights", "whole-of-government-approach"],
            },
        },
    },
    # Written in French by a secretariat that works in French (accounts/demo.py).
    ("midwa", CURRENT_CYCLE): {
        "target": ReviewStatus.DRAFT,
        "language": "fr",
        "secretariat": "secretariat.midwa",
        "method": (
            "La Commission de la CEDEAO, qui assure le secrétariat du MIDWA, a réuni à Abuja les points focaux "
            "nationaux chargés des migrations et adressé un questionnaire aux quinze États membres. Six États ont "
            "répondu à ce jour ; le projet ci-dessous sera complété après la réunion ministérielle.\n\n"
            "Les réponses ont été regroupées selon les 23 objectifs du Pacte mondial, puis discutées avec les "
            "ministères du travail, de l'intérieur et des affaires étrangères de chaque État."
        ),
        "mandate": (
            "Les ministres chargés des migrations ont demandé au MIDWA de suivre la mise en œuvre du Pacte mondial "
            "dans la région et de préparer la contribution de l'Afrique de l'Ouest au Forum d'examen des "
            "migrations internationales de 2026."
        ),
        "partnerships": (
            "L'OIM et l'Organisation internationale du Travail apportent un appui technique ; la Commission de "
            "l'Union africaine a partagé ses données sur la mobilité de la main-d'œuvre sur le continent."
        ),
        "key_messages": (
            "- La libre circulation des personnes reste le socle de la coopération régionale.\n"
            "- Les **travailleurs migrants** ont besoin d'une meilleure protection sociale, y compris la "
            "portabilité de leurs droits.\n"
            "- Les États demandent des données comparables sur la mobilité à l'intérieur de la région."
        ),
        "stakeholders": ["regional_organisations", "un_network"],
        "meetings": [("Réunion technique des points focaux nationaux sur les migrations", (2024, 4, 23), "Abuja")],
    },
    ("rcm-puebla-process", CURRENT_CYCLE): {
        # Submitted, and back with the secretariat with IOM's comments.
        "target": ReviewStatus.CHANGES_REQUESTED,
        "iom_note": "Thank you, the review reads well. Two points before we can approve it: see the comments.",
        "iom_comments": [
            ("objective:6", "Please add the figures for 2023 and say where they come from."),
            ("overview", "Which Member States took part in the consultations?"),
        ],
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
        "meetings": [
            ("Regional Consultation Group on Migration", (2024, 3, 5), "San José"),
            ("Dialogue with the Regional Network of Civil Organizations for Migration", (2024, 3, 6), "San José"),
            ("Vice-Ministerial meeting", (2024, 6, 20), "Mexico City"),
        ],
    },
    ("rabat-process", CURRENT_CYCLE): {
        # Approved after one round of comments: IOM asked for a source, the secretariat added it.
        "target": ReviewStatus.APPROVED,
        "secretariat": "secretariat.africa",
        "iom_comments": [
            ("objective:20", "Where does the figure on remittance costs come from? Please name the source.")
        ],
        "reply": "We added the World Bank's Remittance Prices Worldwide as the source of the figure.",
        "added_after_comments": (20, "data_sources"),
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
        "attachment": (
            "rabat-survey-replies-2024.csv",
            "Replies to the 2024 survey of partner countries, by Cádiz Action Plan domain",
            b"domain,replies,countries\nLegal migration and mobility,31,57\nIrregular migration,29,57\n"
            b"Return and reintegration,27,57\nProtection and asylum,24,57\nMigration and development,30,57\n",
        ),
        "meetings": [
            ("Thematic meeting on the GCM regional review", (2024, 4, 10), "Dakar"),
            ("Steering Committee", (2024, 7, 2), "Brussels"),
        ],
    },
    # Submitted a few days ago: it waits on IOM, first on the IOM dashboard.
    ("khartoum-process", CURRENT_CYCLE): {
        "target": ReviewStatus.SUBMITTED,
        "submitted_days_ago": 3,  # so the IOM dashboard shows how long it has waited
        "secretariat": "secretariat.africa",
        "method": (
            "The Khartoum Process secretariat sent a questionnaire on the GCM objectives to the members of the "
            "Steering Committee and discussed the answers at a thematic meeting on labour migration. Civil society "
            "organisations from the Horn of Africa sent written contributions."
        ),
        "mandate": "The Steering Committee asked the secretariat to report on the Process's contribution to the GCM.",
        "partnerships": "IOM, UNHCR and UNODC contributed to the chapters on protection and on smuggling.",
        "key_messages": (
            "- Smuggling and trafficking along the Eastern and Central Mediterranean routes remain the first "
            "concern.\n"
            "- Members ask for more **regular pathways** for work and study."
        ),
        "stakeholders": ["civil_society", "un_network"],
        "meetings": [("Thematic meeting on labour migration and the GCM", (2024, 6, 18), "Addis Ababa")],
        "objectives": {
            9: {
                "priority": True,
                "progress": (
                    "Members set up joint investigation teams on smuggling networks, with training from UNODC."
                ),
                "good_practices": "A regional handbook for prosecutors on smuggling of migrants.",
                "challenges": "Evidence gathered in one State is rarely admissible in another.",
                "recommendations": "Agree on common rules for sharing evidence in smuggling cases.",
                "data_evidence": "",
                "data_sources": "",
                "principles": ["rule-of-law-and-due-process", "international-cooperation"],
            },
            10: {
                "priority": True,
                "progress": "National referral mechanisms for victims of trafficking now exist in five members.",
                "good_practices": "",
                "challenges": "Shelters for victims are few outside the capitals.",
                "recommendations": "",
                "data_evidence": "",
                "data_sources": "",
                "principles": ["human-rights", "gender-responsive"],
            },
        },
    },
    # Written in Spanish; approved, so it reaches the library and the 2024 package.
    ("sacm", CURRENT_CYCLE): {
        "target": ReviewStatus.APPROVED,
        "language": "es",
        "secretariat": "secretariat.sacm",
        "method": (
            "La Secretaría Técnica de la Conferencia Suramericana sobre Migraciones preparó el examen junto con la "
            "Presidencia Pro Tempore. Los doce países miembros respondieron un cuestionario organizado según los 23 "
            "objetivos del Pacto Mundial, y los resultados se debatieron en una reunión técnica virtual y en la "
            "reunión intersesional.\n\n"
            "Las organizaciones de la sociedad civil y las asociaciones de personas migrantes enviaron aportes "
            "por escrito, que se recogen en cada objetivo."
        ),
        "mandate": (
            "En su última reunión, la Conferencia encargó a la Secretaría Técnica dar seguimiento regional al Pacto "
            "Mundial y preparar la contribución suramericana al Foro de Examen de la Migración Internacional de 2026."
        ),
        "partnerships": "La OIM ejerce la Secretaría Técnica; el ACNUR y la CEPAL aportaron datos sobre protección y "
        "remesas.",
        "key_messages": (
            "- La **regularización migratoria** de cientos de miles de personas es el mayor logro del período.\n"
            "- Los trabajadores migrantes necesitan acceso efectivo a la seguridad social y al reconocimiento de "
            "sus títulos.\n"
            "- Los países piden reforzar la respuesta a la trata de personas en las zonas de frontera."
        ),
        "stakeholders": ["civil_society", "migrants_diaspora", "un_network"],
        "meetings": [
            ("Reunión técnica sobre el examen regional del Pacto Mundial", (2024, 5, 8), "En línea"),
            ("Reunión intersesional de la Conferencia", (2024, 9, 12), "Santiago de Chile"),
        ],
    },
}


# What each demo review says per objective: (mechanism slug, objective number) -> fields.
OBJECTIVE_TEXT = {
    ("bali-process", 9): {
        "priority": True,
        "progress": (
            "Members used the Regional Support Office to exchange information on smuggling routes across the "
            "Andaman Sea and the Timor Sea. A voluntary reporting template on smuggling incidents was agreed "
            "in 2020 and is now used by eleven members."
        ),
        "good_practices": (
            "- Joint training of border, police and prosecution officials on financial investigations.\n"
            "- The Bali Process Policy Guide on Following the Money in Trafficking in Persons Cases."
        ),
        "challenges": (
            "Smugglers moved to online recruitment and payment during the pandemic. Not all members "
            "criminalise smuggling in line with the Smuggling Protocol, which hampers joint investigations."
        ),
        "recommendations": "Extend the reporting template to online advertising of irregular journeys.",
        "data_evidence": "Reported interceptions at sea fell in 2020 and rose again in 2021.",
        "data_sources": "Regional Support Office reporting template; UNODC Global Report on Trafficking in Persons.",
        "principles": ["international-cooperation", "rule-of-law-and-due-process", "national-sovereignty"],
    },
    ("bali-process", 10): {
        "priority": True,
        "progress": (
            "Members strengthened legal frameworks against trafficking in persons. The Policy Guide on "
            "Identifying Victims of Trafficking was used to train front-line officials in eight countries, and "
            "the Government and Business Forum adopted the Acknowledge, Act and Advance recommendations on "
            "forced labour in supply chains."
        ),
        "good_practices": (
            "The **Government and Business Forum** brings ministers and chief executives together on forced "
            "labour in fishing, palm oil and electronics supply chains."
        ),
        "challenges": (
            "Online scam centres in the Mekong region hold thousands of people in forced criminality; victims "
            "are often treated as offenders."
        ),
        "recommendations": "Apply the non-punishment principle to victims of forced criminality.",
        "data_evidence": "",
        "data_sources": "National replies to the 2020 questionnaire.",
        "principles": ["human-rights", "people-centred", "gender-responsive", "child-sensitive"],
    },
    ("bali-process", 21): {
        "priority": False,
        "progress": (
            "Several members signed bilateral arrangements on safe and dignified return and on readmission, "
            "with reintegration support provided by IOM."
        ),
        "good_practices": "",
        "challenges": "Returns were suspended for long periods in 2020 because of travel restrictions.",
        "recommendations": "Share practice on reintegration that lasts, linked to local employment.",
        "data_evidence": "",
        "data_sources": "",
        "principles": ["international-cooperation", "human-rights"],
    },
    ("midwa", 5): {
        "priority": True,
        "progress": (
            "Le Protocole de la CEDEAO sur la libre circulation des personnes, le droit de résidence et "
            "d'établissement est appliqué dans les quinze États membres pour l'entrée sans visa jusqu'à 90 jours. "
            "Plusieurs États délivrent la carte d'identité biométrique de la CEDEAO, acceptée comme document de "
            "voyage."
        ),
        "good_practices": (
            "- **Postes frontaliers juxtaposés** entre le Ghana et le Togo et entre le Sénégal et la Gambie.\n"
            "- Des campagnes d'information sur les droits des voyageurs aux principaux points de passage."
        ),
        "challenges": (
            "Les droits de résidence et d'établissement restent appliqués de manière inégale ; des voyageurs "
            "signalent des paiements informels aux frontières."
        ),
        "recommendations": (
            "Harmoniser la délivrance des cartes de résident et afficher les frais officiels à chaque poste frontière."
        ),
        "data_evidence": "",
        "data_sources": "",
        "principles": ["sustainable-development", "whole-of-government-approach"],
    },
    ("midwa", 6): {
        "priority": True,
        "progress": (
            "Trois États membres ont révisé leur code du travail pour interdire les frais de recrutement à la "
            "charge des travailleurs migrants. Les inspections du travail ont été renforcées dans l'agriculture et "
            "le travail domestique."
        ),
        "good_practices": (
            "- **Guichets d'information pour les travailleurs migrants** dans les agences nationales pour l'emploi "
            "de la Côte d'Ivoire et du Sénégal.\n"
            "- Un modèle régional de contrat de travail, disponible en français, en anglais et en portugais."
        ),
        "challenges": (
            "Les agences de recrutement privées opèrent souvent sans licence, et le secteur informel échappe "
            "largement aux contrôles."
        ),
        "recommendations": (
            "Créer un registre régional des agences de recrutement agréées et étendre l'inspection du travail au "
            "travail domestique."
        ),
        "data_evidence": "",
        "data_sources": "Ministères du travail ; enquêtes nationales sur l'emploi.",
        "principles": ["human-rights", "gender-responsive"],
    },
    ("midwa", 7): {
        "priority": False,
        "progress": (
            "Des procédures communes d'identification et d'orientation des migrants en situation de vulnérabilité, "
            "notamment des enfants non accompagnés, sont appliquées le long du corridor Abidjan–Lagos."
        ),
        "good_practices": (
            "Des équipes mobiles de travailleurs sociaux et d'agents de santé accompagnent les migrants dans les "
            "gares routières."
        ),
        "challenges": "Les centres d'accueil manquent de places et de financements durables.",
        "recommendations": (
            "Inscrire la protection des migrants vulnérables dans les budgets nationaux de protection sociale."
        ),
        "data_evidence": "",
        "data_sources": "",
        "principles": ["child-sensitive", "human-rights"],
    },
    ("rcm-puebla-process", 6): {
        "priority": True,
        "progress": (
            "Several Member States adopted protocols on fair recruitment and expanded temporary labour "
            "migration programmes with employers in agriculture, tourism and construction. Guatemala, Honduras "
            "and El Salvador opened public employment windows for work abroad."
        ),
        "good_practices": (
            "- A regional guide for the protection of temporary migrant workers.\n"
            "- Consular networks that inform workers of their rights before departure."
        ),
        "challenges": "Recruitment fees charged to workers persist where private intermediaries are unregulated.",
        "recommendations": "Adopt the *employer pays* principle in all bilateral labour agreements.",
        "data_evidence": "Temporary work visas issued to nationals of the region grew strongly from 2021 to 2023.",
        "data_sources": "National labour ministries; IOM labour mobility programme data.",
        "principles": ["human-rights", "gender-responsive", "whole-of-society-approach"],
    },
    ("rcm-puebla-process", 7): {
        "priority": True,
        "progress": (
            "Guidelines on the protection of migrant children and adolescents were updated and are used by "
            "consular networks and child protection agencies. Best interests determination procedures now "
            "exist in most Member States."
        ),
        "good_practices": "The RCM ad hoc group on migrant children meets twice a year with UNICEF.",
        "challenges": "Unaccompanied children still wait too long in border facilities.",
        "recommendations": "Develop alternatives to detention for families with children across the region.",
        "data_evidence": "",
        "data_sources": "UNICEF and national child protection agencies.",
        "principles": ["child-sensitive", "human-rights"],
    },
    ("rcm-puebla-process", 21): {
        "priority": True,
        "progress": "Reception centres for returnees now refer people to employment and psychosocial services.",
        "good_practices": "",
        "challenges": "Reintegration support is short and rarely reaches rural municipalities.",
        "recommendations": "Link reintegration to local development plans with municipal governments.",
        "data_evidence": "",
        "data_sources": "",
        "principles": ["sustainable-development", "whole-of-government-approach"],
    },
    ("rabat-process", 1): {
        "priority": True,
        "progress": (
            "Partners contributed to the African Migration Data Network and updated national migration "
            "profiles. Several West African statistical offices added migration modules to labour force "
            "surveys."
        ),
        "good_practices": "Peer exchanges between statistical offices of Morocco, Senegal and Côte d'Ivoire.",
        "challenges": "Data on intra-African mobility and on returns remain scarce and hard to compare.",
        "recommendations": "Fund regular migration modules in household surveys.",
        "data_evidence": "",
        "data_sources": "African Union Commission; national statistical offices.",
        "principles": ["international-cooperation", "national-sovereignty"],
    },
    ("rabat-process", 5): {
        "priority": True,
        "progress": (
            "Talent partnerships and circular mobility schemes were piloted with three European partners in "
            "information technology, agriculture and hospitality."
        ),
        "good_practices": "Pre-departure training combined with recognition of qualifications.",
        "challenges": "Schemes remain small compared with demand.",
        "recommendations": "Scale up the pilots that worked and evaluate them jointly.",
        "data_evidence": "",
        "data_sources": "",
        "principles": ["international-cooperation", "sustainable-development"],
    },
    ("rabat-process", 19): {
        "priority": True,
        "progress": "Diaspora engagement strategies were adopted in several West African countries.",
        "good_practices": "Diaspora investment forums co-organised with chambers of commerce.",
        "challenges": "",
        "recommendations": "",
        "data_evidence": "",
        "data_sources": "",
        "principles": ["whole-of-society-approach"],
    },
    ("rabat-process", 20): {
        "priority": False,
        "progress": "Digital transfer channels lowered remittance costs on several corridors.",
        "good_practices": "",
        "challenges": "Average costs still exceed the SDG target of 3 per cent.",
        "recommendations": "",
        "data_evidence": "The cost of sending 200 US dollars fell on the main corridors from Europe.",
        "data_sources": "World Bank Remittance Prices Worldwide.",
        "principles": ["sustainable-development"],
    },
    ("sacm", 4): {
        "priority": True,
        "progress": (
            "Varios países ampliaron sus procesos de regularización y aceptan documentos de identidad vencidos "
            "para iniciar los trámites migratorios. El acuerdo de residencia del MERCOSUR sigue facilitando la "
            "residencia temporal de nacionales de la región."
        ),
        "good_practices": (
            "- **Registro biométrico en línea** para solicitar permisos temporales sin viajar a la capital.\n"
            "- Consulados móviles en las zonas de frontera."
        ),
        "challenges": (
            "Las tasas de los trámites y la falta de pasaportes vigentes excluyen a muchas personas de la "
            "regularización."
        ),
        "recommendations": (
            "Eximir de tasas a las personas en situación de vulnerabilidad y reconocer los documentos vencidos en "
            "toda la región."
        ),
        "data_evidence": "",
        "data_sources": "Autoridades migratorias nacionales.",
        "principles": ["human-rights", "national-sovereignty"],
    },
    ("sacm", 6): {
        "priority": True,
        "progress": (
            "Los ministerios de trabajo intercambiaron información sobre agencias de colocación, y varios países "
            "prohibieron el cobro de comisiones a los trabajadores migrantes."
        ),
        "good_practices": (
            "- **Ventanillas de orientación laboral para trabajadores migrantes** en los servicios públicos de "
            "empleo.\n"
            "- Campañas contra la contratación fraudulenta en las redes sociales."
        ),
        "challenges": "La informalidad supera la mitad del empleo de las personas migrantes en varios países.",
        "recommendations": (
            "Incluir el principio de que el empleador paga los costos de contratación en los acuerdos bilaterales."
        ),
        "data_evidence": "",
        "data_sources": "Ministerios de trabajo; encuestas de hogares.",
        "principles": ["human-rights", "gender-responsive", "whole-of-society-approach"],
    },
    ("sacm", 15): {
        "priority": False,
        "progress": (
            "La mayoría de los países garantiza el acceso a la salud y a la educación con independencia de la "
            "situación migratoria."
        ),
        "good_practices": "Escuelas que matriculan a niñas y niños migrantes sin exigir documentos de identidad.",
        "challenges": "Los servicios de salud de las ciudades fronterizas están saturados.",
        "recommendations": (
            "Compartir los costos de la atención en las zonas de frontera mediante la cooperación regional."
        ),
        "data_evidence": "",
        "data_sources": "",
        "principles": ["child-sensitive", "whole-of-government-approach"],
    },
    ("sacm", 22): {
        "priority": False,
        "progress": (
            "El convenio iberoamericano de seguridad social se aplica en varios países de la región y permite "
            "sumar los periodos de cotización."
        ),
        "good_practices": "Un sistema en línea para certificar los periodos de cotización entre países.",
        "challenges": "Pocos trabajadores migrantes conocen sus derechos a la portabilidad de las pensiones.",
        "recommendations": "Informar sobre la portabilidad de las pensiones en los consulados.",
        "data_evidence": "",
        "data_sources": "",
        "principles": ["international-cooperation"],
    },
}


def _meeting_date(held_on: tuple[int, int, int], *, years_later: int) -> datetime.date:
    """A meeting of the demo texts, moved by as many years as its cycle moved, and never in the future."""
    year, month, day = held_on
    moved = datetime.date(year + years_later, month, min(day, 28) if month == 2 else day)
    return min(moved, timezone.localdate() - datetime.timedelta(days=7))


def _overview_write(review: Review, content: dict, *, secretariat, years_later: int = 0) -> None:
    memberships = Membership.objects.current().filter(mechanism=review.mechanism, role="member")
    # A draft lists the States that have answered so far; a finished review lists every Member.
    limit = 6 if content["target"] == ReviewStatus.DRAFT else None
    data = {name: content[name] for name in ("method", "mandate", "partnerships", "key_messages")}
    data["stakeholders_consulted"] = content["stakeholders"]
    data["participating_states"] = [m.state for m in memberships.select_related("state")[:limit]]
    meetings = [
        {"title": title, "held_on": _meeting_date(held_on, years_later=years_later), "place": place}
        for title, held_on, place in content["meetings"]
    ]
    review_overview_update(review=review, data=data, meetings=meetings, loaded_revision=review.revision, by=secretariat)


def _objective_texts(review: Review, content: dict) -> dict[int, dict]:
    """What the review says per objective: its own `objectives`, else its mechanism's in OBJECTIVE_TEXT."""
    if "objectives" in content:
        return content["objectives"]
    return {number: text for (slug, number), text in OBJECTIVE_TEXT.items() if slug == review.mechanism.slug}


def _objectives_write(
    review: Review, texts: dict[int, dict], *, secretariat, held_back: tuple[int, str] | None = None
) -> None:
    """Save each objective the review reports on; `held_back` (objective, field) is left empty for now."""
    principles = {principle.slug: principle for principle in GuidingPrinciple.objects.all()}
    objectives = {objective.number: objective for objective in Objective.objects.all()}
    current = dict(review.objective_reports.values_list("objective__number", "revision"))
    for number, text in texts.items():
        data = {
            "is_regional_priority": text["priority"],
            "guiding_principles": [principles[name] for name in text["principles"]],
            **{name: text[name] for name in OBJECTIVE_TEXT_FIELDS},
        }
        if held_back and held_back[0] == number:
            data[held_back[1]] = ""
        objective_report_save(
            review=review,
            objective=objectives[number],
            data=data,
            loaded_revision=current.get(number, 0),
            by=secretariat,
        )


def _review_write(review: Review, content: dict, *, secretariat, iom, years_later: int = 0) -> None:
    """Write the review as its secretariat would, then take it through the workflow to its target status."""
    held_back = content.get("added_after_comments")
    _overview_write(review, content, secretariat=secretariat, years_later=years_later)
    texts = _objective_texts(review, content)
    _objectives_write(review, texts, secretariat=secretariat, held_back=held_back)
    if content.get("attachment"):
        name, description, data = content["attachment"]
        attachment_add(review=review, upload=SimpleUploadedFile(name, data), description=description, by=secretariat)
    if content["target"] == ReviewStatus.DRAFT:
        return
    demo_review_submit(review, secretariat=secretariat)
    if content.get("submitted_days_ago"):
        demo_review_backdate(review, days=content["submitted_days_ago"])
    if content.get("iom_comments"):
        demo_review_send_back(review, iom=iom, comments=content["iom_comments"], note=content.get("iom_note", ""))
    if content["target"] != ReviewStatus.APPROVED:
        return
    if content.get("iom_comments"):
        demo_review_reply(review, secretariat=secretariat, body=content["reply"])
        _objectives_write(review, texts, secretariat=secretariat)
        demo_review_submit(review, secretariat=secretariat)
    demo_review_approve(review, iom=iom)


def demo_cycle_naming(opens_on: datetime.date, due_on: datetime.date) -> dict:
    """Name, slug, round and IMRF edition of a cycle from its dates: "2026 regional reviews" for a cycle within one
    year, "2024-25 regional reviews" across two; it feeds the first IMRF after it is due."""
    years = str(opens_on.year) if opens_on.year == due_on.year else f"{opens_on.year}-{due_on.year % 100:02d}"
    imrf = FIRST_IMRF
    while imrf <= due_on.year:
        imrf += IMRF_EVERY
    return {
        "name": f"{years} regional reviews",
        "slug": f"{years}-regional-reviews",
        "review_year": opens_on.year,
        "imrf_year": imrf,
    }


def demo_cycles() -> dict[str, ReviewCycle]:
    """The demo cycles by role ("previous", "current"), dated from today and named after their dates: created if
    missing; on a later day their dates and names move along (and nothing else of them changes), so a demo seeded
    last month still looks like today."""
    today = timezone.localdate()
    cycles, changed = {}, False
    for role, opens, due, _written_for in CYCLES:
        dates = {"opens_on": today + datetime.timedelta(days=opens), "due_on": today + datetime.timedelta(days=due)}
        fields = {**demo_cycle_naming(dates["opens_on"], dates["due_on"]), **dates, "demo_role": role}
        cycle = (
            ReviewCycle.objects.filter(demo_role=role).first()
            or ReviewCycle.objects.filter(slug=LEGACY_SLUGS[role], demo_role="").first()
        )
        if ReviewCycle.objects.filter(slug=fields["slug"]).exclude(pk=getattr(cycle, "pk", None)).exists():
            fields["slug"] += "-demo"  # somebody's own cycle has the name: the demo's steps aside
        if cycle is None:
            cycle, changed = ReviewCycle.objects.create(**fields), True
        elif any(getattr(cycle, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(cycle, name, value)
            cycle.save()
            changed = True
        cycles[role] = cycle
    if changed:
        page_cache.content_changed(page_cache.REVIEWS)
    return cycles


def _years_later(role: str, cycle: ReviewCycle) -> int:
    """How many years the cycle moved from the round its demo texts were written for."""
    written_for = next(written for name, _opens, _due, written in CYCLES if name == role)
    return cycle.review_year - written_for


def demo_reviews_create(*, password: str) -> list[str]:
    """Create the two cycles and the demo reviews through the services; a review that exists is left as it is.

    What they add up to is told by `demo_dashboards_summary`, once every demo step has run."""
    cycles = demo_cycles()
    iom = User.objects.get(username="iom.reviewer")
    for (mechanism_slug, role), content in REVIEWS.items():
        if content is None:
            continue
        mechanism = Mechanism.objects.get(slug=mechanism_slug)
        if Review.objects.filter(mechanism=mechanism, cycle=cycles[role]).exists():
            continue
        secretariat = User.objects.get(username=content["secretariat"])
        review = review_create(
            mechanism=mechanism, cycle=cycles[role], by=secretariat, language=content.get("language", "en")
        )
        _review_write(review, content, secretariat=secretariat, iom=iom, years_later=_years_later(role, cycles[role]))
    return []


def demo_dashboards_summary(*, password: str) -> list[str]:
    """What the dashboards show first, read with the dashboards' own selectors: IOM's board of the current cycle,
    and what waits on each demo secretariat."""
    today = timezone.localdate()
    cycles = demo_cycles()
    current = cycles[CURRENT_CYCLE]
    rows = iom_dashboard_rows(cycle=current, today=today)
    by_whom = {whom: [row for row in rows if row.waits_on == whom] for whom in WaitsOn}
    due = (current.due_on - today).days

    def named(chosen, *, status=True):
        return ", ".join(
            f"{row.mechanism.acronym} ({row.status_label.lower()})" if status else row.mechanism.acronym
            for row in chosen
        )

    lines = [
        f"  {current.name}: due {current.due_on.isoformat()}, in {due} days. The IOM dashboard shows:",
        f"    waiting on IOM ({len(by_whom[WaitsOn.IOM])}): {named(by_whom[WaitsOn.IOM])}",
        f"    waiting on secretariats ({len(by_whom[WaitsOn.SECRETARIAT])}): "
        f"{named([row for row in by_whom[WaitsOn.SECRETARIAT] if row.review])}, "
        f"{sum(1 for row in by_whom[WaitsOn.SECRETARIAT] if not row.review)} not started",
        f"    approved ({len(by_whom[WaitsOn.NOBODY])}): {named(by_whom[WaitsOn.NOBODY], status=False)}",
    ]
    previous = cycles[PREVIOUS_CYCLE]
    approved = previous.reviews.filter(status=ReviewStatus.APPROVED).select_related("mechanism")
    lines.append(
        f"  {previous.name}: closed {previous.due_on.isoformat()}; approved: "
        + ", ".join(sorted(review.mechanism.acronym for review in approved))
    )
    lines.append("  Waiting on each secretariat login (its dashboard's “What waits on you”):")
    for user in User.objects.filter(is_demo=True).exclude(secretariat_mechanisms=None).distinct().order_by("username"):
        waiting = [row for row in secretariat_dashboard_rows(user=user, today=today) if row.waiting_on_secretariat]
        lines.append(f"    {user.username:<20} {len(waiting)}" + (f": {named(waiting)}" if waiting else ""))
    return lines
