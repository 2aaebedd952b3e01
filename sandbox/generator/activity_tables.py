"""The activity calendar's tables: scale-1 volumes per platform and year, the minimum counts,
topic weights per unit, ITU-T study groups, region phrases, training centres, and the durations
and sizes of each activity type."""

from __future__ import annotations

from .offices import OFFICES
from .util import YEARS

# Scale-1 volumes per year (2026 runs to AS_OF only).
ACADEMY_PER_YEAR = dict(zip(YEARS, (110, 130, 175, 185, 175, 170, 170, 165, 135), strict=True))
TSB_PER_YEAR = dict(zip(YEARS, (70, 75, 95, 95, 85, 80, 80, 80, 65), strict=True))
RRS_PER_YEAR = dict(zip(YEARS, (10, 10, 6, 8, 10, 11, 11, 11, 9), strict=True))
REGIONAL_PER_OFFICE_YEAR = 15
GS_PER_YEAR = dict(zip(YEARS, (22, 25, 30, 32, 32, 30, 30, 30, 26), strict=True))

# Minimum counts so that tiny scales still exercise every platform.
MIN_COUNTS = {
    "academy": 8,
    "tsb_events": 6,
    "wrs": 1,
    "rrs": 3,
    "regional_per_office": 2,
    "gs_lrs": 5,
}

BR_TOPICS = {
    "spectrum_management": 60,
    "satellite_services": 25,
    "emergency_telecommunications": 8,
    "broadband_infrastructure": 7,
}
TOPIC_WEIGHTS = {
    "BDT": {
        "digital_transformation": 10,
        "cybersecurity": 10,
        "ict_policy_regulation": 10,
        "spectrum_management": 8,
        "broadband_infrastructure": 8,
        "digital_inclusion_accessibility": 8,
        "emergency_telecommunications": 5,
        "digital_financial_services": 5,
        "iot_smart_cities": 5,
        "artificial_intelligence": 7,
        "quality_of_service": 5,
        "environment_ewaste": 4,
        "ict_statistics": 5,
        "standardization_conformity": 3,
        "satellite_services": 3,
    },
    "BR": {
        "spectrum_management": 60,
        "satellite_services": 30,
        "emergency_telecommunications": 5,
        "broadband_infrastructure": 5,
    },
    "TSB": {
        "standardization_conformity": 15,
        "quality_of_service": 10,
        "iot_smart_cities": 10,
        "artificial_intelligence": 10,
        "cybersecurity": 10,
        "digital_financial_services": 6,
        "environment_ewaste": 6,
        "emergency_telecommunications": 3,
        "broadband_infrastructure": 5,
        "digital_transformation": 3,
    },
    "GS": {
        "digital_transformation": 20,
        "artificial_intelligence": 15,
        "ict_policy_regulation": 10,
        "cybersecurity": 10,
        "digital_inclusion_accessibility": 15,
        "ict_statistics": 10,
        "environment_ewaste": 5,
    },
}
STUDY_GROUPS = {
    "cybersecurity": "SG17",
    "iot_smart_cities": "SG20",
    "quality_of_service": "SG12",
    "standardization_conformity": "SG11",
    "environment_ewaste": "SG5",
    "digital_financial_services": "SG3",
    "broadband_infrastructure": "SG15",
    "artificial_intelligence": "SG13",
    "digital_inclusion_accessibility": "SG16",
    "emergency_telecommunications": "SG2",
    "digital_transformation": "SG20",
}

REGION_FOR = {
    "en": {
        "Africa": "for Africa",
        "Americas": "for the Americas",
        "Arab States": "for the Arab States",
        "Asia-Pacific": "for Asia and the Pacific",
        "CIS": "for the CIS region",
        "Europe": "for Europe",
    },
    "fr": {
        "Africa": "pour l'Afrique",
        "Americas": "pour les Amériques",
        "Arab States": "pour les États arabes",
        "Asia-Pacific": "pour l'Asie-Pacifique",
        "CIS": "pour la région CEI",
        "Europe": "pour l'Europe",
    },
    "es": {
        "Africa": "para África",
        "Americas": "para las Américas",
        "Arab States": "para los Estados Árabes",
        "Asia-Pacific": "para Asia-Pacífico",
        "CIS": "para la región de la CEI",
        "Europe": "para Europa",
    },
    "ru": {
        "Africa": "для Африки",
        "Americas": "для Америки",
        "Arab States": "для арабских государств",
        "Asia-Pacific": "для Азиатско-Тихоокеанского региона",
        "CIS": "для региона СНГ",
        "Europe": "для Европы",
    },
    "ar": {
        "Africa": "لأفريقيا",
        "Americas": "للأمريكتين",
        "Arab States": "للمنطقة العربية",
        "Asia-Pacific": "لآسيا والمحيط الهادئ",
        "CIS": "لكومنولث الدول المستقلة",
        "Europe": "لأوروبا",
    },
    "zh": {
        "Africa": "（非洲）",
        "Americas": "（美洲）",
        "Arab States": "（阿拉伯国家）",
        "Asia-Pacific": "（亚太）",
        "CIS": "（独联体）",
        "Europe": "（欧洲）",
    },
}

# Centres of Excellence that host the Academy's regional courses (training_centre field).
TRAINING_CENTRES = {
    "Africa": (
        "CoE Africa – ESMT Dakar",
        "CoE Africa – AFRALTI Nairobi",
        "CoE Africa – Digital Transformation Centre Kigali",
    ),
    "Americas": ("CoE Americas – INICTEL-UNI Lima", "CoE Americas – Universidad de Chile"),
    "Arab States": ("CoE Arab States – NTI Cairo", "CoE Arab States – Digital Academy Muscat"),
    "Asia-Pacific": (
        "CoE Asia-Pacific – APT Bangkok",
        "CoE Asia-Pacific – KISA Seoul",
        "CoE Asia-Pacific – C-DOT New Delhi",
    ),
    "CIS": (
        "CoE CIS – MTUCI Moscow",
        "CoE CIS – Almaty University of Power Engineering and Telecommunications",
    ),
    "Europe": (
        "CoE Europe – Tallinn University of Technology",
        "CoE Europe – Universidad Politécnica de Madrid",
    ),
}
HQ_TRAINING_CENTRES = ("", "", "", "ITU Academy (Geneva)", "ITU HQ")

ORG_UNITS_RO = {o.region: f"RO-{o.code}" for o in OFFICES.values()}


DURATIONS = {
    "self_paced_online_course": (56, 180),
    "instructor_led_online_course": (21, 56),
    "blended_course": (30, 90),
    "face_to_face_training": (3, 10),
    "workshop": (1, 5),
    "seminar": (3, 5),
    "webinar": (1, 1),
    "forum": (1, 3),
    "tutorial": (1, 1),
}
SIZES = {
    "academy": {
        "self_paced_online_course": (15, 130),
        "instructor_led_online_course": (18, 55),
        "blended_course": (14, 35),
        "face_to_face_training": (12, 28),
        "webinar": (40, 160),
    },
    "tsb_events": {
        "Workshop": (20, 60),
        "Tutorial": (12, 40),
        "Webinar": (30, 120),
        "Forum": (30, 100),
        "Training": (12, 30),
        "Hackathon": (12, 35),
    },
    "regional_offices": {
        "workshop": (12, 40),
        "seminar": (15, 45),
        "webinar": (25, 80),
        "forum": (25, 60),
        "face_to_face_training": (10, 25),
    },
    "gs_lrs": {
        "self_paced_online_course": (15, 50),
        "instructor_led_online_course": (10, 28),
        "blended_course": (8, 22),
        "webinar": (15, 60),
        "workshop": (8, 22),
    },
}
