# ruff: noqa: E501  (data tables: long literal rows read better unwrapped)
"""The six regional offices' export formats (a sandbox-side copy of
``ingestion/mappings/regional_offices/*.yml``; keep both in step)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OfficeFormat:
    office: str
    region: str
    code: str  # ITU-D region code, used in export file names and org units
    delimiter: str
    encoding: str
    date_format: str
    columns: dict[str, str]  # canonical field -> header, in file column order
    languages: dict[str, float]  # language of activity titles/terms -> share
    country_style: dict[str, float]  # how the participant country is written -> share
    gender_styles: tuple[tuple[str, str, str], ...]  # (female, male, other) vocabularies


OFFICES: dict[str, OfficeFormat] = {
    "africa": OfficeFormat(
        office="africa",
        region="Africa",
        code="AFR",
        delimiter=";",
        encoding="cp1252",
        date_format="%d/%m/%Y",
        columns={
            "activity_title": "Titre de l'activité",
            "activity_type": "Type d'activité",
            "start_date": "Date de début",
            "end_date": "Date de fin",
            "city": "Ville",
            "venue_country": "Pays du lieu",
            "full_name": "Nom complet",
            "email": "Courriel",
            "country": "Pays",
            "organization": "Organisation",
            "gender": "Sexe",
            "satisfaction": "Satisfaction (1-5)",
        },
        languages={"fr": 0.75, "en": 0.25},
        country_style={"fr": 0.85, "iso2": 0.05, "en": 0.10},
        gender_styles=(("F", "H", "Autre"), ("Femme", "Homme", "Autre"), ("F", "M", "X")),
    ),
    "americas": OfficeFormat(
        office="americas",
        region="Americas",
        code="AMS",
        delimiter=",",
        encoding="utf-8-sig",
        date_format="%m/%d/%Y",
        columns={
            "activity_title": "Título de la actividad",
            "activity_type": "Tipo de actividad",
            "start_date": "Fecha de inicio",
            "end_date": "Fecha de fin",
            "city": "Ciudad",
            "venue_country": "País sede",
            "first_name": "Nombre",
            "last_name": "Apellido",
            "email": "Correo electrónico",
            "country": "País",
            "organization": "Organización",
            "gender": "Género",
            "satisfaction": "Satisfacción (1-5)",
        },
        languages={"es": 0.85, "en": 0.15},
        country_style={"es": 0.85, "en": 0.10, "iso3": 0.05},
        gender_styles=(("F", "M", "Otro"), ("Femenino", "Masculino", "Otro"), ("Mujer", "Hombre", "Otro")),
    ),
    "arab_states": OfficeFormat(
        office="arab_states",
        region="Arab States",
        code="ARB",
        delimiter=",",
        encoding="utf-8",
        date_format="%Y-%m-%d",
        columns={
            "activity_title": "Activity title",
            "activity_type": "Activity type",
            "start_date": "Start date",
            "end_date": "End date",
            "city": "City",
            "venue_country": "Venue country",
            "full_name": "Participant name",
            "name_latin": "Name (Latin)",
            "email": "Email",
            "country": "Country",
            "organization": "Organization",
            "gender": "Gender",
            "satisfaction": "Satisfaction (1-5)",
        },
        languages={"en": 0.6, "ar": 0.4},
        country_style={"en": 0.9, "iso2": 0.1},
        gender_styles=(("Female", "Male", "Other"), ("F", "M", "Other"), ("أنثى", "ذكر", "آخر")),
    ),
    "asia_pacific": OfficeFormat(
        office="asia_pacific",
        region="Asia-Pacific",
        code="ASP",
        delimiter="\t",
        encoding="utf-16",
        date_format="%d/%m/%Y",
        columns={
            "activity_title": "Activity",
            "activity_type": "Type",
            "start_date": "Start",
            "end_date": "End",
            "city": "City",
            "venue_country": "Host country",
            "first_name": "First name",
            "last_name": "Last name",
            "email": "E-mail",
            "country": "Country",
            "organization": "Organisation",
            "gender": "Sex",
            "satisfaction": "Satisfaction",
        },
        languages={"en": 1.0},
        country_style={"en": 0.7, "iso3": 0.3},
        gender_styles=(("F", "M", "X"), ("Female", "Male", "Other")),
    ),
    "cis": OfficeFormat(
        office="cis",
        region="CIS",
        code="CIS",
        delimiter=";",
        encoding="utf-8",
        date_format="%d.%m.%Y",
        columns={
            "activity_title": "Название мероприятия",
            "activity_type": "Тип мероприятия",
            "start_date": "Дата начала",
            "end_date": "Дата окончания",
            "city": "Город",
            "venue_country": "Страна проведения",
            "full_name": "ФИО",
            "name_latin": "ФИО (латиница)",
            "email": "Электронная почта",
            "country": "Страна",
            "organization": "Организация",
            "gender": "Пол",
            "satisfaction": "Оценка (1-5)",
        },
        languages={"ru": 0.9, "en": 0.1},
        country_style={"ru": 0.9, "en": 0.1},
        gender_styles=(("Ж", "М", "Другое"), ("жен.", "муж.", "другое")),
    ),
    "europe": OfficeFormat(
        office="europe",
        region="Europe",
        code="EUR",
        delimiter=",",
        encoding="utf-8",
        date_format="%Y-%m-%d",
        columns={
            "activity_title": "Activity title",
            "activity_type": "Activity type",
            "start_date": "Start date",
            "end_date": "End date",
            "city": "City",
            "venue_country": "Venue country",
            "first_name": "First name",
            "last_name": "Last name",
            "email": "Email",
            "country": "Participant country",
            "organization": "Organization",
            "gender": "Gender",
            "satisfaction": "Satisfaction (1-5)",
        },
        languages={"en": 0.9, "fr": 0.1},
        country_style={"en": 0.8, "iso2": 0.2},
        gender_styles=(("Female", "Male", "Prefer not to say"), ("Woman", "Man", "Non-binary"), ("F", "M", "X")),
    ),
}  # fmt: skip

OFFICE_BY_REGION = {o.region: o for o in OFFICES.values()}
