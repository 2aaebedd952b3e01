-- One row per participant record (platform + the platform's own record key) that takes part
-- in at least one participation, with the attributes identity resolution compares: the
-- int_<platform>__participant_records models of var platforms, which share one column contract
-- (_participants__models.yml). Personal data: intermediate only, never published.
{{ union_platforms('participant_records') }}
