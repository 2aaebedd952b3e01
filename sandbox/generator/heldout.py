# ruff: noqa: E501  (data tables: long literal rows read better unwrapped)
"""The held-out vocabulary: wordings the warehouse's seeds never learn from.

The sandbox's own vocabulary (``taxonomy.py``: titles, Academy delivery modes, regional
activity-type words) is *in-sample*: the taxonomy seeds were built beside it. This module holds a
second, independently written vocabulary for the same topics and activity types: other titles (how
a bureau or a regional office would actually name a course or an event, in the six UN languages
as the platforms use them) and other free-text delivery-mode words (the Academy's field). A share of the activities
(``HELD_OUT_SHARE``) draws its wording from here, and the ground truth records which part each
activity's wording came from (``activities.parquet``: ``vocabulary``), so ``capdev evaluate``
reports the classifier's accuracy on both parts side by side. The same holds for the course
names of the duplicated courses and near misses (``courses.py``): held-out wordings of each
course aspect and level, and other title patterns, checked against the overlap seed
(``course_terms.csv``) and recorded as ``course_vocabulary``, so the overlap precision and recall
are reported on both parts too.

Rules (docs/taxonomy.md): nothing here is derived from the seeds, and nothing here may be copied
into the seeds (``tests/integration/test_reference_coverage.py`` checks that no wording of this
module is a term of ``taxonomy_terms.csv``, ``delivery_mode_terms.csv`` or ``course_terms.csv``).
Platform *codes* (TSB event_type enumeration,
xAPI activity-type IRIs, BR seminar series, Academy category names) are fixed by the platforms
and are not split. Nor are the regional offices' activity-type words and the country spellings:
validation (Great Expectations) quarantines a row whose word or spelling is not in its known list
(by design, ``expectations/value_sets.yml``), so a held-out one would measure the quarantine, not
the classifier.
"""

from __future__ import annotations

IN_SAMPLE = "in_sample"
HELD_OUT = "held_out"

#: Share of activities whose wording comes from the held-out vocabulary.
HELD_OUT_SHARE = 0.3

HELD_OUT_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "spectrum_management": {
        "en": ("Managing the radio spectrum: tools for regulators", "Introduction to spectrum engineering", "Frequency allotment plans and interference resolution", "Spectrum auctions: design and practice"),
        "fr": ("Ingénierie du spectre et brouillages préjudiciables", "Introduction à la gestion nationale des fréquences", "Enchères de fréquences : conception et mise en œuvre"),
        "es": ("Ingeniería del espectro e interferencias perjudiciales", "Introducción a la gestión nacional del espectro", "Subastas de espectro: diseño y práctica"),
        "ru": ("Основы инженерии спектра", "Вредные помехи и их устранение: управление спектром"),
        "ar": ("مقدمة في هندسة الطيف الراديوي", "مزادات الطيف: التصميم والممارسة"),
        "zh": ("无线电频谱规划入门", "频谱拍卖设计与实践"),
    },
    "satellite_services": {
        "en": ("Regulatory procedures for satellite systems", "Small satellites: frequency and orbit issues", "Earth stations licensing and landing rights", "Non-geostationary satellite constellations"),
        "fr": ("Procédures réglementaires applicables aux systèmes à satellites", "Petits satellites : questions de fréquences et d'orbites", "Constellations de satellites non géostationnaires"),
        "es": ("Procedimientos reglamentarios para sistemas de satélites", "Pequeños satélites: frecuencias y órbitas", "Constelaciones de satélites no geoestacionarios"),
        "ru": ("Регламентарные процедуры для спутниковых систем", "Малые спутники: вопросы частот и орбит"),
        "ar": ("الإجراءات التنظيمية للأنظمة الساتلية", "السواتل الصغيرة: مسائل الترددات والمدارات"),
        "zh": ("卫星系统的规则程序", "小卫星的频率与轨道问题"),
    },
    "cybersecurity": {
        "en": ("Protecting critical information infrastructure", "Cyber threat intelligence for national CERTs", "Introduction to cyber incident handling", "Keeping children safe online: policy toolkit"),
        "fr": ("Protection des infrastructures critiques contre les cybermenaces", "Gestion des incidents de sécurité informatique", "Cyberhygiène pour les administrations publiques"),
        "es": ("Protección de infraestructuras críticas frente a ciberamenazas", "Gestión de incidentes de seguridad informática", "Ciberhigiene para la administración pública"),
        "ru": ("Защита критической информационной инфраструктуры от киберугроз", "Реагирование на компьютерные инциденты"),
        "ar": ("حماية البنية التحتية الحيوية من التهديدات السيبرانية", "التعامل مع الحوادث السيبرانية"),
        "zh": ("关键信息基础设施网络安全保护", "网络安全事件应急响应入门"),
    },
    "ict_policy_regulation": {
        "en": ("Fifth-generation regulation: tools and practice", "Economic regulation of telecommunication markets", "Regulating over-the-top services", "Drafting telecommunication legislation"),
        "fr": ("Régulation de cinquième génération : outils et pratiques", "Régulation économique des marchés des télécommunications", "Élaboration de la législation sur les télécommunications"),
        "es": ("Regulación de quinta generación: herramientas y práctica", "Regulación económica de los mercados de telecomunicaciones", "Elaboración de la legislación de telecomunicaciones"),
        "ru": ("Экономическое регулирование рынков электросвязи", "Регулирование пятого поколения: инструменты и практика"),
        "ar": ("التنظيم الاقتصادي لأسواق الاتصالات", "تنظيم الجيل الخامس: الأدوات والممارسات"),
        "zh": ("电信市场经济监管", "第五代协作式监管工具与实践"),
    },
    "standardization_conformity": {
        "en": ("Developing national standards strategies", "Setting up a conformity assessment regime", "Participating effectively in ITU-T study groups", "Testing for interoperability of mobile devices"),
        "fr": ("Élaborer une stratégie nationale de normalisation", "Mettre en place un régime d'évaluation de la conformité", "Participer efficacement aux commissions d'études de l'UIT-T"),
        "es": ("Elaboración de estrategias nacionales de normalización", "Establecimiento de un régimen de evaluación de la conformidad", "Participación efectiva en las comisiones de estudio del UIT-T"),
        "ru": ("Разработка национальной стратегии стандартизации", "Создание системы оценки соответствия"),
        "ar": ("وضع استراتيجية وطنية للتقييس", "إرساء نظام لتقييم المطابقة"),
        "zh": ("制定国家标准化战略", "建立合格评定制度"),
    },
    "digital_inclusion_accessibility": {
        "en": ("Making ICT accessible to everyone", "Accessible digital content and web accessibility", "Empowering women through ICT skills", "Connecting persons with disabilities: policy options"),
        "fr": ("Des TIC accessibles à tous", "Contenus numériques et sites web accessibles", "L'autonomisation des femmes par les compétences en TIC"),
        "es": ("TIC accesibles para todas las personas", "Contenidos digitales y sitios web accesibles", "Empoderamiento de las mujeres mediante competencias en TIC"),
        "ru": ("Доступные ИКТ для всех", "Расширение прав и возможностей женщин с помощью ИКТ"),
        "ar": ("تكنولوجيا معلومات واتصالات ميسّرة للجميع", "تمكين المرأة من خلال مهارات تكنولوجيا المعلومات والاتصالات"),
        "zh": ("让所有人都能使用信息通信技术", "通过信息通信技术技能增强妇女权能"),
    },
    "emergency_telecommunications": {
        "en": ("Telecommunications for disaster response", "Multi-hazard early warning systems", "Drafting a national emergency telecommunication plan", "Resilient networks for crisis situations"),
        "fr": ("Les télécommunications au service des secours en cas de catastrophe", "Systèmes d'alerte précoce multirisques", "Élaboration d'un plan national de télécommunications d'urgence"),
        "es": ("Telecomunicaciones para la respuesta a desastres", "Sistemas de alerta temprana multirriesgo", "Elaboración de un plan nacional de telecomunicaciones de emergencia"),
        "ru": ("Электросвязь для реагирования на бедствия", "Системы раннего оповещения о многих опасностях"),
        "ar": ("الاتصالات للاستجابة للكوارث", "أنظمة الإنذار المبكر بالأخطار المتعددة"),
        "zh": ("灾害响应中的电信", "多灾种预警系统"),
    },
    "digital_financial_services": {
        "en": ("Consumer protection in digital financial services", "Interoperable mobile payment systems", "Digital finance for the unbanked", "Fraud and security in mobile money"),
        "fr": ("Protection des consommateurs dans les services financiers numériques", "Systèmes de paiement mobile interopérables", "La finance numérique pour les personnes non bancarisées"),
        "es": ("Protección del consumidor en los servicios financieros digitales", "Sistemas de pago móvil interoperables", "Finanzas digitales para la población no bancarizada"),
        "ru": ("Защита прав потребителей цифровых финансовых услуг", "Совместимые системы мобильных платежей"),
        "ar": ("حماية المستهلك في الخدمات المالية الرقمية", "أنظمة الدفع عبر الهاتف المحمول القابلة للتشغيل البيني"),
        "zh": ("数字金融服务中的消费者保护", "可互操作的移动支付系统"),
    },
    "iot_smart_cities": {
        "en": ("Smart sustainable cities: from strategy to implementation", "IoT applications for agriculture", "Building smart villages", "Data platforms for smart cities"),
        "fr": ("Villes intelligentes et durables : de la stratégie à la mise en œuvre", "Applications de l'Internet des objets à l'agriculture", "Plateformes de données pour les villes intelligentes"),
        "es": ("Ciudades inteligentes y sostenibles: de la estrategia a la implementación", "Aplicaciones del Internet de las cosas en la agricultura", "Plataformas de datos para ciudades inteligentes"),
        "ru": ("Умные устойчивые города: от стратегии к реализации", "Применение интернета вещей в сельском хозяйстве"),
        "ar": ("المدن الذكية المستدامة: من الاستراتيجية إلى التنفيذ", "تطبيقات إنترنت الأشياء في الزراعة"),
        "zh": ("智慧可持续城市：从战略到实施", "物联网在农业中的应用"),
    },
    "artificial_intelligence": {
        "en": ("Introduction to artificial intelligence for policy makers", "Machine learning in practice", "Ethics and regulation of AI", "AI for health"),
        "fr": ("Introduction à l'intelligence artificielle pour les décideurs", "L'apprentissage automatique en pratique", "Éthique et régulation de l'IA"),
        "es": ("Introducción a la inteligencia artificial para responsables de políticas", "Aprendizaje automático en la práctica", "Ética y regulación de la IA"),
        "ru": ("Введение в искусственный интеллект для директивных органов", "Машинное обучение на практике"),
        "ar": ("مقدمة في الذكاء الاصطناعي لصانعي السياسات", "التعلم الآلي في الممارسة العملية"),
        "zh": ("面向政策制定者的人工智能入门", "机器学习实践"),
    },
    "broadband_infrastructure": {
        "en": ("Planning national backbone networks", "Connecting the unconnected: last-mile technologies", "Optical fibre deployment and operation", "Mobile network planning for 5G"),
        "fr": ("Planification des réseaux dorsaux nationaux", "Connecter les zones non desservies : technologies du dernier kilomètre", "Déploiement et exploitation de la fibre optique"),
        "es": ("Planificación de redes troncales nacionales", "Conectar a quienes no están conectados: tecnologías de última milla", "Despliegue y explotación de la fibra óptica"),
        "ru": ("Планирование национальных магистральных сетей", "Строительство и эксплуатация волоконно-оптических линий"),
        "ar": ("تخطيط الشبكات الوطنية الأساسية", "نشر الألياف البصرية وتشغيلها"),
        "zh": ("国家骨干网络规划", "光纤网络部署与运营"),
    },
    "quality_of_service": {
        "en": ("Measuring mobile broadband quality", "Drive testing and crowdsourced QoS measurement", "Quality of experience of video services", "Setting QoS targets in licences"),
        "fr": ("Mesurer la qualité du haut débit mobile", "Campagnes de mesure de la qualité des réseaux mobiles", "Qualité de l'expérience des services vidéo"),
        "es": ("Medición de la calidad de la banda ancha móvil", "Campañas de medición de calidad de redes móviles", "Calidad de la experiencia en servicios de vídeo"),
        "ru": ("Измерение качества мобильного широкополосного доступа", "Качество восприятия видеоуслуг"),
        "ar": ("قياس جودة النطاق العريض المتنقل", "جودة التجربة في خدمات الفيديو"),
        "zh": ("移动宽带质量测量", "视频业务的体验质量"),
    },
    "environment_ewaste": {
        "en": ("Managing e-waste: policy and legislation", "ICTs for climate action", "Reducing the carbon footprint of networks", "Sustainable digital infrastructure"),
        "fr": ("Gestion des déchets d'équipements électriques et électroniques", "Les TIC au service de l'action climatique", "Réduire l'empreinte carbone des réseaux"),
        "es": ("Gestión de residuos de aparatos eléctricos y electrónicos", "Las TIC al servicio de la acción climática", "Reducción de la huella de carbono de las redes"),
        "ru": ("Обращение с электронными отходами: политика и законодательство", "ИКТ для борьбы с изменением климата"),
        "ar": ("إدارة النفايات الإلكترونية: السياسات والتشريعات", "تكنولوجيا المعلومات والاتصالات من أجل العمل المناخي"),
        "zh": ("电子废物管理政策与立法", "信息通信技术助力气候行动"),
    },
    "ict_statistics": {
        "en": ("Collecting ICT indicators from operators", "Measuring digital development: the ICT Development Index", "Producing ICT access and use statistics", "Using big data for official ICT statistics"),
        "fr": ("Collecte des indicateurs des TIC auprès des opérateurs", "Mesurer le développement numérique", "Produire des statistiques sur l'accès aux TIC et leur utilisation"),
        "es": ("Recopilación de indicadores de TIC de los operadores", "Medición del desarrollo digital", "Estadísticas sobre el acceso a las TIC y su uso"),
        "ru": ("Сбор показателей ИКТ у операторов", "Статистика доступа к ИКТ и их использования"),
        "ar": ("جمع مؤشرات تكنولوجيا المعلومات والاتصالات من المشغلين", "قياس التنمية الرقمية"),
        "zh": ("信息通信技术指标采集", "信息通信技术接入与使用统计"),
    },
    "digital_transformation": {
        "en": ("Leading digital change in the public sector", "Building a national digital strategy", "Digital government services for citizens", "Digital public infrastructure essentials"),
        "fr": ("Piloter le changement numérique dans le secteur public", "Élaborer une stratégie numérique nationale", "Services publics numériques pour les citoyens"),
        "es": ("Liderar el cambio digital en el sector público", "Elaboración de una estrategia digital nacional", "Servicios públicos digitales para la ciudadanía"),
        "ru": ("Цифровые преобразования в государственном секторе", "Разработка национальной цифровой стратегии"),
        "ar": ("قيادة التغيير الرقمي في القطاع العام", "وضع استراتيجية رقمية وطنية"),
        "zh": ("引领公共部门数字化变革", "制定国家数字战略"),
    },
}  # fmt: skip

# ITU Academy (Moodle) free-text custom field delivery_mode: other ways course editors write it.
HELD_OUT_ACADEMY_DELIVERY_MODE: dict[str, tuple[str, ...]] = {
    "self_paced_online_course": ("Self-paced e-learning", "Online - at your own pace", "En ligne, à votre rythme", "En línea, a su ritmo"),
    "instructor_led_online_course": ("Online, tutor-led", "Live online course with tutor", "Formation en ligne tutorée", "Curso en línea tutorizado"),
    "blended_course": ("Blended (online + face-to-face)", "Mixed mode", "Formation hybride", "Modalidad mixta"),
    "face_to_face_training": ("Delivered in person", "On-site", "En présentiel (salle)", "Presencial (aula)"),
    "webinar": ("Live online session", "Web conference"),
}  # fmt: skip


# ---------------------------------------------------------------------------- course names
# The held-out way to name a course (``courses.py``: a course is a topic, an aspect and a level).
# Written apart from ``courses.ASPECTS`` / ``LEVELS`` / ``TEMPLATES`` and from the overlap seed
# (``course_terms.csv``, never read to write these): how a bureau or a regional office names the
# same subject in its own words (synonyms, abbreviations, another word order), not a translation
# of the in-sample words. The topic keeps its label (``taxonomy.TOPICS``): the taxonomy's own
# held-out part is measured on the catalogue titles above, this part on the course vocabulary
# the overlap detector reads (the truth's ``course_vocabulary``).

# What the course is about, per aspect of ``courses.ASPECTS``, as running text ({a}; {A} starts
# with a capital letter).
HELD_OUT_ASPECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "national_strategy": {"en": ("drafting and implementing a national plan", "national roadmaps: from design to delivery"), "fr": ("feuille de route nationale : conception et mise en œuvre", "concevoir un plan national"), "es": ("hoja de ruta nacional: diseño y ejecución", "cómo diseñar un plan nacional"), "ru": ("национальная дорожная карта: подготовка и реализация", "как составить национальный план"), "ar": ("خارطة الطريق الوطنية: الصياغة والتنفيذ", "وضع خطة وطنية"), "zh": ("国家路线图的编制与实施", "国家规划编制")},
    "legal_frameworks": {"en": ("regulatory and legal aspects", "laws, decrees and regulations"), "fr": ("aspects législatifs et réglementaires", "textes de loi et décrets d'application"), "es": ("aspectos legales y regulatorios", "leyes, decretos y reglamentos"), "ru": ("законодательные и нормативные аспекты", "нормативно-правовое регулирование"), "ar": ("الجوانب التشريعية والتنظيمية", "القوانين واللوائح"), "zh": ("立法与监管问题", "法律法规体系")},
    "monitoring_measurement": {"en": ("KPIs and measurement", "tracking progress and results"), "fr": ("KPI et évaluation des performances", "suivi des résultats et tableaux de bord"), "es": ("KPI y evaluación del desempeño", "cuadros de mando y seguimiento de resultados"), "ru": ("ключевые показатели эффективности", "оценка результатов и контроль исполнения"), "ar": ("مؤشرات الأداء الرئيسية", "متابعة النتائج وتقييمها"), "zh": ("关键绩效指标", "成效评估与跟踪")},
    "emerging_technologies": {"en": ("new and disruptive technologies", "frontier technologies: what comes next"), "fr": ("technologies de rupture", "nouvelles tendances technologiques"), "es": ("tecnologías disruptivas", "nuevas tendencias tecnológicas"), "ru": ("прорывные технологии", "технологические тренды"), "ar": ("التقنيات الحديثة والمبتكرة", "الاتجاهات التكنولوجية الجديدة"), "zh": ("前沿技术", "颠覆性技术趋势")},
    "project_financing": {"en": ("funding models", "investment and funding mechanisms"), "fr": ("modèles de financement", "mobilisation des ressources et investissement"), "es": ("modelos de financiamiento", "movilización de recursos e inversión"), "ru": ("модели финансирования", "привлечение инвестиций"), "ar": ("نماذج التمويل", "حشد الموارد والاستثمار"), "zh": ("融资模式", "资金筹措与投资")},
    "best_practices": {"en": ("lessons learned", "what works: country experiences"), "fr": ("leçons apprises", "retours d'expérience des pays"), "es": ("lecciones aprendidas", "experiencias de los países"), "ru": ("извлеченные уроки", "опыт стран"), "ar": ("الدروس المستفادة", "تجارب البلدان"), "zh": ("经验教训", "各国经验交流")},
    "training_of_trainers": {"en": ("train-the-trainer", "ToT for facilitators"), "fr": ("formation de formateurs relais", "devenir formateur"), "es": ("capacitación de capacitadores", "formación de instructores"), "ru": ("школа тренеров", "обучение преподавателей-тренеров"), "ar": ("إعداد المدربين", "برنامج تأهيل المدربين"), "zh": ("师资培训", "讲师培养")},
    "risk_assessment": {"en": ("threat and risk analysis", "identifying and managing risks"), "fr": ("analyse des menaces et des risques", "gestion des risques"), "es": ("análisis de amenazas y riesgos", "gestión de riesgos"), "ru": ("анализ угроз и рисков", "управление рисками"), "ar": ("تحليل التهديدات والمخاطر", "إدارة المخاطر"), "zh": ("威胁与风险分析", "风险管理")},
    "data_analytics": {"en": ("data-driven decision making", "using data for better decisions"), "fr": ("la décision fondée sur les données", "exploitation et valorisation des données"), "es": ("toma de decisiones basada en datos", "explotación de datos"), "ru": ("принятие решений на основе данных", "аналитика больших данных"), "ar": ("اتخاذ القرارات القائمة على البيانات", "الاستفادة من البيانات الضخمة"), "zh": ("数据驱动决策", "大数据应用")},
    "public_private_partnerships": {"en": ("working with the private sector", "PPP models"), "fr": ("travailler avec le secteur privé", "montages en PPP"), "es": ("colaboración con el sector privado", "esquemas de APP"), "ru": ("взаимодействие с частным сектором", "модели ГЧП"), "ar": ("العمل مع القطاع الخاص", "نماذج الشراكة مع القطاع الخاص"), "zh": ("与私营部门合作", "PPP模式")},
}  # fmt: skip

# How a title puts the topic and the aspect together (the placeholders of ``courses.TEMPLATES``).
HELD_OUT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": ("{T} — {a}", "{A} in the field of {t}", "{A} ({t})"),
    "fr": ("{T} — {a}", "{A} ({t})"),
    "es": ("{T} — {a}", "{A} ({t})"),
    "ru": ("{T} — {a}", "{A} ({t})"),
    "ar": ("{T} - {a}", "{A} في مجال {t}"),
    "zh": ("{T}——{a}", "{t}{a}"),
}

# How a title states the level of ``courses.LEVELS`` around the course name ({n}).
HELD_OUT_LEVELS: dict[str, dict[str, tuple[str, ...]]] = {
    "introductory": {"en": ("{n} for beginners", "{n}: the basics", "{n} (level 1)"), "fr": ("{n} : les fondamentaux", "{n} (niveau 1)", "{n} pour débutants"), "es": ("{n}: conceptos básicos", "{n} (nivel 1)", "{n} para principiantes"), "ru": ("{n}: основы", "{n} (для начинающих)", "{n} (уровень 1)"), "ar": ("{n}: الأساسيات", "{n} (للمبتدئين)"), "zh": ("{n}（基础班）", "{n}：基础知识")},
    "advanced": {"en": ("{n} (level 2)", "{n}: a deep dive for practitioners"), "fr": ("{n} : niveau expert", "{n} (niveau 2)", "{n} : approfondissement"), "es": ("{n}: nivel experto", "{n} (nivel 2)", "{n}: profundización"), "ru": ("{n}: экспертный уровень", "{n} (уровень 2)", "{n} (для специалистов)"), "ar": ("{n}: مستوى الخبراء", "{n} (للمتخصصين)"), "zh": ("{n}（提高班）", "{n}：专家级")},
}  # fmt: skip


def all_wordings() -> list[tuple[str, str, str]]:
    """Every held-out wording as (kind, code, text): kind is 'title' (code = topic),
    'delivery_mode' (code = activity type), 'course_aspect' (code = aspect) or 'course_level'
    (code = level; the words around the course name)."""
    out: list[tuple[str, str, str]] = []
    for topic, by_lang in HELD_OUT_TITLES.items():
        out.extend(("title", topic, t) for titles in by_lang.values() for t in titles)
    for code, words in HELD_OUT_ACADEMY_DELIVERY_MODE.items():
        out.extend(("delivery_mode", code, w) for w in words)
    for kind, table in (
        ("course_aspect", HELD_OUT_ASPECTS),
        ("course_level", HELD_OUT_LEVELS),
    ):
        for code, by_lang in table.items():
            out.extend(
                (kind, code, w.replace("{n}", "").strip(" :：（）()"))
                for words in by_lang.values()
                for w in words
            )
    return out
