"""Identity resolution: which participant records, across all platforms, are the same person.

* :mod:`.names` — name, e-mail and organisation normalisation (pure functions);
* :mod:`.features` — the linking shape: one row per record, every attribute optional;
* :mod:`.model` — blocking rules, deterministic rules and unsupervised training;
* :mod:`.comparisons` — the model's comparisons and Splink settings;
* :mod:`.clusters` — clustering with the country guard, the output table;
* :mod:`.pairs` — the pairs behind the clusters: rule, probability, comparison levels;
* :mod:`.decisions` — reviewed must-link / cannot-link decisions, applied after clustering;
* :mod:`.linking` — profiles linked by the model or the rules, behind the identity gate;
* :mod:`.runs` — what one run did (:class:`IdentityRun`) and the run log;
* :mod:`.resolve` — the entry points (:func:`resolve`, :func:`resolve_records`,
  :func:`resolve_explained`);
* :mod:`.participant_clusters` — :func:`resolve_participant_records`, which the dbt model
  int_participant_clusters calls, and the shape of its table.
"""

from ingestion.warehouse.identity.clusters import guarded_clusters, participant_key_for
from ingestion.warehouse.identity.comparisons import describe_model, model_settings
from ingestion.warehouse.identity.decisions import (
    CANNOT_LINK,
    MUST_LINK,
    Decision,
    DecisionOutcome,
    apply_decisions,
)
from ingestion.warehouse.identity.features import InputColumns, build_features
from ingestion.warehouse.identity.model import ModelOptions
from ingestion.warehouse.identity.names import (
    name_features,
    name_tokens,
    normalize_email,
    normalize_organization,
    organization_acronyms,
    skeleton,
)
from ingestion.warehouse.identity.participant_clusters import (
    LINKING_COLUMNS,
    resolve_participant_records,
)
from ingestion.warehouse.identity.resolve import (
    DEFAULT_THRESHOLD,
    Resolution,
    resolve,
    resolve_explained,
    resolve_records,
)
from ingestion.warehouse.identity.runs import IdentityRun

__all__ = [
    "CANNOT_LINK",
    "DEFAULT_THRESHOLD",
    "LINKING_COLUMNS",
    "MUST_LINK",
    "Decision",
    "DecisionOutcome",
    "IdentityRun",
    "Resolution",
    "apply_decisions",
    "InputColumns",
    "ModelOptions",
    "build_features",
    "describe_model",
    "guarded_clusters",
    "model_settings",
    "name_features",
    "name_tokens",
    "normalize_email",
    "normalize_organization",
    "organization_acronyms",
    "participant_key_for",
    "resolve",
    "resolve_explained",
    "resolve_participant_records",
    "resolve_records",
    "skeleton",
]
