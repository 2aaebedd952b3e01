{#
    participant_record_key(platform, source_record_key): the pseudonymous key of one
    participant record in the published marts. participant_key(record_key): the pseudonymous
    key of a person, from the smallest participant_record_key of their records.

    Both are defined once, in ingestion/pseudonym.py (HMAC-SHA256 under the secret
    CAPDEV_PSEUDONYM_KEY), and reach SQL as the DuckDB functions that
    ingestion/warehouse/duckdb_plugin.py registers: identity resolution (Python) and the marts
    (SQL) compute the same key by calling the same code. Without the secret the key cannot be
    linked back to the platform record; the crosswalk to platform ids lives only in the private
    tier.
#}
{% macro participant_record_key(platform, source_record_key) -%}
    capdev_participant_record_key(cast({{ platform }} as varchar), cast({{ source_record_key }} as varchar))
{%- endmacro %}


{% macro participant_key(record_key) -%}
    capdev_participant_key({{ record_key }})
{%- endmacro %}


{# file_stem(expr): 'inbox/africa/Atelier 5G.csv' -> 'Atelier 5G' (directory and extension dropped). #}
{% macro file_stem(expr) -%}
    regexp_replace(regexp_replace({{ expr }}, '^.*[/\\]', ''), '\.[^.]*$', '')
{%- endmacro %}


{#
    moodle_customfield(json_expr, shortname): value of one Moodle custom field from the
    customfields JSON array [{shortname, value, valueraw, ...}]: the display value (the label
    of a select field), else the raw value; HTML stripped; '' -> NULL.
#}
{% macro moodle_customfield(json_expr, shortname) -%}
    {%- set fields = "list_filter(from_json(" ~ json_expr ~ ", '[{\"shortname\": \"VARCHAR\", \"value\": \"VARCHAR\", \"valueraw\": \"VARCHAR\"}]'), lambda f: lower(f.shortname) = '" ~ shortname ~ "')[1]" -%}
    {{ strip_html("coalesce(nullif(trim(" ~ fields ~ ".value), ''), nullif(trim(" ~ fields ~ ".valueraw), ''))") }}
{%- endmacro %}

