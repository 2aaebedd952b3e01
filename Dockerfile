# syntax=docker/dockerfile:1
#
# The image of every service in docker-compose.yml: the official Airflow image plus the project's
# locked dependencies and code.
#
# The base tag pins the Airflow version of uv.lock and the project's Python (3.11);
# tests/unit/test_compose_file.py fails when the tag and the lock disagree, so upgrading Airflow
# means changing both together.
#
# Never built on the development machines (they have no Docker engine): the compose file and
# this Dockerfile are checked by tests/unit/test_compose_file.py, not by a build.

# --- 1. the lock as a requirements file ---------------------------------------------------------
# uv.lock is the single source of versions. `uv export --frozen` turns it into pinned
# requirements (every transitive package at its locked version) and fails if uv.lock is out of
# date with pyproject.toml. --no-dev leaves out the dev group (pytest, ruff, sqlfluff);
# --no-emit-project leaves out the project itself (its code is copied below, not installed).
FROM apache/airflow:3.3.2-python3.11 AS requirements
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock /tmp/capdev/
RUN python -m uv export --project /tmp/capdev --frozen --no-dev --no-emit-project --no-hashes \
        --no-header -o /tmp/requirements.txt

# --- 2. the runtime image ------------------------------------------------------------------------
FROM apache/airflow:3.3.2-python3.11

# The Council report's PDF is rendered by WeasyPrint (a locked Python dependency), which needs
# Pango from the system, and fonts installed locally: the render never fetches one.
USER root
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*
USER airflow

# Install the locked versions, not Airflow's constraints file: the lock already pins everything
# the project needs, Airflow included. Naming "apache-airflow==${AIRFLOW_VERSION}" (the base
# image's version) as well makes pip refuse to replace the image's Airflow: if uv.lock ever pins
# another version, the build fails here instead of shipping a mismatched Airflow. The Celery,
# Postgres, Redis and FAB providers the compose file relies on are in the lock too, so they are
# installed at the versions `make stack` runs on a development machine
# (tests/unit/test_stack_providers.py imports each in the locked environment).
COPY --from=requirements /tmp/requirements.txt /opt/capdev/requirements.txt
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" \
        -r /opt/capdev/requirements.txt

# The project: DAGs, the pipeline package, dbt and Great Expectations projects, the sandbox.
# docker-compose.yml bind-mounts the same folders over these copies, so code edits apply
# without a rebuild; the copies make the image usable on its own.
COPY --chown=airflow:0 pyproject.toml uv.lock /opt/capdev/
COPY --chown=airflow:0 ingestion /opt/capdev/ingestion
COPY --chown=airflow:0 dbt_project /opt/capdev/dbt_project
COPY --chown=airflow:0 expectations /opt/capdev/expectations
COPY --chown=airflow:0 sandbox /opt/capdev/sandbox
COPY --chown=airflow:0 dags /opt/capdev/dags

# `capdev` as on a development machine (the project's console script, ingestion.cli:main). The
# project is not pip-installed: ingestion.config finds dbt_project/ and the data folder next to
# the package, so the package must run from /opt/capdev, which PYTHONPATH puts first.
USER root
RUN printf '#!/bin/sh\nexec python -m ingestion.cli "$@"\n' > /usr/local/bin/capdev \
    && printf '#!/bin/sh\nexec python -m sandbox "$@"\n' > /usr/local/bin/capdev-sandbox \
    && chmod 0755 /usr/local/bin/capdev /usr/local/bin/capdev-sandbox \
    && mkdir -p /opt/capdev/data \
    && chown airflow:0 /opt/capdev/data \
    && chmod 0775 /opt/capdev/data
USER airflow

ENV PYTHONPATH=/opt/capdev \
    CAPDEV_DATA_DIR=/opt/capdev/data \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/capdev/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=false \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    GX_ANALYTICS_ENABLED=false
