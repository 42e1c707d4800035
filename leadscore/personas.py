"""The cast of the synthetic data (leadscore.synthetic): personas whose fit, engagement and
conversion differ, the events each persona does, and the names, companies, domains, countries and
industries their rows are drawn from."""

PERSONAS = [
    # name, share, fit (0-1), mean events, recency skew (higher: more recent), conversion bias
    ("enterprise_buyer", 0.14, 0.90, 80, 2.0, 1.2),
    ("midmarket_manager", 0.20, 0.70, 60, 1.6, 0.6),
    ("smb_owner", 0.18, 0.50, 50, 1.3, 0.2),
    ("practitioner", 0.15, 0.40, 70, 1.5, -0.3),
    ("student", 0.06, 0.05, 30, 1.0, -3.0),
    ("job_seeker", 0.04, 0.05, 25, 1.0, -3.0),
    ("competitor", 0.02, 0.10, 40, 1.0, -4.0),
    ("internal", 0.01, 0.10, 60, 1.0, -5.0),
    ("spammer", 0.05, 0.00, 5, 1.0, -6.0),
    ("tire_kicker", 0.15, 0.30, 20, 0.7, -1.5),
]

# Event pools per persona: (event_type, detail, weight). Picked by weight.
COMMON_EMAIL = [
    ("email_delivered", "newsletter", 10), ("email_delivered", "promo", 6),
    ("email_open", "newsletter", 5), ("email_open", "promo", 3),
    ("email_click", "newsletter", 2), ("email_click", "promo", 1),
    ("email_bounce", None, 1), ("email_unsubscribe", None, 0.3),
]
EVENT_POOLS = {
    "enterprise_buyer": COMMON_EMAIL + [
        ("page_view", "pricing", 8), ("page_view", "product", 10), ("page_view", "blog", 6),
        ("form_submit", "demo_request", 2), ("form_submit", "contact", 1), ("content_download", "whitepaper", 3),
        ("email_click", "product_update", 2), ("email_reply", None, 1.5), ("meeting_booked", None, 1.2),
        ("meeting_held", None, 1), ("meeting_cancelled", None, 0.3), ("webinar_registered", None, 1),
        ("webinar_attended", None, 0.8), ("chat_started", None, 1), ("social_like", "linkedin", 1),
        ("social_share", "linkedin", 0.5), ("social_comment", "linkedin", 0.3), ("social_click", "linkedin", 1),
        ("trial_started", None, 0.3), ("project_created", None, 0.5), ("task_created", None, 1),
    ],
    "midmarket_manager": COMMON_EMAIL + [
        ("page_view", "pricing", 5), ("page_view", "product", 10), ("page_view", "blog", 8),
        ("form_submit", "demo_request", 1), ("form_submit", "newsletter_signup", 1), ("content_download", "ebook", 3),
        ("email_click", "product_update", 1), ("email_reply", None, 0.8), ("meeting_booked", None, 0.6),
        ("meeting_held", None, 0.4), ("meeting_cancelled", None, 0.3), ("webinar_registered", None, 1),
        ("webinar_attended", None, 0.6), ("chat_started", None, 1), ("social_like", "linkedin", 2),
        ("social_share", "twitter", 0.5), ("social_click", "linkedin", 1), ("trial_started", None, 0.5),
        ("project_created", None, 1), ("task_created", None, 3),
    ],
    "smb_owner": COMMON_EMAIL + [
        ("page_view", "pricing", 6), ("page_view", "product", 8), ("page_view", "blog", 4),
        ("form_submit", "contact", 1), ("trial_started", None, 1), ("project_created", None, 2),
        ("task_created", None, 6), ("chat_started", None, 2), ("social_like", "facebook", 2),
        ("social_click", "facebook", 1), ("meeting_booked", None, 0.2), ("email_reply", None, 0.3),
    ],
    "practitioner": COMMON_EMAIL + [
        ("page_view", "docs", 12), ("page_view", "blog", 10), ("page_view", "product", 5),
        ("page_view", "pricing", 1), ("content_download", "ebook", 4), ("webinar_registered", None, 2),
        ("webinar_attended", None, 1.5), ("social_like", "twitter", 3), ("social_share", "twitter", 1),
        ("social_comment", "twitter", 1), ("trial_started", None, 0.5), ("task_created", None, 4),
        ("project_created", None, 1),
    ],
    "student": COMMON_EMAIL + [
        ("page_view", "blog", 10), ("page_view", "careers", 3), ("content_download", "ebook", 4),
        ("social_like", "instagram", 3), ("webinar_registered", None, 1),
    ],
    "job_seeker": COMMON_EMAIL + [
        ("page_view", "careers", 12), ("page_view", "about", 5), ("form_submit", "job_application", 1),
        ("social_like", "linkedin", 2), ("social_click", "linkedin", 2),
    ],
    "competitor": COMMON_EMAIL + [
        ("page_view", "pricing", 10), ("page_view", "product", 10), ("content_download", "whitepaper", 4),
        ("webinar_attended", None, 1), ("trial_started", None, 0.5),
    ],
    "internal": COMMON_EMAIL + [
        ("page_view", "product", 10), ("page_view", "pricing", 3), ("task_created", None, 5),
        ("project_created", None, 2), ("meeting_held", None, 1), ("chat_started", None, 1),
    ],
    "spammer": [
        ("page_view", "home", 5), ("form_submit", "contact", 3), ("email_bounce", None, 3),
        ("chat_started", None, 1), ("unknown_signal", None, 0.5),
    ],
    "tire_kicker": COMMON_EMAIL + [
        ("page_view", "home", 8), ("page_view", "blog", 6), ("page_view", "pricing", 1),
        ("content_download", "ebook", 1), ("social_like", "facebook", 1), ("meeting_booked", None, 0.1),
        ("meeting_cancelled", None, 0.1),
    ],
}

FIRST_NAMES = ["Anna", "Bram", "Chen", "Daan", "Eva", "Femke", "Gustav", "Hanna", "Ingrid", "Jan", "Karin",
               "Lars", "Mei", "Noah", "Olga", "Pieter", "Quinn", "Rosa", "Sven", "Tess", "Ulrich", "Vera",
               "Wei", "Xavier", "Yara", "Zoe", "Lukas", "Sofia", "Emma", "Liam"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meyer", "Schmidt", "Andersson", "Johansson",
              "Wang", "Li", "Zhang", "Peeters", "Maes", "Müller", "Schneider", "Karlsson", "Nilsson", "Smith",
              "Brown", "Dubois", "Martin", "Rossi", "Garcia", "Novak", "Kowalski", "Olsen", "Berg", "Lindqvist",
              "Hoffmann"]
COMPANY_PREFIX = ["Nord", "Blue", "Vertex", "Delta", "Polar", "Summit", "Orbit", "Cedar", "Harbor", "Falcon",
                  "Quantum", "Atlas", "Beacon", "Crest", "Echo", "Granite", "Lumen", "Nova", "Pioneer", "Zenith"]
COMPANY_SUFFIX = ["Logistics", "Systems", "Industries", "Software", "Foods", "Analytics", "Robotics",
                  "Finance", "Health", "Energy"]
PERSONAL_DOMAINS = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "gmx.de", "web.de", "ziggo.nl",
                    "telenet.be", "qq.com", "163.com"]
EDUCATION_DOMAINS = ["student.uva.nl", "mit.edu", "cs.stanford.edu", "kth.se", "ox.ac.uk", "tum.de"]
TARGET_COUNTRIES = ["NL", "BE", "DE", "SE", "GB", "US"]
OTHER_COUNTRIES = ["FR", "IN", "BR", "CN", "ZA", "AU"]
INDUSTRIES_TARGET = ["software", "manufacturing", "financial services", "logistics"]
INDUSTRIES_OTHER = ["retail", "education", "government", "non-profit", "media", "healthcare"]
