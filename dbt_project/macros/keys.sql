{#
    participant_record_key(platform, source_record_key): the pseudonymous key of one
    participant record in the published marts: sha256 of a secret (var pseudonym_key, from
    the CAPDEV_PSEUDONYM_KEY environment variable), the platform and the platform's own record
    key. Without the secret the key cannot be linked back to the platform record.
    Only use it in table models: a view would store the secret in its definition.
#}
{% macro participant_record_key(platform, source_record_key) -%}
    sha256('{{ var("pseudonym_key") | replace("'", "''") }}' || '|' || {{ platform }} || '|' || {{ source_record_key }})
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

{#- The platform's record key as published in core: a key that is an e-mail address (an xAPI
    mbox, or an account named by its e-mail) is replaced by its SHA-1, in the xAPI
    mbox_sha1sum form for mailto IRIs. Keep ingestion/evaluate.py's copy of this rule in step. -#}
{% macro published_record_key(source_record_key) -%}
    case
        when {{ source_record_key }} like 'mailto:%'
            then 'mbox_sha1sum:' || sha1({{ source_record_key }})
        when {{ source_record_key }} like '%@%'
            then 'sha1:' || sha1({{ source_record_key }})
        else {{ source_record_key }}
    end
{%- endmacro %}


{#
    require_pseudonym_key(): the project's on-run-start check. A dbt run by hand without
    CAPDEV_PSEUDONYM_KEY would hash people with the public development default of var
    pseudonym_key; that, or a placeholder of .env.example, stops the run unless demo/test mode
    (CAPDEV_ALLOW_DEV_KEY=1) is on. The pipeline checks the key fully before dbt starts
    (ingestion/secrets.py) and passes it explicitly; this catches the runs that bypass it.
#}
{% macro require_pseudonym_key() -%}
    {%- if execute -%}
        {%- set key = var("pseudonym_key") -%}
        {%- set allowed = env_var("CAPDEV_ALLOW_DEV_KEY", "") | trim | lower in ["1", "true", "yes"] -%}
        {%- if not allowed and (key == "capdev-dev-only-pseudonym-key" or "change-me" in key | lower) -%}
            {{ exceptions.raise_compiler_error(
                "CAPDEV_PSEUDONYM_KEY is not set, or is the development key or a placeholder. "
                ~ "Generate one with: python3 -c \"import secrets; print(secrets.token_hex(32))\" "
                ~ "and set CAPDEV_PSEUDONYM_KEY to it, or set CAPDEV_ALLOW_DEV_KEY=1 for a demo "
                ~ "or test with the development key."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
