-- One row per resolved person (participant_key): the country the person's records give most
-- often (ties: alphabetical) with its ITU region and development status, the most frequent
-- known gender, when and where the person was reached (first / last activity date, platforms,
-- bureaux). Pseudonymous: no names, e-mails or record keys.
with

crosswalk as (

    select * from {{ ref('participant_crosswalk') }}

),

records as (

    select * from {{ ref('participant_records') }}

),

participations as (

    select * from {{ ref('participations') }}

),

activities as (

    select * from {{ ref('activities') }}

),

countries as (

    select * from {{ ref('countries') }}

),

person_records as (

    select
        crosswalk.participant_key,
        crosswalk.participant_record_key,
        crosswalk.platform,
        records.country,
        records.gender
    from crosswalk
    inner join records
        on crosswalk.participant_record_key = records.participant_record_key

),

-- the country most of the person's records give (ties: alphabetical)
person_country as (

    select
        participant_key,
        country
    from person_records
    where country is not null
    group by participant_key, country
    qualify row_number() over (partition by participant_key order by count(*) desc, country asc) = 1

),

-- the known gender most of the person's records give (ties: alphabetical)
person_gender as (

    select
        participant_key,
        gender
    from person_records
    where gender is not null and gender != 'unknown'
    group by participant_key, gender
    qualify row_number() over (partition by participant_key order by count(*) desc, gender asc) = 1

),

reached as (

    select
        person_records.participant_key,
        min(activities.start_date) as first_seen,
        max(coalesce(activities.end_date, activities.start_date)) as last_seen,
        count(distinct participations.activity_key) as n_activities,
        list_sort(list(distinct activities.bureau) filter (where activities.bureau is not null))
            as bureaux
    from person_records
    inner join participations
        on person_records.participant_record_key = participations.participant_record_key
    inner join activities
        on participations.activity_key = activities.activity_key
    group by person_records.participant_key

),

people as (

    select
        participant_key,
        count(*) as n_records,
        list_sort(list(distinct platform)) as platforms
    from person_records
    group by participant_key

)

select
    people.participant_key,
    person_country.country,
    {{ code_label('country', 'person_country.country') }} as country_label,
    countries.itu_region as region,
    {{ code_label('region', 'countries.itu_region') }} as region_label,
    countries.is_developing,
    countries.is_ldc,
    countries.is_lldc,
    countries.is_sids,
    coalesce(person_gender.gender, 'unknown') as gender,
    {{ code_label('gender', "coalesce(person_gender.gender, 'unknown')") }} as gender_label,
    reached.first_seen,
    reached.last_seen,
    people.n_records,
    coalesce(reached.n_activities, 0) as n_activities,
    people.platforms,
    {{ code_labels('platform', 'people.platforms') }} as platform_labels,
    len(people.platforms) as n_platforms,
    coalesce(reached.bureaux, []) as bureaux,
    {{ code_labels('bureau', 'coalesce(reached.bureaux, [])') }} as bureau_labels,
    len(coalesce(reached.bureaux, [])) as n_bureaux
from people
left join person_country
    on people.participant_key = person_country.participant_key
left join countries
    on person_country.country = countries.iso2
left join person_gender
    on people.participant_key = person_gender.participant_key
left join reached
    on people.participant_key = reached.participant_key
