"""Disclosure control of the published Council file (docs/council.md).

- :mod:`.layout`: the Council file as the auditor reads it (tables, keys, codes, stated rules);
- :mod:`.system`: published values, unknowns and the linear relations between them, and the
  interval propagation that narrows the unknowns;
- :mod:`.build` writes down every relation the file states, by table family: :mod:`.figures`
  (period, headline and activity figures), :mod:`.crossed` (``people_by_group``) and
  :mod:`.duplication`;
- :mod:`.audit`: can a suppressed cell be recomputed? (``capdev council audit``);
- :mod:`.suppress`: secondary suppression (:func:`~.suppress.protect`): the shares hidden with
  their cells (:mod:`.shares`), then the complementary search (:mod:`.search`, which picks its
  complements with :mod:`.complements`).
"""
