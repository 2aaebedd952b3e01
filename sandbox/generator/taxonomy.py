# ruff: noqa: E501  (data tables: long literal rows read better unwrapped)
"""The one table of topics and activity types, their multilingual labels, the title templates
per topic and language, and the wording each platform uses for an activity type.

Codes (snake_case) are what the ground truth carries; everything else is how platforms write it.
"""

from __future__ import annotations

TOPICS: dict[str, dict[str, str]] = {
    "spectrum_management": {"en": "Spectrum management", "fr": "Gestion du spectre", "es": "Gestión del espectro", "ru": "Управление использованием спектра", "ar": "إدارة الطيف", "zh": "频谱管理"},
    "satellite_services": {"en": "Satellite services", "fr": "Services par satellite", "es": "Servicios por satélite", "ru": "Спутниковые службы", "ar": "الخدمات الساتلية", "zh": "卫星业务"},
    "cybersecurity": {"en": "Cybersecurity", "fr": "Cybersécurité", "es": "Ciberseguridad", "ru": "Кибербезопасность", "ar": "الأمن السيبراني", "zh": "网络安全"},
    "ict_policy_regulation": {"en": "ICT policy and regulation", "fr": "Politique et réglementation des TIC", "es": "Política y reglamentación de las TIC", "ru": "Политика и регулирование в области ИКТ", "ar": "سياسات وتنظيم تكنولوجيا المعلومات والاتصالات", "zh": "信息通信技术政策与监管"},
    "standardization_conformity": {"en": "Standardization and conformity", "fr": "Normalisation et conformité", "es": "Normalización y conformidad", "ru": "Стандартизация и соответствие", "ar": "التقييس والمطابقة", "zh": "标准化与合格评定"},
    "digital_inclusion_accessibility": {"en": "Digital inclusion and accessibility", "fr": "Inclusion numérique et accessibilité", "es": "Inclusión digital y accesibilidad", "ru": "Цифровая интеграция и доступность", "ar": "الشمول الرقمي وإمكانية النفاذ", "zh": "数字包容与无障碍"},
    "emergency_telecommunications": {"en": "Emergency telecommunications", "fr": "Télécommunications d'urgence", "es": "Telecomunicaciones de emergencia", "ru": "Электросвязь в чрезвычайных ситуациях", "ar": "اتصالات الطوارئ", "zh": "应急通信"},
    "digital_financial_services": {"en": "Digital financial services", "fr": "Services financiers numériques", "es": "Servicios financieros digitales", "ru": "Цифровые финансовые услуги", "ar": "الخدمات المالية الرقمية", "zh": "数字金融服务"},
    "iot_smart_cities": {"en": "IoT and smart cities", "fr": "Internet des objets et villes intelligentes", "es": "Internet de las cosas y ciudades inteligentes", "ru": "Интернет вещей и умные города", "ar": "إنترنت الأشياء والمدن الذكية", "zh": "物联网与智慧城市"},
    "artificial_intelligence": {"en": "Artificial intelligence", "fr": "Intelligence artificielle", "es": "Inteligencia artificial", "ru": "Искусственный интеллект", "ar": "الذكاء الاصطناعي", "zh": "人工智能"},
    "broadband_infrastructure": {"en": "Broadband and infrastructure", "fr": "Large bande et infrastructures", "es": "Banda ancha e infraestructura", "ru": "Широкополосная связь и инфраструктура", "ar": "النطاق العريض والبنية التحتية", "zh": "宽带与基础设施"},
    "quality_of_service": {"en": "Quality of service", "fr": "Qualité de service", "es": "Calidad de servicio", "ru": "Качество обслуживания", "ar": "جودة الخدمة", "zh": "服务质量"},
    "environment_ewaste": {"en": "Environment and e-waste", "fr": "Environnement et déchets électroniques", "es": "Medio ambiente y residuos electrónicos", "ru": "Окружающая среда и электронные отходы", "ar": "البيئة والمخلفات الإلكترونية", "zh": "环境与电子废物"},
    "ict_statistics": {"en": "ICT statistics", "fr": "Statistiques des TIC", "es": "Estadísticas de las TIC", "ru": "Статистика ИКТ", "ar": "إحصاءات تكنولوجيا المعلومات والاتصالات", "zh": "信息通信技术统计"},
    "digital_transformation": {"en": "Digital transformation", "fr": "Transformation numérique", "es": "Transformación digital", "ru": "Цифровая трансформация", "ar": "التحول الرقمي", "zh": "数字化转型"},
}  # fmt: skip

ACTIVITY_TYPES: dict[str, dict[str, str]] = {
    "self_paced_online_course": {"en": "Self-paced online course", "fr": "Cours en ligne en autoformation", "es": "Curso en línea de autoaprendizaje", "ru": "Онлайн-курс для самостоятельного изучения", "ar": "دورة ذاتية الوتيرة على الإنترنت", "zh": "自定进度在线课程"},
    "instructor_led_online_course": {"en": "Instructor-led online course", "fr": "Cours en ligne avec tuteur", "es": "Curso en línea con tutor", "ru": "Онлайн-курс с преподавателем", "ar": "دورة على الإنترنت بإشراف مدرب", "zh": "教师指导的在线课程"},
    "blended_course": {"en": "Blended course", "fr": "Cours mixte", "es": "Curso semipresencial", "ru": "Смешанный курс", "ar": "دورة مدمجة", "zh": "混合式课程"},
    "face_to_face_training": {"en": "Face-to-face training", "fr": "Formation en présentiel", "es": "Capacitación presencial", "ru": "Очное обучение", "ar": "تدريب حضوري", "zh": "面授培训"},
    "workshop": {"en": "Workshop", "fr": "Atelier", "es": "Taller", "ru": "Практикум", "ar": "ورشة عمل", "zh": "讲习班"},
    "seminar": {"en": "Seminar", "fr": "Séminaire", "es": "Seminario", "ru": "Семинар", "ar": "ندوة", "zh": "研讨会"},
    "webinar": {"en": "Webinar", "fr": "Webinaire", "es": "Seminario web", "ru": "Вебинар", "ar": "ندوة عبر الإنترنت", "zh": "网络研讨会"},
    "forum": {"en": "Forum", "fr": "Forum", "es": "Foro", "ru": "Форум", "ar": "منتدى", "zh": "论坛"},
    "tutorial": {"en": "Tutorial", "fr": "Tutoriel", "es": "Tutorial", "ru": "Учебное занятие", "ar": "درس تعليمي", "zh": "教程"},
}  # fmt: skip

# Course-like titles per topic and language (the same topic under different names).
TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "spectrum_management": {
        "en": ("Spectrum management fundamentals", "Radio-frequency spectrum management", "National spectrum planning and frequency assignment", "Spectrum monitoring and enforcement", "Spectrum pricing and valuation"),
        "fr": ("Gestion du spectre", "Gestion du spectre radioélectrique", "Planification et assignation des fréquences", "Contrôle du spectre radioélectrique"),
        "es": ("Gestión del espectro radioeléctrico", "Planificación y asignación de frecuencias", "Comprobación técnica del espectro"),
        "ru": ("Управление радиочастотным спектром", "Планирование и присвоение частот", "Радиоконтроль и управление спектром"),
        "ar": ("إدارة الطيف الترددي", "تخطيط الترددات وتخصيصها"),
        "zh": ("频谱管理基础", "无线电频谱监测"),
    },
    "satellite_services": {
        "en": ("Satellite communications regulation", "Satellite network filings and coordination", "Space services and orbit management", "Satellite broadband for rural connectivity"),
        "fr": ("Services de radiocommunication par satellite", "Coordination des réseaux à satellite", "Réglementation des communications par satellite"),
        "es": ("Servicios de radiocomunicaciones por satélite", "Coordinación de redes de satélites"),
        "ru": ("Спутниковая связь и координация спутниковых сетей", "Регулирование спутниковых служб"),
        "ar": ("الاتصالات الساتلية وتنسيق الشبكات الساتلية",),
        "zh": ("卫星网络协调",),
    },
    "cybersecurity": {
        "en": ("Cybersecurity fundamentals", "National cybersecurity strategy development", "Building national CIRT capacity", "Cyber drill and incident response", "Child online protection"),
        "fr": ("Cybersécurité", "Élaboration d'une stratégie nationale de cybersécurité", "Exercice de cybersécurité (CyberDrill)"),
        "es": ("Ciberseguridad", "Estrategia nacional de ciberseguridad", "Ciberejercicio y respuesta a incidentes"),
        "ru": ("Кибербезопасность", "Национальная стратегия кибербезопасности"),
        "ar": ("الأمن السيبراني", "تمرين الأمن السيبراني والاستجابة للحوادث"),
        "zh": ("网络安全基础",),
    },
    "ict_policy_regulation": {
        "en": ("ICT policy and regulation", "Regulatory frameworks for the digital economy", "Competition and economic regulation in telecommunications", "Collaborative regulation", "Licensing and interconnection"),
        "fr": ("Politique et réglementation des TIC", "Réglementation des télécommunications/TIC", "Cadres réglementaires pour l'économie numérique"),
        "es": ("Política y reglamentación de las TIC", "Regulación de las telecomunicaciones", "Marcos regulatorios para la economía digital"),
        "ru": ("Политика и регулирование в области ИКТ", "Регулирование электросвязи"),
        "ar": ("سياسات وتنظيم تكنولوجيا المعلومات والاتصالات",),
        "zh": ("信息通信技术政策与监管",),
    },
    "standardization_conformity": {
        "en": ("Standardization and conformity assessment", "Bridging the standardization gap", "Conformity and interoperability testing", "How ITU-T Recommendations are made", "Test laboratories and mutual recognition"),
        "fr": ("Normalisation et évaluation de la conformité", "Conformité et interopérabilité"),
        "es": ("Normalización y evaluación de la conformidad", "Conformidad e interoperabilidad"),
        "ru": ("Стандартизация и оценка соответствия", "Соответствие и функциональная совместимость"),
        "ar": ("التقييس وتقييم المطابقة",),
        "zh": ("标准化与合格评定",),
    },
    "digital_inclusion_accessibility": {
        "en": ("Digital inclusion and accessibility", "ICT accessibility for persons with disabilities", "Digital skills for women and girls", "Bridging the digital gender divide", "Accessible ICT procurement"),
        "fr": ("Inclusion numérique et accessibilité", "Accessibilité des TIC pour les personnes handicapées"),
        "es": ("Inclusión digital y accesibilidad", "Accesibilidad de las TIC para personas con discapacidad"),
        "ru": ("Цифровая интеграция и доступность", "Доступность ИКТ для лиц с ограниченными возможностями"),
        "ar": ("الشمول الرقمي وإمكانية النفاذ", "نفاذ الأشخاص ذوي الإعاقة إلى تكنولوجيا المعلومات والاتصالات"),
        "zh": ("数字包容与无障碍",),
    },
    "emergency_telecommunications": {
        "en": ("Emergency telecommunications", "Disaster risk reduction and early warning", "National emergency telecommunication plans", "Emergency telecommunications simulation exercise"),
        "fr": ("Télécommunications d'urgence", "Plans nationaux de télécommunications d'urgence"),
        "es": ("Telecomunicaciones de emergencia", "Alerta temprana y reducción del riesgo de desastres"),
        "ru": ("Электросвязь в чрезвычайных ситуациях", "Системы раннего предупреждения"),
        "ar": ("اتصالات الطوارئ", "الإنذار المبكر والحد من مخاطر الكوارث"),
        "zh": ("应急通信",),
    },
    "digital_financial_services": {
        "en": ("Digital financial services", "Mobile money regulation", "Security of digital financial services", "Financial inclusion through digital financial services"),
        "fr": ("Services financiers numériques", "Réglementation de l'argent mobile"),
        "es": ("Servicios financieros digitales", "Dinero móvil e inclusión financiera"),
        "ru": ("Цифровые финансовые услуги",),
        "ar": ("الخدمات المالية الرقمية",),
        "zh": ("数字金融服务",),
    },
    "iot_smart_cities": {
        "en": ("IoT and smart sustainable cities", "Internet of Things: regulation and standards", "Key performance indicators for smart cities", "IoT security"),
        "fr": ("Internet des objets et villes intelligentes", "Villes intelligentes et durables"),
        "es": ("Internet de las cosas y ciudades inteligentes", "Ciudades inteligentes y sostenibles"),
        "ru": ("Интернет вещей и умные города",),
        "ar": ("إنترنت الأشياء والمدن الذكية",),
        "zh": ("物联网与智慧城市",),
    },
    "artificial_intelligence": {
        "en": ("Artificial intelligence for good", "AI governance and policy", "Machine learning for 5G networks", "AI in telecommunications"),
        "fr": ("Intelligence artificielle", "Gouvernance de l'intelligence artificielle"),
        "es": ("Inteligencia artificial", "Gobernanza de la inteligencia artificial"),
        "ru": ("Искусственный интеллект", "Искусственный интеллект в электросвязи"),
        "ar": ("الذكاء الاصطناعي", "حوكمة الذكاء الاصطناعي"),
        "zh": ("人工智能", "人工智能治理"),
    },
    "broadband_infrastructure": {
        "en": ("Broadband networks and infrastructure", "Broadband planning and deployment", "5G and IMT deployment", "Universal service funds and rural connectivity", "Fibre networks and infrastructure sharing"),
        "fr": ("Réseaux large bande et infrastructures", "Déploiement de la 5G", "Partage des infrastructures"),
        "es": ("Redes de banda ancha e infraestructura", "Despliegue de 5G/IMT", "Conectividad rural y servicio universal"),
        "ru": ("Широкополосные сети и инфраструктура", "Развертывание сетей 5G"),
        "ar": ("شبكات النطاق العريض والبنية التحتية", "نشر شبكات الجيل الخامس"),
        "zh": ("宽带网络与基础设施",),
    },
    "quality_of_service": {
        "en": ("Quality of service and quality of experience", "QoS regulation and measurement", "Mobile network QoS benchmarking"),
        "fr": ("Qualité de service et qualité d'expérience", "Mesure de la qualité de service"),
        "es": ("Calidad de servicio y calidad de experiencia", "Medición de la calidad de servicio"),
        "ru": ("Качество обслуживания и качество восприятия", "Измерение качества обслуживания"),
        "ar": ("جودة الخدمة وجودة التجربة",),
        "zh": ("服务质量",),
    },
    "environment_ewaste": {
        "en": ("ICT, environment and e-waste management", "E-waste policy and regulation", "Green ICT and climate change", "Circular economy for ICT"),
        "fr": ("Environnement et gestion des déchets électroniques", "TIC vertes et changements climatiques"),
        "es": ("Medio ambiente y gestión de residuos electrónicos", "TIC verdes y cambio climático"),
        "ru": ("Окружающая среда и электронные отходы", "Зелёные ИКТ и изменение климата"),
        "ar": ("البيئة وإدارة المخلفات الإلكترونية",),
        "zh": ("电子废物管理",),
    },
    "ict_statistics": {
        "en": ("ICT statistics and indicators", "Measuring the information society", "ICT household surveys", "Telecommunication/ICT administrative data"),
        "fr": ("Statistiques et indicateurs des TIC", "Mesurer la société de l'information"),
        "es": ("Estadísticas e indicadores de TIC", "Medición de la sociedad de la información"),
        "ru": ("Статистика и показатели ИКТ",),
        "ar": ("إحصاءات ومؤشرات تكنولوجيا المعلومات والاتصالات",),
        "zh": ("信息通信技术统计",),
    },
    "digital_transformation": {
        "en": ("Digital transformation", "Digital transformation leadership", "E-government and digital public services", "Digital innovation ecosystems", "Data governance for digital transformation"),
        "fr": ("Transformation numérique", "Leadership pour la transformation numérique", "Écosystèmes d'innovation numérique"),
        "es": ("Transformación digital", "Liderazgo para la transformación digital", "Ecosistemas de innovación digital"),
        "ru": ("Цифровая трансформация", "Экосистемы цифровых инноваций"),
        "ar": ("التحول الرقمي", "قيادة التحول الرقمي"),
        "zh": ("数字化转型",),
    },
}  # fmt: skip

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

# Short codes used in Moodle course shortnames.
TOPIC_ABBR = {
    "spectrum_management": "SPM",
    "satellite_services": "SAT",
    "cybersecurity": "CYB",
    "ict_policy_regulation": "REG",
    "standardization_conformity": "STD",
    "digital_inclusion_accessibility": "INC",
    "emergency_telecommunications": "EMT",
    "digital_financial_services": "DFS",
    "iot_smart_cities": "IOT",
    "artificial_intelligence": "AI",
    "broadband_infrastructure": "BBI",
    "quality_of_service": "QOS",
    "environment_ewaste": "ENV",
    "ict_statistics": "STA",
    "digital_transformation": "DTR",
}

# --------------------------------------------------------------------------- platform wording
# ITU Academy (Moodle): custom course field delivery_mode (free text picked from these).
ACADEMY_DELIVERY_MODE = {
    "self_paced_online_course": ("Self-paced", "Self-paced online", "Online (self-paced)", "Autoformation", "Autoaprendizaje"),
    "instructor_led_online_course": ("Instructor-led", "Online instructor-led", "Online with tutor", "En ligne avec tuteur", "En línea con tutor"),
    "blended_course": ("Blended", "Blended learning", "Mixte", "Semipresencial"),
    "face_to_face_training": ("Face-to-face", "Classroom", "Présentiel", "Presencial"),
    "webinar": ("Webinar", "Live webinar"),
}  # fmt: skip

# TSB events API: event_type -> activity type code (Training events are always in person or
# hybrid; a Hackathon is counted as a workshop).
TSB_EVENT_TYPES = {
    "Workshop": "workshop",
    "Tutorial": "tutorial",
    "Webinar": "webinar",
    "Forum": "forum",
    "Training": "face_to_face_training",
    "Hackathon": "workshop",
}
TSB_EVENT_CODES = {
    "Workshop": "WS",
    "Tutorial": "TU",
    "Webinar": "WB",
    "Forum": "FO",
    "Training": "TR",
    "Hackathon": "HK",
}

# Regional-office exports: activity-type words per language of the office.
REGIONAL_TYPE_TERMS = {
    "en": {"workshop": ("Workshop", "workshop"), "seminar": ("Seminar",), "webinar": ("Webinar", "Online webinar"), "forum": ("Forum",), "face_to_face_training": ("Training", "Training course")},
    "fr": {"workshop": ("Atelier", "atelier"), "seminar": ("Séminaire",), "webinar": ("Webinaire", "Webinar"), "forum": ("Forum",), "face_to_face_training": ("Formation", "Formation en présentiel")},
    "es": {"workshop": ("Taller", "taller"), "seminar": ("Seminario",), "webinar": ("Seminario web", "Webinar"), "forum": ("Foro",), "face_to_face_training": ("Capacitación", "Curso presencial")},
    "ru": {"workshop": ("практикум", "рабочее совещание"), "seminar": ("семинар", "Семинар"), "webinar": ("вебинар",), "forum": ("форум",), "face_to_face_training": ("тренинг", "учебный курс")},
    "ar": {"workshop": ("ورشة عمل",), "seminar": ("ندوة",), "webinar": ("ندوة عبر الإنترنت", "ويبينار"), "forum": ("منتدى",), "face_to_face_training": ("دورة تدريبية",)},
}  # fmt: skip

# GS learning record store: xAPI activity definition types.
GS_ACTIVITY_TYPE_IRIS = {
    "self_paced_online_course": "https://learning.itu.int/xapi/activity-types/self-paced-course",
    "instructor_led_online_course": "http://adlnet.gov/expapi/activities/course",
    "blended_course": "https://learning.itu.int/xapi/activity-types/blended-course",
    "webinar": "http://adlnet.gov/expapi/activities/meeting",
    "workshop": "https://learning.itu.int/xapi/activity-types/workshop",
}

BR_ACTIVITY_TYPE = "seminar"  # WRS and RRS-<region> are both seminars
