"""A synthetic translation task with the structure that makes translation hard.

The source language is a small English-like language: subject–verb–object clauses,
adjectives before nouns, prepositional phrases, clauses joined by "and". The target
language is made up (its word endings borrow Esperanto's regular morphology) and differs
in three ways that a translation model has to learn:

* **word order**: the verb goes to the end of its clause (SVO → SOV), adjectives follow
  their noun, and prepositions become postpositions that follow their noun phrase;
* **inflection**: a noun and its adjectives take the case of their role
  (nominative ``-o``/``-a`` for a subject or the object of a postposition, accusative
  ``-on``/``-an`` for a direct object) and the number of the noun (plural ``-j``
  before the case ending); the verb ends in ``-as`` after a singular subject and
  ``-us`` after a plural one;
* **articles**: "the" becomes ``la``; the indefinite "a" and "some" are not translated.

Every source sentence has exactly one translation, :func:`translate`, and every target
word comes from exactly one source word (:func:`translate` returns that alignment too),
so the task has a reference translation and a reference alignment for every sentence::

    >>> translate("the big dog sees a small cat".split())[0]
    ['la', 'hundo', 'granda', 'katon', 'etan', 'vidas']

Grammar of the source (``?``: optional, ``*``: repeated)::

    sentence  := clause ("and" clause)*
    clause    := NP V_intransitive | NP V_transitive NP
    NP        := Det Adj* Noun PP?          (at most two adjectives)
    PP        := Prep NP                    (at most two PPs deep)

The PP attaches to the noun right before it, so every sentence parses one way only.
Splits are disjoint by construction: a sentence belongs to train, valid or test
according to a hash of its words (:func:`split_of`), whatever the seed.

Made for this course; no external data, no licence restrictions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "NOUNS", "ADJECTIVES", "TRANSITIVE_VERBS", "INTRANSITIVE_VERBS", "PREPOSITIONS",
    "SOURCE_WORDS", "TARGET_WORDS", "Pair", "translate", "parse", "sample_sentence",
    "split_of", "make_splits", "length_buckets", "SPLITS",
]

# source word -> target stem. Nouns: (singular, plural, stem).
NOUNS = [
    ("cat", "cats", "kat"), ("dog", "dogs", "hund"), ("bird", "birds", "bird"),
    ("fox", "foxes", "vulp"), ("child", "children", "infan"),
    ("farmer", "farmers", "kamparan"), ("horse", "horses", "cheval"),
    ("mouse", "mice", "mus"),
]
ADJECTIVES = [
    ("big", "grand"), ("small", "et"), ("red", "rug"), ("grey", "griz"),
    ("young", "jun"), ("happy", "felic"),
]
# (singular-subject form, plural-subject form, stem)
TRANSITIVE_VERBS = [
    ("sees", "see", "vid"), ("chases", "chase", "chas"), ("likes", "like", "am"),
    ("finds", "find", "trov"), ("follows", "follow", "sekv"),
]
INTRANSITIVE_VERBS = [
    ("sleeps", "sleep", "dorm"), ("runs", "run", "kur"), ("sings", "sing", "kant"),
]
PREPOSITIONS = [("near", "apud"), ("behind", "malantau"), ("with", "kun")]
DEFINITE, SINGULAR_INDEFINITE, PLURAL_INDEFINITE, AND = "the", "a", "some", "and"
TARGET_DEFINITE, TARGET_AND = "la", "kaj"

SOURCE_WORDS = sorted(
    {w for s, p, _ in NOUNS for w in (s, p)}
    | {a for a, _ in ADJECTIVES}
    | {w for s, p, _ in TRANSITIVE_VERBS + INTRANSITIVE_VERBS for w in (s, p)}
    | {p for p, _ in PREPOSITIONS}
    | {DEFINITE, SINGULAR_INDEFINITE, PLURAL_INDEFINITE, AND}
)

_NOUN = {s: (stem, False) for s, _, stem in NOUNS} | {
    p: (stem, True) for _, p, stem in NOUNS
}
_ADJECTIVE = dict(ADJECTIVES)
_VERB = {
    form: (stem, transitive)
    for verbs, transitive in ((TRANSITIVE_VERBS, True), (INTRANSITIVE_VERBS, False))
    for s, p, stem in verbs
    for form in (s, p)
}
_VERB_PLURAL = {p for _, p, _ in TRANSITIVE_VERBS + INTRANSITIVE_VERBS}
_PREPOSITION = dict(PREPOSITIONS)
_DETERMINERS = {DEFINITE, SINGULAR_INDEFINITE, PLURAL_INDEFINITE}

# Endings: nouns o/oj/on/ojn, adjectives a/aj/an/ajn, verbs as/us.
NOUN_ENDINGS = {("nom", False): "o", ("nom", True): "oj",
                ("acc", False): "on", ("acc", True): "ojn"}
ADJECTIVE_ENDINGS = {k: "a" + v[1:] for k, v in NOUN_ENDINGS.items()}
VERB_ENDINGS = {False: "as", True: "us"}

TARGET_WORDS = sorted(
    {stem + e for _, _, stem in NOUNS for e in NOUN_ENDINGS.values()}
    | {stem + e for _, stem in ADJECTIVES for e in ADJECTIVE_ENDINGS.values()}
    | {stem + e for _, _, stem in TRANSITIVE_VERBS + INTRANSITIVE_VERBS
       for e in VERB_ENDINGS.values()}
    | {p for _, p in PREPOSITIONS}
    | {TARGET_DEFINITE, TARGET_AND}
)

MAX_ADJECTIVES, MAX_PP_DEPTH = 2, 2
MAX_DRY_CHUNKS = 3  # chunks without a new sentence after which a length has run out


# --------------------------------------------------------------------------------------
# Parsing and translation
# --------------------------------------------------------------------------------------

@dataclass
class _NP:
    determiner: int                 # source positions
    adjectives: list[int]
    noun: int
    plural: bool
    preposition: int | None = None  # the PP attached to this noun, if any
    pp_object: _NP | None = None


def _error(words, position, expected):
    found = words[position] if position < len(words) else "the end of the sentence"
    raise ValueError(
        f"cannot parse {' '.join(words)!r}: expected {expected} at word {position}, "
        f"found {found!r}"
    )


def _parse_np(words, k, depth=0):
    if k >= len(words) or words[k] not in _DETERMINERS:
        _error(words, k, "a determiner (the, a, some)")
    determiner, k = k, k + 1
    adjectives = []
    while k < len(words) and words[k] in _ADJECTIVE:
        adjectives.append(k)
        k += 1
    if k >= len(words) or words[k] not in _NOUN:
        _error(words, k, "an adjective or a noun")
    plural = _NOUN[words[k]][1]
    if words[determiner] == SINGULAR_INDEFINITE and plural:
        _error(words, k, f"a singular noun after {SINGULAR_INDEFINITE!r}")
    if words[determiner] == PLURAL_INDEFINITE and not plural:
        _error(words, k, f"a plural noun after {PLURAL_INDEFINITE!r}")
    np_ = _NP(determiner, adjectives, k, plural)
    k += 1
    if k < len(words) and words[k] in _PREPOSITION:
        np_.preposition = k
        np_.pp_object, k = _parse_np(words, k + 1, depth + 1)
    return np_, k


def parse(words):
    """The clauses of a source sentence: a list of (subject NP, verb position, object NP
    or None). Raises ValueError naming the first word that does not fit the grammar."""
    words = list(words)
    clauses, k = [], 0
    while True:
        subject, k = _parse_np(words, k)
        if k >= len(words) or words[k] not in _VERB:
            _error(words, k, "a verb")
        verb, k = k, k + 1
        if (words[verb] in _VERB_PLURAL) != subject.plural:
            number = "plural" if subject.plural else "singular"
            _error(words, verb, f"a verb that agrees with the {number} subject")
        obj = None
        if _VERB[words[verb]][1]:
            obj, k = _parse_np(words, k)
        clauses.append((subject, verb, obj))
        if k == len(words):
            return clauses
        if words[k] != AND:
            _error(words, k, f"{AND!r} or the end of the sentence")
        k += 1


def _translate_np(words, np_, case):
    """Target words and their source positions for one NP: la? N Adj* (NP P)?"""
    out = []
    if words[np_.determiner] == DEFINITE:
        out.append((TARGET_DEFINITE, np_.determiner))
    stem = _NOUN[words[np_.noun]][0]
    out.append((stem + NOUN_ENDINGS[case, np_.plural], np_.noun))
    for a in np_.adjectives:
        out.append((_ADJECTIVE[words[a]] + ADJECTIVE_ENDINGS[case, np_.plural], a))
    if np_.preposition is not None:
        out += _translate_np(words, np_.pp_object, "nom")
        out.append((_PREPOSITION[words[np_.preposition]], np_.preposition))
    return out


def translate(words):
    """The reference translation of a source sentence and its word alignment.

    words: the source sentence as a list of words (see the module docstring).
    Returns (target, alignment): the target words and, for each, the position of the
    source word it translates. Raises ValueError if ``words`` is not a sentence of the
    source language.
    """
    words = list(words)
    out = []
    for n, (subject, verb, obj) in enumerate(parse(words)):
        if n:
            out.append((TARGET_AND, words.index(AND, out[-1][1])))
        out += _translate_np(words, subject, "nom")
        if obj is not None:
            out += _translate_np(words, obj, "acc")
        out.append((_VERB[words[verb]][0] + VERB_ENDINGS[subject.plural], verb))
    return [w for w, _ in out], [k for _, k in out]


# --------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------

# Probabilities of the generator (a proposal: make_splits reshapes the length
# distribution).
P_PLURAL, P_DEFINITE, P_TRANSITIVE = 0.35, 0.5, 0.7
P_ADJECTIVES = (0.5, 0.35, 0.15)        # 0, 1, 2 adjectives
P_PP = (0.25, 0.12, 0.0)                # a PP after a noun at depth 0, 1, 2
MAX_CLAUSES = 4
P_CLAUSES = (0.4, 0.3, 0.2, 0.1)        # 1 ... 4 clauses, for sample_sentence
WORDS_PER_CLAUSE = 8.2                  # mean length of a clause with its "and"

# The generator works on whole batches of sentences at once (NumPy, no Python loop per
# sentence). Every sentence fills some of the slots of one template, the longest
# sentence the grammar allows: MAX_CLAUSES clauses, each subject NP verb object NP,
# each NP a chain of up to MAX_PP_DEPTH + 1 nouns joined by prepositions. The source
# reads the slots in one order and the target in another; an empty slot is skipped.
_SRC = {w: k for k, w in enumerate(SOURCE_WORDS)}
_TGT = {w: k for k, w in enumerate(TARGET_WORDS)}
_CASES = ("nom", "acc")
# lookup tables: [lexical index, case, plural] -> word id
_SRC_NOUN = np.array([[_SRC[s], _SRC[p]] for s, p, _ in NOUNS])
_TGT_NOUN = np.array([[[_TGT[stem + NOUN_ENDINGS[c, pl]] for pl in (False, True)]
                       for c in _CASES] for _, _, stem in NOUNS])
_SRC_ADJ = np.array([_SRC[a] for a, _ in ADJECTIVES])
_TGT_ADJ = np.array([[[_TGT[stem + ADJECTIVE_ENDINGS[c, pl]] for pl in (False, True)]
                      for c in _CASES] for _, stem in ADJECTIVES])
_VERBS = TRANSITIVE_VERBS + INTRANSITIVE_VERBS      # transitive first
_SRC_VERB = np.array([[_SRC[s], _SRC[p]] for s, p, _ in _VERBS])
_TGT_VERB = np.array([[_TGT[stem + VERB_ENDINGS[pl]] for pl in (False, True)]
                      for _, _, stem in _VERBS])
_SRC_PREP = np.array([_SRC[p] for p, _ in PREPOSITIONS])
_TGT_PREP = np.array([_TGT[p] for _, p in PREPOSITIONS])
_SRC_DET = np.array([[_SRC[SINGULAR_INDEFINITE], _SRC[PLURAL_INDEFINITE]],
                     [_SRC[DEFINITE], _SRC[DEFINITE]]])     # [definite, plural]
# small integers: the batches are large
(_SRC_NOUN, _TGT_NOUN, _SRC_ADJ, _TGT_ADJ, _SRC_VERB, _TGT_VERB, _SRC_PREP, _TGT_PREP,
 _SRC_DET) = (a.astype(np.int16) for a in (_SRC_NOUN, _TGT_NOUN, _SRC_ADJ, _TGT_ADJ,
                                           _SRC_VERB, _TGT_VERB, _SRC_PREP, _TGT_PREP,
                                           _SRC_DET))


def _draw(rng, n_clauses):
    """Random choices for len(n_clauses) sentences: one dict of arrays, NP fields of
    shape (N, MAX_CLAUSES, 2 roles, MAX_PP_DEPTH + 1), clause fields (N, MAX_CLAUSES).
    """
    n = len(n_clauses)
    shape = (n, MAX_CLAUSES, 2, MAX_PP_DEPTH + 1)
    first = rng.integers(len(ADJECTIVES), size=shape)
    return {
        "clause": np.arange(MAX_CLAUSES) < np.asarray(n_clauses)[:, None],
        "transitive": rng.random((n, MAX_CLAUSES)) < P_TRANSITIVE,
        "verb": rng.random((n, MAX_CLAUSES)),
        "plural": rng.random(shape) < P_PLURAL,
        "definite": rng.random(shape) < P_DEFINITE,
        "n_adj": np.searchsorted(np.cumsum(P_ADJECTIVES), rng.random(shape),
                                 side="right"),
        "adj": np.stack([first, (first + 1 + rng.integers(len(ADJECTIVES) - 1,
                                                           size=shape))
                         % len(ADJECTIVES)], -1),
        "noun": rng.integers(len(NOUNS), size=shape),
        "pp": rng.random(shape) < np.array(P_PP),
        "prep": rng.integers(len(PREPOSITIONS), size=shape),
    }


# Slot layout: per clause [and, subject chain, verb, object chain]; per chain, for
# each depth, [det, adjective 1, adjective 2, noun, preposition].
_NP_SLOTS = 2 + MAX_ADJECTIVES + 1                  # det, adjectives, noun, prep
_CHAIN = (MAX_PP_DEPTH + 1) * _NP_SLOTS
_CLAUSE = 1 + _CHAIN + 1 + _CHAIN


def _target_order():
    """The target's reading of the slots: per clause, "kaj", subject chain, object
    chain, verb; per chain, la N Adj* at every depth, then the postpositions innermost
    first (a PP's object comes before its postposition)."""
    order = []
    for c in range(MAX_CLAUSES):
        base = c * _CLAUSE
        if c:
            order.append(base)
        for chain in (base + 1, base + 2 + _CHAIN):
            for depth in range(MAX_PP_DEPTH + 1):
                at = chain + depth * _NP_SLOTS
                order += [at, at + 1 + MAX_ADJECTIVES]                  # det, noun
                order += [at + 1 + k for k in range(MAX_ADJECTIVES)]    # adjectives
            order += [chain + depth * _NP_SLOTS + _NP_SLOTS - 1
                      for depth in reversed(range(MAX_PP_DEPTH + 1))]   # postpositions
        order.append(base + 1 + _CHAIN)                                 # verb
    return np.array(order)


_TARGET_ORDER = _target_order()


def _slots(d):
    """Every slot of the template for a batch of draws ``d``, in source order: source
    word ids, target word ids, and whether the slot is filled in the source and in the
    target; each (N, S)."""
    n = d["clause"].shape[0]
    trans, clause = d["transitive"], d["clause"]
    n_trans = len(TRANSITIVE_VERBS)
    verb = np.where(trans, (d["verb"] * n_trans).astype(int),
                    n_trans + (d["verb"] * len(INTRANSITIVE_VERBS)).astype(int))
    # which NPs exist: the subject of every clause, the object of a transitive one, and
    # below them one more noun after every PP
    here = np.zeros(d["plural"].shape, bool)
    here[:, :, 0, 0] = clause
    here[:, :, 1, 0] = clause & trans
    for depth in range(1, MAX_PP_DEPTH + 1):
        here[..., depth] = here[..., depth - 1] & d["pp"][..., depth - 1]
    case = np.zeros(d["plural"].shape, int)
    case[:, :, 1, 0] = 1                                # a direct object: accusative
    pl, adj, noun, prep = d["plural"].astype(int), d["adj"], d["noun"], d["prep"]
    definite = d["definite"]
    adj_case, adj_pl = case[..., None], pl[..., None]
    # (N, MAX_CLAUSES, 2, depths, _NP_SLOTS)
    np_src = np.concatenate([_SRC_DET[definite.astype(int), pl][..., None],
                             _SRC_ADJ[adj], _SRC_NOUN[noun, pl][..., None],
                             _SRC_PREP[prep][..., None]], -1)
    the = np.full(here.shape + (1,), _TGT[TARGET_DEFINITE], np.int16)
    np_tgt = np.concatenate([the,
                             _TGT_ADJ[adj, adj_case, adj_pl],
                             _TGT_NOUN[noun, case, pl][..., None],
                             _TGT_PREP[prep][..., None]], -1)
    n_adj = d["n_adj"][..., None]
    np_present = np.concatenate([here[..., None],
                                 here[..., None] & (np.arange(MAX_ADJECTIVES) < n_adj),
                                 here[..., None], (here & d["pp"])[..., None]], -1)
    np_tgt_present = np_present.copy()
    np_tgt_present[..., 0] &= definite                  # "a", "some": no article
    subject_pl = pl[:, :, 0, 0]

    def clauses(and_, verbs, nps):
        """(N, MAX_CLAUSES, _CLAUSE) slots from per-clause and per-NP parts."""
        chains = nps.reshape(n, MAX_CLAUSES, 2, _CHAIN)
        return np.concatenate([and_[..., None], chains[:, :, 0], verbs[..., None],
                               chains[:, :, 1]], -1).reshape(n, -1)

    first = np.arange(MAX_CLAUSES) > 0
    src = clauses(np.full((n, MAX_CLAUSES), _SRC[AND], np.int16),
                  _SRC_VERB[verb, subject_pl], np_src)
    tgt = clauses(np.full((n, MAX_CLAUSES), _TGT[TARGET_AND], np.int16),
                  _TGT_VERB[verb, subject_pl], np_tgt)
    present = clauses(clause & first, clause, np_present)
    tgt_present = clauses(clause & first, clause, np_tgt_present)
    return src, tgt, present, tgt_present


def _compact(ids, present):
    """Rows of ids with the absent slots removed, left-aligned and padded with -1:
    (N, max length), the lengths (N,) and each slot's position in its row (N, S)."""
    position = np.cumsum(present, axis=1, dtype=np.int16) - 1
    lengths = position[:, -1] + 1
    out = np.full((len(ids), max(int(lengths.max(initial=0)), 1)), -1, ids.dtype)
    rows, cols = np.nonzero(present)
    out[rows, position[rows, cols]] = ids[rows, cols]
    return out, lengths, position


def _generate(rng, n_clauses):
    """Draw len(n_clauses) sentences. Returns the source ids (N, S) with lengths (N,)
    and a function of row indices that gives the target ids, lengths and
    alignments of those rows."""
    src, tgt, present, tgt_present = _slots(_draw(rng, n_clauses))
    tgt_order = _TARGET_ORDER
    source, src_len, position = _compact(src, present)

    def targets(rows):
        target, tgt_len, _ = _compact(tgt[rows][:, tgt_order],
                                      tgt_present[rows][:, tgt_order])
        aligned, _, _ = _compact(position[rows][:, tgt_order],
                                 tgt_present[rows][:, tgt_order])
        return target, tgt_len, aligned

    return source, src_len, targets


def _mix(x):
    """splitmix64's finaliser: every input bit affects every output bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _hash_rows(ids, lengths):
    """A 64-bit hash of each row's first ``lengths`` ids (source word ids)."""
    h = np.zeros(len(ids), np.uint64)
    valid = np.arange(ids.shape[1])[None] < lengths[:, None]
    with np.errstate(over="ignore"):
        for k in range(ids.shape[1]):
            step = _mix(h ^ (ids[:, k].astype(np.uint64) + np.uint64(1)))
            h = np.where(valid[:, k], step, h)
    return h


def _split_ids(ids, lengths):
    """The split index (0 train, 1 valid, 2 test) of each row of source ids."""
    bucket = (_hash_rows(ids, lengths) % np.uint64(100)).astype(int)
    edges = [hi for _, hi in SPLITS.values()]
    return np.searchsorted(edges, bucket, side="right")


def sample_sentence(rng, n_clauses=None):
    """One random source sentence (a list of words) from the grammar.

    rng: numpy.random.Generator; n_clauses: the number of clauses, 1 to 4 (default:
    drawn with probabilities ``P_CLAUSES``).
    """
    if n_clauses is None:
        n_clauses = 1 + rng.choice(MAX_CLAUSES, p=P_CLAUSES)
    if not 1 <= n_clauses <= MAX_CLAUSES:
        raise ValueError(f"n_clauses must be 1 to {MAX_CLAUSES}, got {n_clauses}")
    source, length, _ = _generate(rng, [n_clauses])
    return [SOURCE_WORDS[k] for k in source[0, :length[0]]]


# --------------------------------------------------------------------------------------
# Splits
# --------------------------------------------------------------------------------------

SPLITS = {"train": (0, 80), "valid": (80, 90), "test": (90, 100)}   # hash buckets
CHUNK = 20_000                  # sentences drawn at a time


def split_of(words):
    """The split a sentence belongs to, "train", "valid" or "test": a fixed function
    of its words (a stable hash), so no sentence is ever in two splits."""
    ids = np.array([[_SRC[w] for w in words]])
    return list(SPLITS)[_split_ids(ids, np.array([len(words)]))[0]]


@dataclass(frozen=True)
class Pair:
    """One example: source words, reference target words and the alignment (for each
    target word the position of its source word)."""
    source: tuple[str, ...]
    target: tuple[str, ...]
    alignment: tuple[int, ...]


def _even(n, lengths):
    share, rest = divmod(n, len(lengths))
    return {k: share + (i < rest) for i, k in enumerate(lengths)}


def make_splits(n_train, n_valid, n_test, train_max_length, test_max_length,
                min_length=3, seed=0):
    """Train and validation pairs with source lengths up to ``train_max_length`` and
    test pairs up to ``test_max_length`` (e.g. twice as long), each split with its
    lengths spread evenly over ``min_length ...`` its maximum.

    Sentences are drawn from the grammar (the number of clauses aimed at the lengths
    still missing) and each goes to the split that :func:`split_of` assigns it, so the
    splits are disjoint. Train may repeat a sentence; valid and test do not. The
    shortest lengths have few distinct sentences (96 of three words, about a tenth of
    them in each of valid and test): a length that runs out in valid or test gets
    fewer than its share, and the split fewer than ``n_valid`` or ``n_test`` pairs.
    Returns {"train": [...], "valid": [...], "test": [...]}, lists of :class:`Pair`
    in random order; the same seed gives the same splits.
    """
    for name, n in (("n_train", n_train), ("n_valid", n_valid), ("n_test", n_test)):
        if int(n) != n or n < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {n!r}")
    if not 3 <= min_length <= train_max_length <= test_max_length:
        raise ValueError(
            "lengths must satisfy 3 <= min_length <= train_max_length <= "
            f"test_max_length, got {min_length}, {train_max_length}, {test_max_length}"
        )
    short = range(min_length, train_max_length + 1)
    wanted = [_even(n_train, short), _even(n_valid, short),
              _even(n_test, range(min_length, test_max_length + 1))]
    found = [{k: [] for k in quota} for quota in wanted]
    seen: set[bytes] = set()
    dry = {}                    # chunks in a row that added nothing to (split, length)
    rng = np.random.default_rng(seed)
    for _ in range(1000):
        missing = np.array(sorted({k for split in range(3)
                                   for k, n in wanted[split].items()
                                   if len(found[split][k]) < n}))
        if not len(missing):
            break
        aim = missing[rng.integers(len(missing), size=CHUNK)]
        n_clauses = np.clip(np.round((aim + 1) / WORDS_PER_CLAUSE).astype(int)
                            + rng.integers(-1, 2, size=CHUNK), 1, MAX_CLAUSES)
        source, src_len, targets = _generate(rng, n_clauses)
        split = _split_ids(source, src_len)
        added, accepted = set(), []
        for i, (s, k) in enumerate(zip(split.tolist(), src_len.tolist())):
            got = found[s].get(k)
            if got is None or len(got) >= wanted[s][k]:
                continue
            if s:                       # valid and test: each sentence once
                key = source[i, :k].tobytes()
                if key in seen:
                    continue
                seen.add(key)
            added.add((s, k))
            got.append(None)            # a place for the pair, filled below
            accepted.append((i, s, k, len(got) - 1))
        rows = np.array([i for i, *_ in accepted], int)
        target, tgt_len, alignment = targets(rows)
        for n, (i, s, k, place) in enumerate(accepted):
            found[s][k][place] = Pair(
                tuple(SOURCE_WORDS[w] for w in source[i, :k]),
                tuple(TARGET_WORDS[w] for w in target[n, :tgt_len[n]]),
                tuple(alignment[n, :tgt_len[n]].tolist()))
        for s in (1, 2):                # a length whose sentences have run out
            for k, n in wanted[s].items():
                if len(found[s][k]) < n:
                    dry[s, k] = 0 if (s, k) in added else dry.get((s, k), 0) + 1
                    if dry[s, k] >= MAX_DRY_CHUNKS:
                        wanted[s][k] = len(found[s][k])
    else:
        raise RuntimeError("could not fill the splits")
    splits = {}
    for s, name in enumerate(SPLITS):
        pairs = [p for k in sorted(found[s]) for p in found[s][k]]
        splits[name] = [pairs[i] for i in rng.permutation(len(pairs))]
    return splits


def length_buckets(pairs, edges):
    """Group pairs by source length: ``edges`` = (e0, e1, ..., en) gives the buckets
    e0 < length <= e1, ..., e(n-1) < length <= en. Returns a list of lists."""
    edges = list(edges)
    if sorted(edges) != edges or len(edges) < 2:
        raise ValueError(
            f"edges must be increasing with at least two values, got {edges}"
        )
    return [[p for p in pairs if lo < len(p.source) <= hi]
            for lo, hi in zip(edges[:-1], edges[1:])]
