{#
    What each platform records and how completely: one row per platform, entity and field.
    recorded_by_platform and convention come from the platform_fields seed (what the platform
    can record and in which convention); the counts are measured on the data: records,
    filled (a value is present), harmonized (it maps onto the warehouse vocabulary), the
    percentages, and the most frequent raw values (only for fields that are not personal).
#}
{%- set checks = [
    {'entity': 'participant_records', 'model': 'int_participant_records_unioned', 'field': 'name',
     'filled': 'full_name is not null', 'harmonized': 'name_normalized is not null', 'observed': none},
    {'entity': 'participant_records', 'model': 'int_participant_records_unioned', 'field': 'email',
     'filled': 'email is not null', 'harmonized': "email like '%_@_%'", 'observed': none},
    {'entity': 'participant_records', 'model': 'int_participant_records_unioned', 'field': 'country',
     'filled': 'country_raw is not null', 'harmonized': 'country is not null',
     'observed': "case when regexp_full_match(country_raw, '[A-Z]{2}') then 'ISO alpha-2' when regexp_full_match(country_raw, '[A-Z]{3}') then 'ISO alpha-3' else 'name' end"},
    {'entity': 'participant_records', 'model': 'int_participant_records_unioned', 'field': 'gender',
     'filled': 'gender_raw is not null', 'harmonized': "gender != 'unknown'", 'observed': 'gender_raw'},
    {'entity': 'participant_records', 'model': 'int_participant_records_unioned', 'field': 'organization',
     'filled': 'organization is not null', 'harmonized': 'organization_normalized is not null', 'observed': none},
    {'entity': 'participations', 'model': 'int_participations_unioned', 'field': 'registered',
     'filled': 'registered is not null', 'harmonized': 'registered is not null', 'observed': 'registered'},
    {'entity': 'participations', 'model': 'int_participations_unioned', 'field': 'attended',
     'filled': 'attended is not null', 'harmonized': 'attended is not null', 'observed': 'attended'},
    {'entity': 'participations', 'model': 'int_participations_unioned', 'field': 'completed',
     'filled': 'completed is not null', 'harmonized': 'completed is not null', 'observed': 'completed'},
    {'entity': 'participations', 'model': 'int_participations_unioned', 'field': 'passed',
     'filled': 'passed is not null', 'harmonized': 'passed is not null', 'observed': 'passed'},
    {'entity': 'participations', 'model': 'int_participations_unioned', 'field': 'certified',
     'filled': 'certified is not null', 'harmonized': 'certified is not null', 'observed': 'certified'},
    {'entity': 'participations', 'model': 'int_participations_unioned', 'field': 'score_0_100',
     'filled': 'score_0_100 is not null', 'harmonized': 'score_0_100 is not null', 'observed': none},
    {'entity': 'participations', 'model': 'int_participations_unioned', 'field': 'satisfaction_1_5',
     'filled': 'satisfaction_1_5 is not null', 'harmonized': 'satisfaction_1_5 is not null', 'observed': none},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'title_en',
     'filled': 'title_en is not null', 'harmonized': 'title_en is not null', 'observed': none},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'activity_type',
     'filled': 'activity_type_term is not null', 'harmonized': 'activity_type is not null', 'observed': 'activity_type_term'},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'topic',
     'filled': 'topic_term is not null', 'harmonized': 'topic is not null', 'observed': 'topic_term'},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'region',
     'filled': 'coalesce(region_raw, office, venue_country_raw) is not null', 'harmonized': 'region is not null', 'observed': 'region_raw'},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'country',
     'filled': 'venue_country_raw is not null', 'harmonized': 'country is not null', 'observed': 'venue_country_raw'},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'start_date',
     'filled': 'start_date is not null', 'harmonized': 'start_date is not null', 'observed': none},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'delivery_mode',
     'filled': 'delivery_mode_term is not null', 'harmonized': 'delivery_mode is not null', 'observed': 'delivery_mode_term'},
    {'entity': 'activities', 'model': 'int_activities_classified', 'field': 'languages',
     'filled': 'languages is not null', 'harmonized': 'languages is not null', 'observed': "array_to_string(languages, ',')"},
] -%}

with

fields as (

    select * from {{ ref('platform_fields') }}

),

{% for check in checks %}
measured_{{ loop.index }} as (

    select
        platform,
        '{{ check.entity }}' as entity,
        '{{ check.field }}' as field,
        count(*) as records,
        count(*) filter (where {{ check.filled }}) as filled,
        count(*) filter (where {{ check.harmonized }}) as harmonized
    from {{ ref(check.model) }}
    group by platform

),

observed_{{ loop.index }} as (

    {%- if check.observed %}
    select
        platform,
        string_agg(observed_value || ' (' || occurrences || ')', ', ' order by occurrences desc, observed_value asc)
            as observed_values
    from (
        select
            platform,
            cast({{ check.observed }} as varchar) as observed_value,
            count(*) as occurrences
        from {{ ref(check.model) }}
        where {{ check.observed }} is not null
        group by platform, observed_value
        qualify row_number() over (partition by platform order by count(*) desc, observed_value asc) <= 8
    )
    group by platform
    {%- else %}
    select
        cast(null as varchar) as platform,
        cast(null as varchar) as observed_values
    where false
    {%- endif %}

),

profiled_{{ loop.index }} as (

    select
        measured.*,
        observed.observed_values
    from measured_{{ loop.index }} as measured
    left join observed_{{ loop.index }} as observed
        on measured.platform = observed.platform

),

{% endfor %}
measured as (

    {%- for check in checks %}
    select * from profiled_{{ loop.index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select
    fields.platform,
    {{ code_label('platform', 'fields.platform') }} as platform_label,
    fields.entity,
    fields.field,
    fields.recorded_by_platform as is_recorded,
    coalesce(measured.records, 0) as records,
    coalesce(measured.filled, 0) as filled,
    coalesce(measured.harmonized, 0) as harmonized,
    round(100.0 * measured.filled / nullif(measured.records, 0), 1) as completeness_pct,
    round(100.0 * measured.harmonized / nullif(measured.records, 0), 1) as harmonized_pct,
    fields.convention,
    measured.observed_values
from fields
left join measured
    on
        fields.platform = measured.platform
        and fields.entity = measured.entity
        and fields.field = measured.field
