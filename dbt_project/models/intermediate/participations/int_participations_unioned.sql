-- One row per participation (participant record x activity) across platforms: the
-- int_<platform>__participations models of var platforms, which share one column contract
-- (_participations__models.yml).
{{ union_platforms('participations') }}
