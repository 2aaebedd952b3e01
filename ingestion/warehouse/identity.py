"""Identity resolution: which participant records, across all platforms, are the same person.

A probabilistic record-linkage model (Fellegi-Sunter, with Splink 5 on DuckDB) compares pairs of
participant records that share a blocking key, scores each pair with a match probability, and
clusters pairs above a threshold into persons. Parameters are estimated without labels: ``u``
(how often a comparison level occurs among non-matching pairs) by seeded random sampling, ``m``
(how often among matching pairs) by expectation maximisation over two blocking passes (exact
e-mail, then same name skeleton), the prior from the pairs that deterministic rules find.

Records identical on every compared attribute are first collapsed into one *profile*: the same
person's repeated records would otherwise inflate their name's term frequency (making a frequent
participant's name look common) and fill its blocks.

Candidate pairs come from blocking keys whose blocks stay small: login, exact e-mail, a
distinctive e-mail local part, any two name tokens' skeletons, typo-tolerant token prefixes /
suffixes within a country. A key shared by more than ``max_block_size`` profiles is qualified
by country or dropped, so the number of pairs grows linearly with the records.

Only generic, principled features are used, none tied to one platform:

* names are transliterated to Latin (``anyascii``: Cyrillic, Arabic, Greek, CJK), lower-cased,
  stripped of accents, punctuation, honorifics and initials, and compared as *sorted tokens*
  (so "Ivanov Sergei" = "Sergei Ivanov");
* a Soundex-like *consonant skeleton* of each token (vowels and doubled letters dropped, a few
  transliteration equivalences folded: x=ks, ph=f, w=v, q=k, the h of kh/sh/th/dh/gh/zh/ch
  dropped) makes Mohammed / Mohamed / Muhammad / محمد and Sergey / Sergei / Сергей agree;
  short tokens and tokens with fewer than three consonants keep their vowels (Son ≠ Shin,
  Keita ≠ Kouyaté), and only tokens of five letters or more may differ by a typo;
* e-mail addresses are compared whole (case-insensitive), by local part (work vs personal
  address of the same person) and by domain (term-frequency adjusted: a shared ``gmail.com``
  says little, a shared small-organisation domain more);
* a login on a named site ("<host>|<login>": a Moodle username, an xAPI actor account);
* country (ISO alpha-2, normalised upstream) and organisation (exact, same acronym — "ART" =
  "Agence de Régulation des Télécommunications (ART)" — or Jaro-Winkler).

**Identity gate.** Organisation, country and e-mail domain are shared by colleagues: a link
needs corresponding names (exact, same skeleton, a typo, or one name within the other) or a
shared personal identifier (e-mail address, login), whatever the other evidence says.

**Country guard.** Two records with two different known countries are never put in one person
unless their e-mail addresses match exactly. It is enforced twice: edges between such records
are dropped before clustering, and a cluster that still spans two countries through a chain of
records (FR — no country — DE) is re-clustered greedily, strongest edges first, refusing any
merge that would join two countries without an exact e-mail edge.

Output: one row per input record with ``cluster_id`` (the smallest record key of its person,
so it is stable across rebuilds as long as that record exists) and ``participant_key``, the
HMAC of the cluster id under ``CAPDEV_PSEUDONYM_KEY`` (:mod:`ingestion.pseudonym`,
the rule the dbt macro ``participant_key`` applies too). Runs are deterministic: sampling is
hash-based and seeded, and clustering ties break on keys.

Splink runs on a private in-memory DuckDB connection (memory-capped, spilling to a temporary
folder), so none of its work tables land in the warehouse; only the result is handed back on
the caller's connection.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion.pseudonym import pseudonym_key, pseudonymize

log = logging.getLogger(__name__)

#: Pairs scored at or above this match probability are the same person. The model is a
#: calibrated posterior only as far as its comparisons are independent, and they are not (a
#: colleague shares organisation, domain and country at once), so the threshold sits well above
#: 0.5 to keep false merges rare: a false merge fuses two people's histories (undercounting
#: people trained, inventing "shared participants"), a missed link only splits one. On the
#: sandbox at scale 1 (84k records) 0.9 gives pairwise precision 0.999 / recall 0.997; 0.5 gains
#: almost no recall for some precision, 0.99 loses 1.3 points of recall.
DEFAULT_THRESHOLD = 0.9


#: The table :func:`resolve_in_warehouse` writes (in schema intermediate): the dbt model's name.
CLUSTERS_TABLE = "int_participant_clusters"

OUTPUT_SCHEMA = pa.schema(
    [
        ("participant_record_key", pa.string()),
        ("cluster_id", pa.string()),
        ("participant_key", pa.string()),
        ("cluster_size", pa.int64()),
        ("resolution", pa.string()),
    ]
)


@dataclass(frozen=True)
class InputColumns:
    """Column names of the records table; absent optional columns are treated as null.

    The name compared is the first present of: ``latin_name`` (a transliteration the platform
    gives, e.g. the Latin column of a Cyrillic export), ``full_name``, ``first_name`` +
    ``last_name``.
    """

    record_key: str = "participant_record_key"
    latin_name: str = "name_latin"
    full_name: str = "full_name"
    first_name: str = "first_name"
    last_name: str = "last_name"
    email: str = "email"
    country: str = "country_iso2"
    organization: str = "organization"
    #: A login on a named system ("<site host>|<login>", lower case), e.g. a Moodle username or
    #: an xAPI actor account {homePage, name}: the same login on the same site is one person.
    account: str = "account_key"

    def all(self) -> tuple[str, ...]:
        return (
            self.record_key,
            self.latin_name,
            self.full_name,
            self.first_name,
            self.last_name,
            self.email,
            self.country,
            self.organization,
            self.account,
        )


@dataclass(frozen=True)
class ModelOptions:
    """Training knobs; the defaults fit two cores and up to about a million records."""

    #: Random pairs sampled to estimate u (fixed seed for reproducible parameters).
    u_max_pairs: float = 3e6
    seed: int = 42
    #: Assumed recall of the deterministic rules used to estimate the prior match rate.
    deterministic_recall: float = 0.7
    #: A local part shared by more records than this is generic (info@, contact@): not a key.
    max_local_part_frequency: int = 50
    #: Largest block a name key may form (larger: qualified by country, else dropped). Pairs
    #: are at most records x keys x this: 100 let the scored pairs grow 87-fold from scale 1 to
    #: scale 10 (common names fill their blocks); 30 keeps it near-linear and found the same
    #: links at scale 1 (17,741) and 0.4% fewer at scale 10.
    max_block_size: int = 30
    #: Upper bound on DuckDB threads of the private Splink connection.
    threads: int = 2
    #: Memory the private Splink connection may use before spilling to a temporary folder.
    memory_limit: str = "3GB"


# ---------------------------------------------------------------------------------------------
# Feature engineering (pure functions, unit-tested)
# ---------------------------------------------------------------------------------------------

# Honorifics in the languages the platforms use; they are not part of a person's name.
_HONORIFIC_WORDS = (
    "mr mrs ms miss mx dr prof professor eng engr ing sir dame mme mlle madame monsieur "
    "sr sra srta senor senora dott dra hon he"
)
_HONORIFICS = frozenset(_HONORIFIC_WORDS.split())
_VOWELS = frozenset("aeiouy")
_NON_ALPHA = re.compile(r"[^a-z]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MULTI = re.compile(r"(.)\1+")
_DIGRAPH_H = re.compile(r"(?<=[kstdgzc])h")
#: Tokens this short keep their vowels in the skeleton and never match through a typo.
SHORT_TOKEN = 4


def _is_latin(ch: str) -> bool:
    return ord(ch) < 0x0250  # Basic Latin … Latin Extended-B


@lru_cache(maxsize=200_000)
def _transliterate_token(token: str) -> str:
    from anyascii import anyascii

    if all(_is_latin(ch) for ch in token):
        # Latin script: drop accents only (é → e, ß → ss, ø → o via anyascii).
        return anyascii(unicodedata.normalize("NFC", token))
    # Other scripts: transliterate; anyascii glues CJK syllables as "WangWei" → split them.
    return _CAMEL.sub(" ", anyascii(token))


@lru_cache(maxsize=500_000)
def name_tokens(name: str | None) -> tuple[str, ...]:
    """Normalised name tokens in their original order (transliterated, lower-case, a-z only).

    Honorifics are dropped; single letters (initials) are dropped when two or more longer
    tokens remain.
    """
    if not name:
        return ()
    pieces = [_transliterate_token(part) for part in name.split()]
    text = _NON_ALPHA.sub(" ", " ".join(pieces).lower())
    tokens = [t for t in text.split() if t not in _HONORIFICS]
    long_tokens = [t for t in tokens if len(t) > 1]
    if len(long_tokens) >= 2:
        tokens = long_tokens
    return tuple(tokens)


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """A Soundex-like consonant skeleton of one normalised token.

    Folds the usual transliteration variants: mohammed/mohamed/muhammad → ``mhmd``,
    sergey/sergei → ``srg``, aleksandr/alexander → ``lksndr``, shcherbakov/scherbakov → ``scrbkv``.
    A short token (four letters or fewer once folded), or one with fewer than three consonants,
    keeps its vowels, since without them too many different names collide (son/shin/sun,
    reem/ramy, keita/kouyate): ``ramy``/``rami`` → ``rami``.
    """
    t = token.replace("x", "ks").replace("ph", "f").replace("w", "v").replace("q", "k")
    t = t.replace("ck", "k")
    # The h of a transliteration digraph (kh, sh, th, dh, gh, zh, ch) only marks a sound.
    t = _DIGRAPH_H.sub("", t)
    with_vowels = _MULTI.sub(r"\1", t.replace("y", "i")) or token[:1]
    if len(t) <= SHORT_TOKEN:
        return with_vowels
    # a leading y is a consonant (youssef / yusuf → ysf)
    consonants = t[0] + "".join(ch for ch in t[1:] if ch not in _VOWELS)
    if consonants[0] in "aeiou":
        consonants = consonants[1:]
    # too few consonants to tell names apart (keita / kouyate → kt): keep the vowels
    if len(consonants) < 3:
        return with_vowels
    return _MULTI.sub(r"\1", consonants)


_MAX_KEY_TOKENS = 5  # names with more tokens contribute pair keys from their first five


def _pair_keys(parts: list[str]) -> list[str]:
    """Every unordered pair of (sorted) token keys; a one-token name keys on itself."""
    parts = sorted(set(parts[:_MAX_KEY_TOKENS]))
    if len(parts) == 1:
        return parts
    return [f"{a} {b}" for i, a in enumerate(parts) for b in parts[i + 1 :]]


NAME_FEATURES = (
    "name_tokens",
    "name_token_skeletons",
    "name_sorted",
    "name_ordered",
    "name_skeleton",
    "name_skeleton_pairs",
    "name_prefix_pairs",
    "name_suffix_pairs",
)


@lru_cache(maxsize=500_000)
def name_features(name: str | None) -> dict[str, object]:
    """Every name-derived feature of one record (None when the name has no usable token).

    Cached per distinct name: the returned dict is shared, treat it as read-only.

    The ``*_pairs`` lists are blocking keys: two records share one when any two of their name
    tokens agree, so a dropped middle name or a swapped order still brings them together.
    """
    tokens = name_tokens(name)
    if not tokens:
        return dict.fromkeys(NAME_FEATURES)
    sorted_tokens = sorted(tokens)
    skeletons = [skeleton(t) for t in tokens]
    skeleton_key = " ".join(sorted(skeletons))
    # Too short a key ("l" for "Li") would block half the population together.
    skeleton_pairs = [k for k in _pair_keys(skeletons) if len(k.replace(" ", "")) >= 4]
    return {
        "name_tokens": sorted_tokens,
        "name_token_skeletons": [skeleton(t) for t in sorted_tokens],
        "name_sorted": " ".join(sorted_tokens),
        "name_ordered": " ".join(tokens),
        "name_skeleton": skeleton_key,
        "name_skeleton_pairs": skeleton_pairs or None,
        # First / last three letters of token pairs: keys that survive a typo elsewhere.
        "name_prefix_pairs": _pair_keys([t[:3] for t in tokens]),
        "name_suffix_pairs": _pair_keys([t[-3:] for t in tokens]),
    }


def normalize_email(email: str | None) -> tuple[str | None, str | None, str | None]:
    """(address, local part, domain), lower-cased; the local part loses a ``+tag`` and dots."""
    if not email:
        return None, None, None
    address = email.strip().lower()
    if address.startswith("mailto:"):
        address = address[len("mailto:") :]
    if address.count("@") != 1:
        return None, None, None
    local, domain = address.split("@")
    if not local or "." not in domain:
        return None, None, None
    local = local.split("+", 1)[0]
    local_key = re.sub(r"[^a-z0-9]", "", local)
    return address, (local_key or None), domain


@lru_cache(maxsize=200_000)
def normalize_organization(organization: str | None) -> str | None:
    if not organization:
        return None
    text = _NON_ALNUM.sub(" ", _transliterate_token(organization).lower()).strip()
    return " ".join(text.split()) or None


_ORG_STOPWORD_TEXT = (
    "of the and for in on at de des du la le les l d et y del da do dos das e fur und al el"
)
_ORG_STOPWORDS = frozenset(_ORG_STOPWORD_TEXT.split())
_PARENTHESES = re.compile(r"\(([^()]{2,12})\)")


@lru_cache(maxsize=200_000)
def organization_acronyms(organization: str | None) -> tuple[str, ...]:
    """Short forms an organisation goes by: an abbreviation it gives in parentheses, the
    initials of its significant words ("Agence de Régulation des Télécommunications" → "art"),
    or the name itself when it is one short word ("NCA")."""
    if not organization:
        return ()
    text = _transliterate_token(organization).lower()
    forms = {_NON_ALNUM.sub("", m) for m in _PARENTHESES.findall(text) if _NON_ALNUM.sub("", m)}
    words = _NON_ALNUM.sub(" ", _PARENTHESES.sub(" ", text)).split()
    significant = [w for w in words if w not in _ORG_STOPWORDS]
    if len(significant) >= 2:
        forms.add("".join(w[0] for w in significant))
    if len(words) == 1 and 2 <= len(words[0]) <= 8:
        forms.add(words[0])
    return tuple(sorted(forms))


def participant_key_for(cluster_id: str, key: bytes | None = None) -> str:
    """The person's key: the HMAC of ``participant|<cluster id>`` (the cluster id is the smallest
    participant_record_key), as ``core.participant_crosswalk`` computes it in SQL."""
    return pseudonymize(f"participant|{cluster_id}", key)


FEATURE_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
        ("name_token_skeletons", pa.list_(pa.string())),
        ("name_sorted", pa.string()),
        ("name_ordered", pa.string()),
        ("name_skeleton", pa.string()),
        ("name_skeleton_pairs", pa.list_(pa.string())),
        ("name_prefix_pairs", pa.list_(pa.string())),
        ("name_suffix_pairs", pa.list_(pa.string())),
        ("email", pa.string()),
        ("email_local", pa.string()),
        ("email_domain", pa.string()),
        ("country", pa.string()),
        ("organization", pa.string()),
        ("organization_acronyms", pa.list_(pa.string())),
        ("account", pa.string()),
    ]
)


def build_features(records: pa.Table, columns: InputColumns = InputColumns()) -> pa.Table:
    """The table Splink links: one row per record, keyed by ``unique_id``."""
    names = set(records.column_names)

    def col(name: str) -> list:
        return records.column(name).to_pylist() if name in names else [None] * records.num_rows

    latin, full = col(columns.latin_name), col(columns.full_name)
    first, last = col(columns.first_name), col(columns.last_name)
    emails, countries, orgs = col(columns.email), col(columns.country), col(columns.organization)
    accounts = col(columns.account)
    rows: dict[str, list] = {field.name: [] for field in FEATURE_SCHEMA}
    for i, key in enumerate(col(columns.record_key)):
        name = next((n for n in (latin[i], full[i]) if n and str(n).strip()), None)
        if name is None:
            name = " ".join(p for p in (first[i], last[i]) if p) or None
        address, local, domain = normalize_email(emails[i])
        values = {
            "unique_id": str(key),
            **name_features(name),
            "email": address,
            "email_local": local,
            "email_domain": domain,
            "country": (countries[i] or "").strip().upper() or None,
            "organization": normalize_organization(orgs[i]),
            "organization_acronyms": list(organization_acronyms(orgs[i])) or None,
            "account": (accounts[i] or "").strip().lower() or None,
        }
        for field, value in values.items():
            rows[field].append(value)
    return pa.table(rows, schema=FEATURE_SCHEMA)


# ---------------------------------------------------------------------------------------------
# The linkage model
# ---------------------------------------------------------------------------------------------

#: Blocking rules generating candidate pairs. Each is an equi-join on a key whose blocks stay
#: small as the data grows (pairs grow roughly linearly with records, not quadratically).
#: A list-valued key is exploded: records share a block when they share any element.
BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("account",),  # same login on the same site
    ("email",),  # same address (any case)
    ("email_local",),  # same distinctive local part: work vs personal address
    # two name tokens with the same consonant skeleton: order, accents, transliteration,
    # a dropped middle name
    ("name_skeleton_pairs",),
    # (the typo keys below carry the country in the key itself: see _features_sql)
    ("name_prefix_pairs",),  # typo late in a token, same country
    ("name_suffix_pairs",),  # typo early in a token, same country
)
_LIST_KEYS = frozenset({"name_skeleton_pairs", "name_prefix_pairs", "name_suffix_pairs"})


#: The attributes the model compares: records equal on all of them are one profile.
PROFILE_COLUMNS = ("name_sorted", "email", "country", "organization", "account")

#: List keys that are always qualified by the record's country (typo keys are too loose alone).
_COUNTRY_QUALIFIED_KEYS = ("name_prefix_pairs", "name_suffix_pairs")


def _features_sql(source: str, options: ModelOptions) -> str:
    """SQL creating the ``features`` table with blocking keys capped to bounded block sizes.

    A key shared by more than ``max_block_size`` records says little and would make the pair
    count grow quadratically: it is qualified by country when that makes it rare enough
    ("mhmd hmd" → "mhmd hmd|EG"), and dropped otherwise. The same holds for e-mail local parts
    (``info@``, ``admin@``), which are also dropped when shorter than four characters.
    """
    cap = options.max_block_size
    ctes = [
        f"""base as (
            select * replace (
                case when len(email_local) >= 4
                      and count(*) over (partition by email_local)
                          <= {options.max_local_part_frequency}
                     then email_local end as email_local)
            from {source})"""
    ]
    replaced = []
    for key in sorted(_LIST_KEYS):
        by_country = key in _COUNTRY_QUALIFIED_KEYS
        ctes.append(
            f"""{key}_exploded as (
                select unique_id, country, unnest({key}) as k from base)"""
        )
        ctes.append(
            f"""{key}_counted as (
                select unique_id, country, k,
                       count(*) over (partition by k) as n_k,
                       count(*) over (partition by k, country) as n_kc
                from {key}_exploded)"""
        )
        plain = "null" if by_country else f"case when n_k <= {cap} then k end"
        ctes.append(
            f"""{key}_capped as (
                select unique_id,
                       list(distinct coalesce({plain},
                            case when country is not null and n_kc <= {cap}
                                 then k || '|' || country end))
                         filter (where coalesce({plain},
                            case when country is not null and n_kc <= {cap}
                                 then k || '|' || country end) is not null) as {key}
                from {key}_counted group by unique_id)"""
        )
        replaced.append(key)
    joins = "\n".join(f"left join {k}_capped using (unique_id)" for k in replaced)
    replace = ", ".join(f"{k}_capped.{k} as {k}" for k in replaced)
    return (
        "create table features as\nwith "
        + ",\n".join(ctes)
        + f"\nselect base.* replace ({replace}) from base\n{joins}\norder by unique_id"
    )


def _blocking_rule(columns: tuple[str, ...]):
    from splink import block_on

    exploded = [c for c in columns if c in _LIST_KEYS]
    return block_on(*columns, arrays_to_explode=exploded or None)


# Two blocking passes for EM: each leaves out the comparison it blocks on and trains the rest.
EM_TRAINING_RULES: tuple[tuple[str, ...], ...] = (("email",), ("name_skeleton",))

DETERMINISTIC_RULES = (
    "l.account = r.account",
    "l.email = r.email",
    "l.name_sorted = r.name_sorted and l.country = r.country and l.organization = r.organization",
)


def _jw(column: str) -> str:
    return f"jaro_winkler_similarity({column}_l, {column}_r)"


#: gamma value of the name level "shorter name's tokens all in the longer" (levels count down
#: from exact = 5; see model_settings): the weakest name agreement that can link on its own.
NAME_LEVEL_SUBSET = 2

#: u probability of "same login on the same site" (two different people sharing one login).
ACCOUNT_SHARED_U = 1e-6

#: m probability of "two different known countries" (see the country comparison).
DIFFERENT_COUNTRY_M = 0.01

#: Two name tokens correspond when they share a consonant skeleton or differ by a typo.
TOKEN_JW = 0.9


_N_L, _N_R = "len(name_tokens_l)", "len(name_tokens_r)"
_SHARED_SKELETONS = "len(list_intersect(name_token_skeletons_l, name_token_skeletons_r))"
# Cheap preconditions that spare the token-by-token test on most pairs: all tokens but one
# already share a skeleton, so at most one token may correspond through a typo.
_SAME_LENGTH_GATE = f"{_N_L} = {_N_R} and {_SHARED_SKELETONS} >= {_N_L} - 1"
_SUBSET_GATE = (
    f"{_N_L} <> {_N_R} and least({_N_L}, {_N_R}) >= 2 "
    f"and {_SHARED_SKELETONS} >= least({_N_L}, {_N_R}) - 1"
)


def _tokens_covered(a: str, b: str) -> str:
    """SQL: every token of side ``a``'s name has a corresponding token in side ``b``'s: the
    same skeleton, or (both longer than SHORT_TOKEN letters) a typo apart (Jaro-Winkler)."""
    return (
        f"list_bool_and(list_transform(list_zip(name_tokens_{a}, name_token_skeletons_{a}), "
        f"lambda p: list_bool_or(list_transform(list_zip(name_tokens_{b}, "
        f"name_token_skeletons_{b}), lambda q: p[2] = q[2] "
        f"or (len(p[1]) > {SHORT_TOKEN} and len(q[1]) > {SHORT_TOKEN} "
        f"and jaro_winkler_similarity(p[1], q[1]) >= {TOKEN_JW})))))"
    )


def model_settings(prior: float = 1e-4):
    """The Splink settings: comparisons, blocking rules, output options.

    ``prior`` (the probability that two random records match) is only the starting value:
    training replaces it with an estimate from the deterministic rules.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    name_similarity = f"greatest({_jw('name_sorted')}, {_jw('name_ordered')})"
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="sorted-token name",
        comparison_levels=[
            cll.NullLevel("name_sorted"),
            cll.ExactMatchLevel("name_sorted", term_frequency_adjustments=True),
            cll.CustomLevel(
                "name_skeleton_l = name_skeleton_r", label_for_charts="same consonant skeleton"
            ),
            cll.CustomLevel(
                f"{_SAME_LENGTH_GATE} and {_tokens_covered('l', 'r')} "
                f"and {_tokens_covered('r', 'l')}",
                label_for_charts="every token corresponds (one typo)",
            ),
            cll.CustomLevel(
                f"{_SUBSET_GATE} and (case when {_N_L} < {_N_R} "
                f"then {_tokens_covered('l', 'r')} else {_tokens_covered('r', 'l')} end)",
                label_for_charts="shorter name's tokens all in the longer",
            ),
            cll.CustomLevel(f"{name_similarity} >= 0.88", label_for_charts="name JW >= 0.88"),
            cll.ElseLevel(),
        ],
    )
    email = cl.CustomComparison(
        output_column_name="email",
        comparison_description="e-mail address",
        comparison_levels=[
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email"),
            # A local part says more when few records share it (TF-adjusted): "jsmith" is
            # weak evidence, "ngozi.okonjo" strong.
            cll.ExactMatchLevel("email_local", term_frequency_adjustments=True),
            cll.ExactMatchLevel("email_domain", term_frequency_adjustments=True),
            cll.ElseLevel(),
        ],
    )
    country = cl.CustomComparison(
        output_column_name="country",
        comparison_description="country (ISO alpha-2)",
        comparison_levels=[
            cll.NullLevel("country"),
            cll.ExactMatchLevel("country"),
            # Fixed, not learnt: EM sees too few true pairs in two countries and would drive m
            # to ~0, vetoing even an identical e-mail. 1% of a person's record pairs disagree
            # on country (moves, nationality vs duty station, entry errors).
            cll.ElseLevel().configure(m_probability=DIFFERENT_COUNTRY_M, fix_m_probability=True),
        ],
    )
    account = cl.CustomComparison(
        output_column_name="account",
        comparison_description="login on a named site",
        comparison_levels=[
            cll.NullLevel("account"),
            # A login on one site belongs to one person: u fixed (random sampling would almost
            # never see two records share one, leaving it unestimated).
            cll.ExactMatchLevel("account").configure(
                u_probability=ACCOUNT_SHARED_U, fix_u_probability=True
            ),
            cll.ElseLevel().configure(u_probability=1 - ACCOUNT_SHARED_U, fix_u_probability=True),
        ],
    )
    organization = cl.CustomComparison(
        output_column_name="organization",
        comparison_description="organisation",
        comparison_levels=[
            cll.NullLevel("organization"),
            cll.ExactMatchLevel("organization"),
            cll.CustomLevel(
                "list_has_any(organization_acronyms_l, organization_acronyms_r)",
                label_for_charts="same acronym (ART = Agence de Régulation des Télécoms)",
            ),
            cll.CustomLevel(f"{_jw('organization')} >= 0.88", label_for_charts="org JW >= 0.88"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",  # one table of every platform's records: links across and within
        probability_two_random_records_match=prior,
        unique_id_column_name="unique_id",
        comparisons=[name, email, country, organization, account],
        blocking_rules_to_generate_predictions=[_blocking_rule(rule) for rule in BLOCKING_RULES],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
        em_convergence=0.001,
    )


def describe_model(linker) -> str:
    """The trained model as text: prior, then m, u and match weight of every comparison level."""
    settings = linker._settings_obj
    lines = [f"prior P(match) = {settings._probability_two_random_records_match:.3g}"]
    for comparison in settings.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            m, u = level.m_probability, level.u_probability
            weight = level._log2_bayes_factor if m is not None and u is not None else None
            lines.append(
                f"  {comparison.output_column_name:<13} {level.label_for_charts:<45} "
                f"m={m if m is None else format(m, '.4g')} u={u if u is None else format(u, '.4g')}"
                f" w={weight if weight is None else format(weight, '+.2f')}"
            )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Clustering with the country guard
# ---------------------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self, nodes: Iterable[str]):
        self.parent = {n: n for n in nodes}

    def find(self, node: str) -> str:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root


def guarded_clusters(
    countries: dict[str, str | None],
    edges: Iterable[tuple[str, str, float, bool]],
) -> dict[str, str]:
    """Cluster records greedily from the strongest edge down, never joining two countries.

    ``edges`` are ``(key_l, key_r, match_probability, email_exact)``. A merge that would bring a
    country into a cluster that has another one happens only over an exact e-mail edge (records
    without a country join freely). Returns record key → cluster id (the smallest record key of
    the cluster). Deterministic: edges are taken in order of probability, then keys.
    """
    uf = _UnionFind(countries)
    known = {n: ({c} if c else set()) for n, c in countries.items()}
    for key_l, key_r, _prob, email_exact in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        a, b = uf.find(key_l), uf.find(key_r)
        if a == b:
            continue
        # Without e-mail evidence a merge may not bring a new country to either side.
        if not (known[a] <= known[b] or known[b] <= known[a] or email_exact):
            continue
        merged = known[a] | known[b]
        root, child = (a, b) if a < b else (b, a)
        uf.parent[child] = root
        known[root] = merged
        known.pop(child, None)
    return {n: min_key for n, min_key in _min_key_per_root(uf, countries).items()}


def _min_key_per_root(uf: _UnionFind, nodes: Iterable[str]) -> dict[str, str]:
    roots = {n: uf.find(n) for n in nodes}
    smallest: dict[str, str] = {}
    for node, root in roots.items():
        if root not in smallest or node < smallest[root]:
            smallest[root] = node
    return {node: smallest[root] for node, root in roots.items()}


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def _estimate_prior(sdf, n: int, recall: float) -> float:
    """P(two random records match): pairs the deterministic rules find, over their recall.

    (Splink's ``estimate_probability_two_random_records_match``, made total: bounded to
    [1 / all pairs, 0.5] so tiny or match-free inputs still give a usable model.)
    """
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    counts = count_comparisons_from_blocking_rules(
        sdf,
        blocking_rules=list(DETERMINISTIC_RULES),
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    total = n * (n - 1) / 2
    found = counts[-1]["cumulative_comparison_count"] if counts else 0
    prior = min(0.5, max(1 / total, found / recall / total))
    log.info("identity: %d deterministic matches; prior P(match) = %.3g", found, prior)
    return prior


def _load_records(
    con: duckdb.DuckDBPyConnection,
    records: str | duckdb.DuckDBPyRelation,
    columns: InputColumns,
) -> pa.Table:
    """The columns resolution needs, as Arrow, from a table/view name or a relation."""
    relation = con.sql(f"select * from {records}") if isinstance(records, str) else records
    available = set(relation.columns)
    if columns.record_key not in available:
        raise ValueError(f"the participant records have no {columns.record_key!r} column")
    missing = {columns.email, columns.country} - available
    if missing:
        log.warning("identity: the records have no column(s) %s", sorted(missing))
    wanted = [c for c in columns.all() if c in available]
    table = relation.select(*wanted).arrow()
    return table.read_all() if isinstance(table, pa.RecordBatchReader) else table


def resolve_records(
    records: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    columns: InputColumns = InputColumns(),
    options: ModelOptions = ModelOptions(),
    key: bytes | None = None,
    diagnostics: dict | None = None,
) -> pa.Table:
    """Resolve an Arrow table of participant records into persons (see the module docstring).

    ``diagnostics``, when given, receives the trained model's description (``model``) and the
    scored links above the threshold (``edges``, an Arrow table) for inspection.
    """
    from splink import DuckDBAPI, Linker, block_on
    from splink.internals.exceptions import EMTrainingException

    started = time.monotonic()
    # sqlglot (Splink's SQL parser) warns about every 1-based list index in the comparisons.
    sqlglot_log = logging.getLogger("sqlglot")
    if sqlglot_log.level == logging.NOTSET:
        sqlglot_log.setLevel(logging.ERROR)
    features = build_features(records, columns)
    n = features.num_rows
    log.info("identity: %d participant records, features built in %.1fs", n, _since(started))
    if n < 2:  # nothing to link
        return _assemble({f"s:{k}": [k] for k in features.column("unique_id").to_pylist()}, key)

    spill = tempfile.mkdtemp(prefix="capdev-identity-")
    work = duckdb.connect(":memory:")
    try:
        work.execute(f"set threads = {max(1, min(options.threads, os.cpu_count() or 1))}")
        work.execute(f"set memory_limit = '{options.memory_limit}'")
        work.execute(f"set temp_directory = '{spill}'")
        work.execute("set preserve_insertion_order = false")
        work.register("features_in", features)
        # Records identical on every compared attribute form one profile: Splink links
        # profiles. The same person's repeated records then neither inflate the term
        # frequencies of their name nor fill its blocks.
        work.execute(
            f"""
            create table record_profiles as
            select unique_id, first_value(unique_id) over (
                partition by {", ".join(PROFILE_COLUMNS)} order by unique_id
            ) as profile_id
            from features_in
            """
        ).fetchall()
        work.execute(
            """
            create table profiles_in as
            select * from features_in
            where unique_id in (select profile_id from record_profiles)
            """
        ).fetchall()
        work.unregister("features_in")
        (n_profiles,) = work.sql("select count(*) from profiles_in").fetchall()[0]
        work.execute(_features_sql("profiles_in", options)).fetchall()
        log.info(
            "identity: %d distinct profiles; blocking keys capped at %d profiles per block",
            n_profiles,
            options.max_block_size,
        )

        db_api = DuckDBAPI(work)
        sdf = db_api.register("features")
        prior = _estimate_prior(sdf, max(n_profiles, 2), options.deterministic_recall)
        linker = Linker(sdf, model_settings(prior=prior), log_level=logging.WARNING)

        step = time.monotonic()
        linker.training.estimate_u_using_random_sampling(
            max_pairs=options.u_max_pairs, seed=options.seed
        )
        log.info("identity: prior and u estimated in %.1fs", _since(step))
        step = time.monotonic()
        for rule in EM_TRAINING_RULES:
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*rule), estimate_without_term_frequencies=True
                )
            except EMTrainingException as err:  # no pairs to learn from (tiny inputs)
                log.warning("identity: EM pass on %s skipped: %s", rule, str(err).split("\n")[0])
        log.info(
            "identity: m estimated by EM (%d passes) in %.1fs", len(EM_TRAINING_RULES), _since(step)
        )
        log.info("identity: model\n%s", describe_model(linker))

        step = time.monotonic()
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        # Country guard, first pass: no edge between two known, different countries unless the
        # e-mail addresses are identical.
        # Identity gate: organisation, country and e-mail domain are shared by colleagues; a
        # link needs corresponding names (same skeleton, typo, or one name within the other)
        # or a shared personal identifier (e-mail address, login).
        guarded = db_api.query_sql(
            f"""
            select * from {predictions.physical_name}
            where (country_l is null or country_r is null or country_l = country_r
                   or email_l = email_r)
              and (gamma_name >= {NAME_LEVEL_SUBSET}
                   or email_l = email_r or account_l = account_r)
            """
        )
        n_edges = work.sql(f"select count(*) from {guarded.physical_name}").fetchall()[0][0]
        if diagnostics is not None:
            diagnostics["model"] = describe_model(linker)
            diagnostics["edges"] = work.sql(f"select * from {guarded.physical_name}").arrow()
            diagnostics["edges"] = diagnostics["edges"].read_all()
        log.info(
            "identity: %d links at p >= %.2f scored in %.1fs", n_edges, threshold, _since(step)
        )

        step = time.monotonic()
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            guarded, threshold_match_probability=threshold
        )
        work.execute(
            f"""
            create table clusters as
            select unique_id, country, cluster_id from {clustered.physical_name}
            """
        ).fetchall()
        # Country guard, second pass: clusters that still span two countries through records
        # without a country are re-clustered greedily with the constraint.
        conflicted = work.sql(
            """
            select cluster_id from clusters where country is not null
            group by cluster_id having count(distinct country) > 1
            """
        ).fetchall()
        overrides: dict[str, str] = {}
        if conflicted:
            work.execute("create table conflicted(cluster_id varchar)").fetchall()
            work.executemany("insert into conflicted values (?)", conflicted)
            members = work.sql(
                """
                select c.unique_id, c.country from clusters c
                join conflicted using (cluster_id)
                """
            ).fetchall()
            edges = work.sql(
                f"""
                select e.unique_id_l, e.unique_id_r, e.match_probability,
                       coalesce(e.email_l = e.email_r, false)
                from {guarded.physical_name} e
                join clusters c on c.unique_id = e.unique_id_l
                join conflicted using (cluster_id)
                """
            ).fetchall()
            overrides = {
                profile: f"g:{label}"
                for profile, label in guarded_clusters(dict(members), edges).items()
            }
            log.info(
                "identity: country guard split %d clusters spanning several countries",
                len(conflicted),
            )
        # back from profiles to records
        result = work.sql(
            """
            select record_profiles.unique_id, clusters.unique_id, clusters.cluster_id
            from record_profiles
            join clusters on record_profiles.profile_id = clusters.unique_id
            order by record_profiles.unique_id
            """
        ).fetchall()
        log.info("identity: clustered in %.1fs", _since(step))
    finally:
        work.close()
        shutil.rmtree(spill, ignore_errors=True)

    groups: dict[str, list[str]] = {}
    for record_id, profile_id, splink_cluster in result:
        group = overrides.get(profile_id, f"s:{splink_cluster}")
        groups.setdefault(group, []).append(record_id)
    out = _assemble(groups, key)
    log.info(
        "identity: %d records → %d persons in %.1fs",
        out.num_rows,
        len(groups),
        _since(started),
    )
    return out


def _assemble(groups: dict[str, list[str]], key: bytes | None) -> pa.Table:
    """The output table from clusters (label → record keys; labels starting with "g:" come from
    the country guard). The cluster id is the smallest record key: stable across rebuilds.
    """
    secret = key or pseudonym_key()
    rows = []
    for label, members in groups.items():
        cluster_id = min(members)
        participant_key = participant_key_for(cluster_id, secret)
        if label.startswith("g:"):
            resolution = "split_by_country_guard"
        else:
            resolution = "linked" if len(members) > 1 else "singleton"
        rows.extend((m, cluster_id, participant_key, len(members), resolution) for m in members)
    rows.sort()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in OUTPUT_SCHEMA]
    return pa.table(
        {field.name: list(col) for field, col in zip(OUTPUT_SCHEMA, columns, strict=True)},
        schema=OUTPUT_SCHEMA,
    )


def resolve(
    con: duckdb.DuckDBPyConnection,
    records: str | duckdb.DuckDBPyRelation,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    columns: InputColumns = InputColumns(),
    options: ModelOptions = ModelOptions(),
    key: bytes | None = None,
) -> duckdb.DuckDBPyRelation:
    """Resolve the participant records of ``records`` (a table or view name on ``con``, or a
    relation) into persons.

    Returns a relation on ``con`` with one row per record: ``participant_record_key`` (the
    input's record key), ``cluster_id``, ``participant_key``, ``cluster_size`` and
    ``resolution`` (``singleton``, ``linked`` or ``split_by_country_guard``). Nothing is
    written to ``con``: Splink works on a private in-memory connection.
    """
    table = _load_records(con, records, columns)
    result = resolve_records(table, threshold=threshold, columns=columns, options=options, key=key)
    return con.from_arrow(result)


# ---------------------------------------------------------------------------------------------
# The warehouse's participant records (what the dbt Python model int_participant_clusters runs)
# ---------------------------------------------------------------------------------------------

#: The Moodle site of the ITU Academy (dbt var academy_site_url): its usernames are the logins
#: that xAPI accounts with this homePage refer to.
ACADEMY_SITE_URL = "https://academy.itu.int"

# xAPI actor account keys are "<homePage>|<name>" in int_participant_records_unioned
_ACCOUNT_SITE = (
    r"lower(regexp_extract(records.source_record_key, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/|:]+)', 1))"
)
_ACCOUNT_NAME = r"regexp_extract(records.source_record_key, '^[^|]*\|(.*)$', 1)"
_IS_XAPI_ACCOUNT = "records.platform = 'gs_lrs' and records.source_record_key not like 'mailto:%'"

CLUSTERS_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("source_record_key", pa.string()),
        ("cluster_id", pa.string()),
        ("cluster_size", pa.int64()),
        ("resolution", pa.string()),
    ]
)


def participant_records_for_linking(
    records: duckdb.DuckDBPyRelation,
    moodle_users: duckdb.DuckDBPyRelation | None,
    academy_site_url: str | None = ACADEMY_SITE_URL,
) -> duckdb.DuckDBPyRelation:
    """int_participant_records_unioned, keyed ``platform|source_record_key``, plus two platform
    identifiers the records table does not spell out:

    * ``account_key`` "<site host>|<login>": the Moodle username of an Academy record (from
      ``moodle_users``: stg_academy__enrolled_users) and the {homePage, name} account of an
      xAPI actor; an LRS fed by the Academy identifies its learners by their Academy login;
    * an xAPI account whose name is an e-mail address gives its record that e-mail.
    """
    from urllib.parse import urlparse

    host = urlparse(academy_site_url or "").netloc.lower().replace("'", "")
    records = records.filter("platform is not null and source_record_key is not null").set_alias(
        "records"
    )
    moodle_account = ""
    if moodle_users is not None and host:
        usernames = (
            moodle_users.filter("username is not null and trim(username) != ''")
            .aggregate(
                "source_record_key, min(lower(trim(username))) as username", "source_record_key"
            )
            .set_alias("moodle")
        )
        records = records.join(
            usernames,
            "records.platform = 'academy' and records.source_record_key = moodle.source_record_key",
            how="left",
        )
        moodle_account = (
            "when records.platform = 'academy' and moodle.username is not null "
            f"then '{host}|' || moodle.username"
        )
    return records.select(
        f"""
        records.platform || '|' || records.source_record_key as record_id,
        records.name_latin, records.full_name, records.first_name, records.last_name,
        coalesce(
            records.email,
            case when {_IS_XAPI_ACCOUNT} and {_ACCOUNT_NAME} like '%_@_%.%'
                 then {_ACCOUNT_NAME} end
        ) as email,
        records.country,
        records.organization,
        case
            {moodle_account}
            when {_IS_XAPI_ACCOUNT} and {_ACCOUNT_SITE} != ''
                then {_ACCOUNT_SITE} || '|' || lower({_ACCOUNT_NAME})
        end as account_key
        """
    )


def resolve_participant_records(
    con: duckdb.DuckDBPyConnection,
    records: duckdb.DuckDBPyRelation,
    moodle_users: duckdb.DuckDBPyRelation | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    academy_site_url: str | None = ACADEMY_SITE_URL,
    options: ModelOptions = ModelOptions(),
) -> pa.Table:
    """The int_participant_clusters table: one row per participant record (platform,
    source_record_key), with cluster_id (an opaque label shared by one person's records: a hash
    of its smallest record id), cluster_size and resolution. No secret is involved: the
    pseudonymous participant_key is derived from the cluster in core.participant_crosswalk."""
    keyed = participant_records_for_linking(records, moodle_users, academy_site_url)
    resolved = resolve(
        con,
        keyed,
        threshold=threshold,
        columns=InputColumns(record_key="record_id", country="country"),
        options=options,
    ).arrow()
    if isinstance(resolved, pa.RecordBatchReader):
        resolved = resolved.read_all()
    record_ids = resolved.column("participant_record_key").to_pylist()
    # platform codes hold no '|': the first one separates the platform from its record key
    split = [r.split("|", 1) for r in record_ids]
    clusters = resolved.column("cluster_id").to_pylist()
    labels = {c: hashlib.sha256(c.encode()).hexdigest() for c in set(clusters)}
    return pa.table(
        {
            "platform": [p for p, _ in split],
            "source_record_key": [k for _, k in split],
            "cluster_id": [labels[c] for c in clusters],
            "cluster_size": resolved.column("cluster_size"),
            "resolution": resolved.column("resolution"),
        },
        schema=CLUSTERS_SCHEMA,
    )


def resolve_in_warehouse(
    db_path: str | Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    academy_site_url: str | None = ACADEMY_SITE_URL,
) -> int:
    """Alternative to the dbt Python model: write intermediate.int_participant_clusters into a
    warehouse file between two dbt invocations (``dbt build --exclude int_participant_clusters+``,
    this, then ``dbt build --select int_participant_clusters+``). The caller must be the only
    writer of ``db_path`` at that moment. Returns the number of rows written.
    """
    con = duckdb.connect(str(db_path))
    try:
        moodle = None
        has_moodle = con.execute(
            "select count(*) from duckdb_views() "
            "where schema_name = 'staging' and view_name = 'stg_academy__enrolled_users'"
        ).fetchall()[0][0]
        if has_moodle:
            moodle = con.sql("select * from staging.stg_academy__enrolled_users")
        table = resolve_participant_records(
            con,
            con.sql("select * from intermediate.int_participant_records_unioned"),
            moodle,
            threshold=threshold,
            academy_site_url=academy_site_url,
        )
        con.register("__identity_result", table)
        con.execute(
            f"create or replace table intermediate.{CLUSTERS_TABLE} as "
            "select * from __identity_result"
        ).fetchall()
        con.unregister("__identity_result")
        return table.num_rows
    finally:
        con.close()


def _since(t: float) -> float:
    return time.monotonic() - t
