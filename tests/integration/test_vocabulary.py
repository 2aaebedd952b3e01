"""One vocabulary over the whole published warehouse, and the data dictionary that describes it.

A small sandbox goes through the real pipeline (ingest, the whole ``dbt build`` with identity
resolution, overlap and Council marts, publish, dbt docs), then:

* every published column named after a code list (core, overlap, ops, reference, council)
  holds codes of that list, and every code column of core, overlap and council has its label
  column, with the label of ``reference.code_labels`` (``ingestion/publish/vocabulary.py``);
  so does every category of a breakdown table (``council.period_figures``);
* the data dictionary generated after the publish describes the label columns.

``tests/integration/test_dbt_build.py`` checks the same on the hand-made fixture (core, ops,
reference only) and that the check reports what it looks for.
"""

from __future__ import annotations

import re

import duckdb
import pytest

from ingestion import config

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(published_sandbox):
    """The test sandbox built and published once for the run (tests/conftest.py), with its docs."""
    from ingestion.publish.docs import docs_dir

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPDEV_DATA_DIR", str(published_sandbox))
        yield {"warehouse": config.published_warehouse(), "docs": docs_dir() / "index.html"}


def test_core_overlap_ops_and_reference_speak_one_vocabulary(published):
    from ingestion.publish.vocabulary import code_columns, vocabulary_problems

    with duckdb.connect(str(published["warehouse"]), read_only=True) as con:
        checked = {c.where for c in code_columns(con, ("core", "overlap"))}
        problems = vocabulary_problems(con)
        labelled = con.execute(
            "select count(*) from overlap.activity_overlaps where topic_label is not null"
        ).fetchone()[0]
    assert {
        "overlap.activity_overlaps.bureau_a",
        "overlap.activity_overlaps.region",
        "overlap.bureau_topic_matrix.unit_a",
        "overlap.shared_participants.bureaux",
        "core.participants.gender",
    } <= checked
    assert labelled > 0  # the sandbox has duplicated activities: the labels were checked on rows
    assert problems == []


def test_council_speaks_the_same_vocabulary(published):
    """The Council marts: codes of their lists (core's codes, ALL for a total row, unknown for
    nothing recorded) with their labels beside them, the categories of period_figures too."""
    from ingestion.publish.vocabulary import code_columns, vocabulary_problems

    with duckdb.connect(str(published["warehouse"]), read_only=True) as con:
        checked = {c.where for c in code_columns(con, ("council",))}
        problems = vocabulary_problems(con, ("council",))
        categories = dict(
            con.execute(
                "select dimension, count(distinct category) from council.period_figures "
                "group by all"
            ).fetchall()
        )
    assert {
        "council.people_by_group.gender",
        "council.people_by_group.participant_region",
        "council.people_by_group.country_group",
        "council.activity_figures.topic",
        "council.period_figures.dimension",
        "council.duplication_by_period.bureau_b",
        "council.academy_candidates.delivery_mode",
    } <= checked
    assert categories["gender"] > 1 and categories["topic"] > 1  # checked on real rows
    assert problems == []


def test_the_check_reads_the_categories_of_a_breakdown(published, tmp_path):
    """A category that is a label, and a wrong category label, are reported (the category
    check is not blind to what it looks for)."""
    import shutil

    from ingestion.publish.vocabulary import vocabulary_problems

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(published["warehouse"], copy)
    with duckdb.connect(str(copy)) as con:
        # a topic spelled by its label, as the marts did before
        con.execute(
            "update council.period_figures set category = category_label "
            "where dimension = 'topic' and category <> 'unknown'"
        )
        con.execute(
            "update council.period_figures set category_label = 'Women' "
            "where dimension = 'gender' and category = 'F'"
        )
        problems = vocabulary_problems(con, ("council",))
    assert any(
        p.startswith("council.period_figures.category (topic):") and "not in the topic list" in p
        for p in problems
    ), problems
    assert any(p.startswith("council.period_figures.category_label (gender):") for p in problems), (
        problems
    )


def test_the_data_dictionary_describes_the_label_columns(published):
    """The page generated after the publish carries the label columns and their descriptions
    (dbt inlines its manifest and catalog in the one static page)."""
    html = published["docs"].read_text(encoding="utf-8")
    for text in (
        "English label of the topic (taxonomy_topics, through reference.code_labels).",
        "English name of bureau_a (reference.code_labels).",
        "Every code list of the warehouse in one table",
        '"language_labels"',
        '"unit_a_label"',
    ):
        assert text in html, text


def test_every_query_of_the_managers_guide_runs(published):
    """docs/manager-queries.md stays true to the tables: each of its SQL examples runs on the
    published warehouse (with the label columns it shows)."""
    guide = (config.PROJECT_ROOT / "docs" / "manager-queries.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", guide, re.S)
    assert len(queries) > 15
    with duckdb.connect(str(published["warehouse"]), read_only=True) as con:
        for sql in queries:
            columns = [d[0] for d in con.execute(sql).description]
            assert columns, sql
