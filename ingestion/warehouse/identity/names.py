"""Name, e-mail and organisation normalisation: pure functions, cached per distinct value.

* names are transliterated to Latin (``anyascii``: Cyrillic, Arabic, Greek, CJK), lower-cased,
  stripped of accents, punctuation, honorifics and initials, and compared as *sorted tokens*
  (so "Ivanov Sergei" = "Sergei Ivanov");
* a Soundex-like *consonant skeleton* of each token (vowels and doubled letters dropped, a few
  transliteration equivalences folded: x=ks, ph=f, w=v, q=k, the h of kh/sh/th/dh/gh/zh/ch
  dropped) makes Mohammed / Mohamed / Muhammad / محمد and Sergey / Sergei / Сергей agree;
  short tokens and tokens with fewer than three consonants keep their vowels (Son ≠ Shin,
  Keita ≠ Kouyaté);
* e-mail addresses are split into address, local part and domain;
* organisations are normalised and give their acronyms ("ART" = "Agence de Régulation des
  Télécommunications (ART)").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


#: Handles shorter than this ("jo", "r2") are too common to tell people apart.
MIN_HANDLE = 3


@lru_cache(maxsize=200_000)
def email_handles(address: str | None, name: tuple[str, ...] | None) -> tuple[str, ...]:
    """The parts of an address's local part that are not the person's name: a number, a
    nickname, a handle ("odhiambo162" in "mwangi.odhiambo162", "jsmith" in "jsmith@").

    Colleagues and namesakes build their addresses from the same name tokens; what else a
    local part holds is personal, so two different addresses sharing it are likely one
    person's (a work address and a personal one). Tokens are split on punctuation, lower-case
    and transliterated like names; those equal to a token of the record's name are dropped.
    Cached per (address, name): one person's records repeat both.
    """
    if not address or "@" not in address:
        return ()
    local = address.split("@", 1)[0].split("+", 1)[0]
    text = _NON_ALNUM.sub(" ", _transliterate_token(local).lower())
    names = set(name or ())
    return tuple(sorted({t for t in text.split() if len(t) >= MIN_HANDLE and t not in names}))


#: Providers of personal mailboxes: anyone may open an address there, so two addresses at one of
#: these domains say nothing about an employer. A domain whose first label is one of
#: ``_PUBLIC_PROVIDERS`` (any country's TLD: yahoo.fr, hotmail.co.uk) or listed whole.
_PUBLIC_PROVIDER_TEXT = (
    "gmail googlemail yahoo ymail hotmail outlook live msn aol icloud gmx yandex protonmail "
    "proton zoho rediffmail rocketmail"
)
_PUBLIC_DOMAIN_TEXT = (
    "me.com mac.com mail.ru bk.ru list.ru inbox.ru rambler.ru ya.ru qq.com 163.com 126.com "
    "sina.com sohu.com yeah.net naver.com daum.net hanmail.net web.de t-online.de laposte.net "
    "orange.fr free.fr wanadoo.fr sfr.fr libero.it uol.com.br bol.com.br terra.com.br "
    "mail.com email.com usa.net tutanota.com"
)
_PUBLIC_PROVIDERS = frozenset(_PUBLIC_PROVIDER_TEXT.split())
_PUBLIC_DOMAINS = frozenset(_PUBLIC_DOMAIN_TEXT.split())


@lru_cache(maxsize=100_000)
def is_public_email_domain(domain: str | None) -> bool:
    """Whether an e-mail domain is a public mailbox provider's (not an organisation's)."""
    if not domain:
        return False
    return domain in _PUBLIC_DOMAINS or domain.split(".", 1)[0] in _PUBLIC_PROVIDERS


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


#: Two name tokens longer than SHORT_TOKEN correspond at this Jaro-Winkler similarity (a typo);
#: the model's SQL comparisons use the same value (comparisons.TOKEN_JW).
TOKEN_JW = 0.9


@lru_cache(maxsize=500_000)
def tokens_correspond(a: str, b: str) -> bool:
    """Whether two normalised name tokens are the same name: the same consonant skeleton, a
    typo apart (Jaro-Winkler, both longer than SHORT_TOKEN letters), or a four-letter token one
    keystroke from the other. The rule of the model's name comparison, in Python."""
    from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

    if skeleton(a) == skeleton(b):
        return True
    if len(a) > SHORT_TOKEN and len(b) > SHORT_TOKEN:
        return JaroWinkler.similarity(a, b) >= TOKEN_JW
    return min(len(a), len(b)) == SHORT_TOKEN and DamerauLevenshtein.distance(a, b) <= 1


def _near(a: str, b: str) -> bool:
    """Tokens too alike to be two different names: corresponding, one keystroke apart, or
    sharing three quarters of their letters in order (two typos of one name: ose / rxose)."""
    from rapidfuzz.distance import DamerauLevenshtein, Indel

    return (
        tokens_correspond(a, b)
        or DamerauLevenshtein.distance(a, b) <= 1
        or Indel.normalized_similarity(a, b) >= 0.75
    )


#: Tokens two names must share before an extra token on each side makes them two people.
CONFLICT_SHARED_TOKENS = 2


@lru_cache(maxsize=200_000)
def names_conflict(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names (normalised tokens) are incompatible: they share at least two tokens
    and *each* has a token the other lacks ("José Luis Fernández" / "José María Fernández").

    One person's records drop or add a middle name, reorder, transliterate and mistype it, but
    do not carry two different ones: such names are namesakes. A token close to the other's
    (rose / ose / rxose: see _near) is a typo, not another name. Names sharing fewer tokens
    are not judged (a first name replaced by a nickname, a changed surname).
    """
    missing_a = [t for t in a if not any(_near(t, u) for u in b)]
    missing_b = [u for u in b if not any(_near(t, u) for t in a)]
    if not missing_a or not missing_b:
        return False
    return len(a) - len(missing_a) >= CONFLICT_SHARED_TOKENS and (
        len(b) - len(missing_b) >= CONFLICT_SHARED_TOKENS
    )
