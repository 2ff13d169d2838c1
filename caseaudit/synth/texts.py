"""Words for the synthetic partnership: agencies, people, places in a file, and what auditors
and meetings write. Plausible, never real: no real person, child or case."""

from caseaudit.accounts.models import AgencyKind
from caseaudit.audits.models import CaseCategory

BUSINESS_UNIT = "Partnership Business Unit"

# name, kind, chance of taking part in a case of each category (in need, protection,
# looked after, care leaver), chance of using the full tool rather than the short one
AGENCIES: tuple[tuple[str, AgencyKind, tuple[float, float, float, float], float], ...] = (
    (
        "Children’s Social Care",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        (0.95, 1.0, 1.0, 1.0),
        1.0,
    ),
    ("Community Health Services", AgencyKind.HEALTH, (0.75, 0.85, 0.7, 0.4), 0.6),
    ("Acute Hospital Trust", AgencyKind.HEALTH, (0.2, 0.35, 0.15, 0.1), 0.3),
    ("Child and Adolescent Mental Health Services", AgencyKind.HEALTH, (0.2, 0.25, 0.35, 0.3), 0.5),
    ("Police", AgencyKind.POLICE, (0.3, 0.7, 0.3, 0.35), 0.6),
    ("Schools", AgencyKind.EDUCATION, (0.65, 0.7, 0.5, 0.05), 0.5),
    ("Virtual School", AgencyKind.EDUCATION, (0.0, 0.0, 0.85, 0.4), 0.7),
    ("Special Educational Needs Service", AgencyKind.EDUCATION, (0.2, 0.15, 0.2, 0.05), 0.3),
    ("Early Intervention Service", AgencyKind.EARLY_HELP, (0.35, 0.2, 0.05, 0.0), 0.6),
    ("Youth Offending Service", AgencyKind.YOUTH_JUSTICE, (0.1, 0.15, 0.2, 0.35), 0.7),
    ("Adult Mental Health Services", AgencyKind.HEALTH, (0.15, 0.25, 0.05, 0.2), 0.3),
    ("Housing Services", AgencyKind.OTHER, (0.15, 0.2, 0.05, 0.45), 0.2),
)

CATEGORIES = (
    (CaseCategory.CHILD_IN_NEED, 0.5),
    (CaseCategory.CHILD_PROTECTION, 0.25),
    (CaseCategory.LOOKED_AFTER, 0.2),
    (CaseCategory.CARE_LEAVER, 0.05),
)
CATEGORY_INDEX = {category: index for index, (category, _) in enumerate(CATEGORIES)}
# youngest and oldest age at the audit date
CATEGORY_AGES = {
    CaseCategory.CHILD_IN_NEED: (0, 17),
    CaseCategory.CHILD_PROTECTION: (0, 15),
    CaseCategory.LOOKED_AFTER: (1, 17),
    CaseCategory.CARE_LEAVER: (17, 20),
}
TEAMS = {
    CaseCategory.CHILD_IN_NEED: ("Assessment team 1", "Assessment team 2", "Children in need team"),
    CaseCategory.CHILD_PROTECTION: ("Child protection team North", "Child protection team South"),
    CaseCategory.LOOKED_AFTER: ("Children in care team", "Fostering and permanence team"),
    CaseCategory.CARE_LEAVER: ("Leaving care team",),
}

ETHNICITIES = (
    ("White British", 0.63),
    ("White Irish", 0.01),
    ("White Eastern European", 0.04),
    ("Gypsy, Roma or Traveller", 0.01),
    ("Mixed White and Black Caribbean", 0.03),
    ("Mixed White and Asian", 0.02),
    ("Mixed other", 0.03),
    ("Pakistani", 0.05),
    ("Indian", 0.02),
    ("Bangladeshi", 0.02),
    ("Black African", 0.04),
    ("Black Caribbean", 0.02),
    ("Arab", 0.01),
    ("Any other ethnic group", 0.02),
    ("", 0.05),
)
LANGUAGES = (
    ("English", 0.86),
    ("Polish", 0.02),
    ("Urdu", 0.02),
    ("Punjabi", 0.01),
    ("Romanian", 0.01),
    ("Arabic", 0.01),
    ("Bengali", 0.01),
    ("", 0.06),
)
RELIGIONS = (
    ("None", 0.38),
    ("Christian", 0.3),
    ("Roman Catholic", 0.04),
    ("Muslim", 0.1),
    ("Hindu", 0.01),
    ("Sikh", 0.01),
    ("Other", 0.01),
    ("", 0.15),
)
GENDERS = (("Female", 0.48), ("Male", 0.49), ("Non-binary", 0.01), ("", 0.02))

FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amir",
    "Anna",
    "Ben",
    "Carla",
    "Chloe",
    "Daniel",
    "Dev",
    "Elena",
    "Emma",
    "Fatima",
    "Fiona",
    "Gareth",
    "Grace",
    "Hannah",
    "Helen",
    "Imran",
    "Jack",
    "Jade",
    "James",
    "Joanne",
    "Kate",
    "Kwame",
    "Laura",
    "Liam",
    "Lucy",
    "Marcus",
    "Maria",
    "Mark",
    "Nadia",
    "Natalie",
    "Owen",
    "Paul",
    "Priya",
    "Rachel",
    "Rhys",
    "Ruth",
    "Sam",
    "Sarah",
    "Simon",
    "Sophie",
    "Tom",
    "Una",
    "Zara",
]
SURNAMES = [
    "Adeyemi",
    "Ahmed",
    "Bennett",
    "Brooks",
    "Carter",
    "Chen",
    "Clarke",
    "Davies",
    "Edwards",
    "Evans",
    "Fraser",
    "Green",
    "Hall",
    "Hughes",
    "Hussain",
    "Jackson",
    "Jones",
    "Khan",
    "Kowalski",
    "Lewis",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okafor",
    "O'Brien",
    "Patel",
    "Reid",
    "Roberts",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Turner",
    "Walsh",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wright",
]
INITIAL_LETTERS = "ABCDEFGHIJKLMNOPRSTWY"

JOB_TITLES = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: ("Team manager", "Practice manager", "Senior social worker"),
    AgencyKind.HEALTH: ("Named nurse for safeguarding", "Health visitor", "School nurse"),
    AgencyKind.POLICE: ("Detective sergeant", "Safeguarding officer"),
    AgencyKind.EDUCATION: ("Designated safeguarding lead", "Head of inclusion"),
    AgencyKind.EARLY_HELP: ("Early help coordinator", "Family support manager"),
    AgencyKind.YOUTH_JUSTICE: ("Youth justice officer", "Operations manager"),
    AgencyKind.OTHER: ("Safeguarding lead", "Service manager"),
}

# topic, focus
FOCI = (
    (
        "children in need",
        "How well agencies work together for children in need allocated to a social worker.",
    ),
    ("neglect", "Whether neglect is recognised early and the neglect toolkit is used."),
    (
        "child protection plans",
        "Whether child protection plans are specific, reviewed and make children safer.",
    ),
    (
        "domestic abuse",
        "How agencies share information and plan for children living with domestic abuse.",
    ),
    (
        "adolescents at risk of exploitation",
        "How agencies identify and respond to adolescents at risk of criminal or sexual "
        "exploitation.",
    ),
    (
        "children with disabilities",
        "Whether the voice of disabled children is heard and their needs met across agencies.",
    ),
    ("early help", "Whether early help is offered at the right time and stepped up when needed."),
    ("children in care", "The health and education of children in care and their stability."),
)
SEASONS = {
    1: "winter",
    2: "winter",
    3: "spring",
    4: "spring",
    5: "spring",
    6: "summer",
    7: "summer",
    8: "summer",
    9: "autumn",
    10: "autumn",
    11: "autumn",
    12: "winter",
}

# name, description, as a strength, as an area for improvement
THEMES = (
    (
        "Timely assessments",
        "Assessments completed within timescales and updated when things change.",
        "The assessment was completed within timescales and updated when circumstances changed.",
        "The assessment was late and was not updated after the family's circumstances changed.",
    ),
    (
        "Sharing information about risk",
        "Information about risk reaches the agencies that need it, when they need it.",
        "Information about risk was shared promptly with children’s social care.",
        "Information about risk held by one agency was not shared when it was needed.",
    ),
    (
        "Multi-agency input to child protection conferences",
        "Partner agencies attend conferences and send reports in time.",
        "Every agency sent a report to the conference and attended.",
        "Partner agencies did not send reports to the conference.",
    ),
    (
        "Neglect toolkit embedded",
        "The neglect toolkit is used to evidence change over time.",
        "The neglect toolkit was used at the start and at each review to show change.",
        "The neglect toolkit was not used, so change for the child could not be measured.",
    ),
    (
        "Voice of the child",
        "The child's wishes and feelings are sought, recorded and acted on.",
        "The child's own words are recorded and shaped the plan.",
        "The child was not seen alone and their views are not recorded.",
    ),
    (
        "Effective planning and decision making",
        "Plans set clear, measurable objectives and decisions are recorded with reasons.",
        "The plan set clear objectives and decisions were recorded with reasons.",
        "The plan's actions were vague, with no timescales or named leads.",
    ),
    (
        "Regular management oversight and challenge",
        "Managers review the case, challenge drift and record their decisions.",
        "Supervision notes show the manager challenging drift and setting deadlines.",
        "There was no recorded management oversight for several months.",
    ),
    (
        "Joint planning",
        "Agencies plan together rather than in parallel.",
        "Agencies planned together at core groups and shared actions.",
        "Agencies worked in parallel; joint planning could be stronger.",
    ),
    (
        "Fathers and male carers",
        "Fathers and male carers are identified, assessed and involved.",
        "The father was involved in the assessment and the plan.",
        "The father and other male carers were not identified or assessed.",
    ),
    (
        "Recording of decisions",
        "Records show what was decided, by whom and why.",
        "Case records are clear, up to date and show the reasons for decisions.",
        "Records did not show why the case was closed or stepped down.",
    ),
    (
        "Step up and step down",
        "Moves between early help and statutory services are timely and planned.",
        "The step down to early help was planned with the family and partners.",
        "The case drifted in early help before being stepped up.",
    ),
    (
        "Health of children in care",
        "Health assessments are timely and their actions followed up.",
        "Health assessments were on time and their recommendations followed up.",
        "The review health assessment was late and dental checks were missed.",
    ),
    (
        "Education and attendance",
        "Schools are part of the plan and attendance is tracked.",
        "The school tracked attendance and contributed to every review.",
        "Poor attendance was not picked up in the plan.",
    ),
    (
        "Domestic abuse risk assessment",
        "Domestic abuse is risk assessed and referred on where needed.",
        "A domestic abuse risk assessment was completed and acted on.",
        "Domestic abuse was known but no risk assessment was completed.",
    ),
    (
        "Exploitation screening",
        "Risk of exploitation is screened and reviewed.",
        "Exploitation screening was completed and reviewed at each missing episode.",
        "Missing episodes were not followed by return interviews or screening.",
    ),
    (
        "Cultural identity and equality",
        "The child's culture, language, religion and disability are considered.",
        "The child's culture and religion were considered in the plan.",
        "An interpreter was not used and the child's identity needs were not considered.",
    ),
    (
        "Chronologies",
        "Up-to-date chronologies give a picture of the child's history.",
        "A multi-agency chronology was kept up to date.",
        "There was no chronology, so patterns of concern were missed.",
    ),
    (
        "Thresholds applied consistently",
        "The threshold document is applied consistently.",
        "The threshold document was applied correctly at the front door.",
        "Referrals were sent back to the referrer without a recorded reason.",
    ),
    (
        "Parental mental health",
        "The impact of parental mental health on the child is understood.",
        "Adult mental health services contributed to the assessment.",
        "The impact of the mother's mental health on the child was not assessed.",
    ),
    (
        "Transition to adulthood",
        "Planning for adulthood starts early and is joined up.",
        "Pathway planning started at 16 with the young person.",
        "Transition planning started late and housing was not arranged.",
    ),
)

ANSWER_TEXT = {
    "question": (
        "Recorded clearly; the agency's involvement is evidenced in the file.",
        "Seen in the record: contact was regular and purposeful.",
        "Partly evidenced: visits happened but the reasons for gaps are not recorded.",
        "Not evidenced in the file; the auditor could find no record of this.",
        "Good evidence of joint working with the social worker and the school.",
        "The practitioner knew the child well and recorded the child's views.",
        "Records are brief and do not show the analysis behind the decision.",
        "Information was shared at the strategy discussion and followed up in writing.",
    ),
    "judgement": (
        "The child's situation has improved and the plan is being followed.",
        "Some improvement, but it depends on continued support and is not yet sustained.",
        "Little has changed for the child; the same concerns are recorded at each review.",
        "Clear impact: attendance is up and the child says they feel safer at home.",
        "The work was timely and the family engaged; changes have lasted six months.",
    ),
    "outcome": (
        "Attending appointments; progress noted at the last review.",
        "Health needs are met; immunisations are up to date.",
        "Attendance has improved to over 90 per cent this term.",
        "Not known from this agency's records.",
        "The young person has started a college course with support.",
    ),
    "equality": (
        "An interpreter was used for every visit.",
        "The child's disability was considered in the plan.",
        "The family's faith was respected in the arrangements for contact.",
        "No equality issues identified in this section.",
    ),
    "key_question": (
        "Seen at home last week; no new concerns.",
        "Plan reviewed at the core group; actions on track.",
        "Referred to the social worker today for an update.",
    ),
    "recommendations": (
        "Record the reasons for decisions in the case notes.",
        "Share chronologies with partner agencies before each review.",
        "Use the neglect toolkit at every review.",
        "Invite the father to core group meetings.",
    ),
    "feedback": (
        "The tool was clear; the audit took about three hours.",
        "It would help to see the other agencies' returns before the meeting.",
    ),
}
EVIDENCE = (
    "Case note {date}",
    "Child in need plan review {date}",
    "Strategy discussion minutes {date}",
    "Core group minutes {date}",
    "Health visitor contact record {date}",
    "Supervision record {date}",
    "Referral form {date}",
    "Conference report {date}",
)
AMENDMENT_REASONS = (
    "Please add the dates of the visits to the evidence.",
    "The overall judgement needs the impact described, not the process.",
    "Please complete the outcomes for this child.",
)
DISCUSSION_NOTES = (
    "Agencies compared their returns; the grades were discussed section by section.",
    "The meeting discussed the gap between agencies' views of the planning.",
    "Agencies agreed the child is safer; the disagreement was about the timeliness of reviews.",
)
ACTION_TEXT = (
    "Share risk information with the social worker within one working day and record it.",
    "Brief every team on the neglect toolkit and check its use in supervision.",
    "Send a written report to every child protection conference.",
    "Record the child's views at every visit.",
    "Add fathers' details to the referral form and the assessment template.",
    "Audit ten further cases for management oversight in three months.",
)
ACTION_UPDATES = (
    "Briefing delivered to the team; follow-up check booked.",
    "Template changed; new guidance issued to practitioners.",
    "Dip sample completed; most records now show the change.",
)
