"""The four prediction tasks of Elman (1990), "Finding Structure in Time".

Every task is a stream of items; a network reads item t and predicts item t + 1.

* :func:`temporal_xor` — bits in which every third bit is the XOR of the two before it
  (the paper's section "Exclusive-Or", Fig. 3).
* :func:`letter_sequence` and :data:`LETTER_FEATURES` — the consonants b, d, g in random
  order, each followed by its own vowels (b -> ba, d -> dii, g -> guuu), coded with the
  six phonetic features of the paper's Table 1 ("Structure in letter sequences", Figs.
  4-5).
* :func:`word_sentences` and :func:`letter_stream` — sentences from a 15-word lexicon,
  run together without spaces, each letter a random 5-bit vector ("Discovering the
  notion 'word'", Fig. 6). The paper does not print its sentence generator; ours is a
  small grammar over the words of the paper's Fig. 6 (see :data:`STORY_GRAMMAR`).
* :func:`lexical_sentences`, :data:`LEXICAL_CATEGORIES` and :data:`SENTENCE_TEMPLATES` —
  two- and three-word sentences from the categories of Table 3 and the templates of
  Table 4, each word a one-hot 31-bit vector ("Discovering lexical classes from word
  order", Fig. 7), and :func:`likelihood_vectors`, the targets against which the paper
  scored the network's predictions.

Provenance: the tables are transcribed from the paper; the full 29-word lexicon (Table 3
prints two examples per category) is read off the leaves of its Fig. 7. All data are
synthetic and generated on the fly; every generator takes an explicit
``numpy.random.Generator``.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

__all__ = [
    "temporal_xor",
    "next_item_pairs",
    "LETTER_FEATURES",
    "FEATURE_NAMES",
    "CONSONANT_SPELLING",
    "letter_sequence",
    "encode_letters",
    "STORY_LEXICON",
    "STORY_GRAMMAR",
    "word_sentences",
    "letter_stream",
    "LEXICAL_CATEGORIES",
    "NESTED_CATEGORIES",
    "SENTENCE_TEMPLATES",
    "category_words",
    "lexical_sentences",
    "lexicon",
    "one_hot_words",
    "likelihood_vectors",
    "word_classes",
]


def _check_count(name, value, minimum=1):
    if int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


# --------------------------------------------------------------------------------------
# Temporal XOR
# --------------------------------------------------------------------------------------

def temporal_xor(n_bits, rng):
    """A stream of bits in which every third bit is the XOR of the two before it.

    The stream is made of triples (a, b, a XOR b): the first two bits of every triple
    are drawn together as ``rng.integers(0, 2, size=(n_triples, 2))`` with
    ``n_triples = ceil(n_bits / 3)``, the third is their XOR, and the triples are joined
    and cut to ``n_bits``. Bit ``t`` (counting from 0) is predictable exactly when
    ``t % 3 == 2``.

    n_bits : int, the length of the stream (the paper uses 3000)
    rng : numpy.random.Generator
    Returns an int array of 0/1 of shape (n_bits,).
    """
    n_bits = _check_count("n_bits", n_bits)
    n_triples = -(-n_bits // 3)
    first_two = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([first_two, first_two[:, 0] ^ first_two[:, 1]])
    return triples.reshape(-1)[:n_bits]


def next_item_pairs(stream):
    """Inputs and targets for next-item prediction: ``x_t = stream[t]``,
    ``y_t = stream[t + 1]``.

    stream : (T, ...) array, one item per row (a 1-d stream gets a feature axis of size
    1)
    Returns inputs (T - 1, D) and targets (T - 1, D) as float arrays.
    """
    stream = np.asarray(stream, dtype=float)
    if stream.ndim == 1:
        stream = stream[:, None]
    if stream.ndim != 2 or len(stream) < 2:
        raise ValueError(
            f"stream must have shape (T,) or (T, D) with T >= 2, got {stream.shape}"
        )
    return stream[:-1], stream[1:]


# --------------------------------------------------------------------------------------
# Letters (Table 1)
# --------------------------------------------------------------------------------------

FEATURE_NAMES = ("consonant", "vowel", "interrupted", "high", "back", "voiced")

# Elman (1990), Table 1: the six-bit vectors of the six letters.
LETTER_FEATURES = {
    "b": (1, 0, 1, 0, 0, 1),
    "d": (1, 0, 1, 1, 0, 1),
    "g": (1, 0, 1, 0, 1, 1),
    "a": (0, 1, 0, 0, 1, 1),
    "i": (0, 1, 0, 1, 0, 1),
    "u": (0, 1, 0, 1, 1, 1),
}

# Each consonant is followed by its own vowel, repeated: b -> ba, d -> dii, g -> guuu.
CONSONANT_SPELLING = {"b": "ba", "d": "dii", "g": "guuu"}


def letter_sequence(n_consonants, rng):
    """Elman's letter stream: random consonants, each followed by its vowels.

    The consonants are drawn with ``rng.choice(["b", "d", "g"], size=n_consonants)`` and
    each is replaced by its spelling in :data:`CONSONANT_SPELLING` (the paper uses 1000
    consonants, about 3000 letters).

    Returns the stream as a Python string, e.g. ``"diibaguuuba..."``.
    """
    n_consonants = _check_count("n_consonants", n_consonants)
    consonants = rng.choice(list(CONSONANT_SPELLING), size=n_consonants)
    return "".join(CONSONANT_SPELLING[c] for c in consonants)


def encode_letters(letters):
    """The Table 1 feature vectors of a string of the letters b, d, g, a, i, u: (T, 6)
    floats."""
    unknown = sorted(set(letters) - set(LETTER_FEATURES))
    if unknown:
        raise ValueError(
            f"letters must be drawn from {sorted(LETTER_FEATURES)}, found {unknown}"
        )
    return np.array([LETTER_FEATURES[c] for c in letters], dtype=float).reshape(-1, 6)


# --------------------------------------------------------------------------------------
# Words from letters (Fig. 6)
# --------------------------------------------------------------------------------------

# The 15 words: the 14 words of the passage in the paper's Fig. 6 and "dog".
STORY_LEXICON = ("many", "years", "ago", "a", "the", "boy", "girl", "dog", "and",
                 "they", "lived", "played", "happily", "by", "sea")

# Our sentence generator (the paper does not print its own). Each slot is a list of
# (probability, words) alternatives; the probabilities are chosen so that 200 sentences
# give about as many letters as the paper's 4963.
STORY_GRAMMAR = {
    "opening": [(0.25, ("many", "years", "ago")), (0.75, ())],
    "subject": [
        (0.40, ("<np>",)),
        (0.35, ("<np>", "and", "<noun>")),
        (0.25, ("they",)),
    ],
    "verb": [(0.5, ("lived",)), (0.5, ("played",))],
    "ending": [
        (0.35, ("happily",)),
        (0.45, ("by", "the", "sea")),
        (0.20, ("happily", "by", "the", "sea")),
    ],
}


def _pick(alternatives, rng):
    probabilities = np.array([p for p, _ in alternatives])
    return alternatives[
        rng.choice(len(alternatives), p=probabilities / probabilities.sum())
    ][1]


def word_sentences(n_sentences, rng):
    """Sentences of the 15-word lexicon, e.g.
    ``["many", "years", "ago", "a", "boy", ...]``.

    A sentence is: an optional opening "many years ago", a subject ("a/the boy", "a boy
    and girl", "they"), a verb (lived, played) and an ending (happily, by the sea).
    Returns a list of ``n_sentences`` lists of words.
    """
    n_sentences = _check_count("n_sentences", n_sentences)
    sentences = []
    for _ in range(n_sentences):
        words = list(_pick(STORY_GRAMMAR["opening"], rng))
        for slot in _pick(STORY_GRAMMAR["subject"], rng):
            if slot == "<np>":
                words += [
                    ("a", "the")[rng.integers(2)],
                    ("boy", "girl", "dog")[rng.integers(3)],
                ]
            elif slot == "<noun>":
                words.append(("boy", "girl", "dog")[rng.integers(3)])
            else:
                words.append(slot)
        words += list(_pick(STORY_GRAMMAR["verb"], rng)) + list(
            _pick(STORY_GRAMMAR["ending"], rng)
        )
        sentences.append(words)
    return sentences


def letter_stream(sentences, rng, n_bits=5):
    """Run sentences together letter by letter and code each letter as a random bit
    vector.

    Every letter of the alphabet used gets its own random, distinct, nonzero
    ``n_bits``-bit
    code (drawn with ``rng.permutation``), as in the paper's "random 5-bit vector".

    Returns
    -------
    letters : str, the stream without spaces or punctuation
    codes : (T, n_bits) float array, the code of every letter
    word_start : (T,) bool array, True where a letter begins a word
    code_book : dict letter -> tuple of bits
    """
    words = [w for sentence in sentences for w in sentence]
    if not words:
        raise ValueError("sentences must contain at least one word")
    letters = "".join(words)
    alphabet = sorted(set(letters))
    if len(alphabet) > 2 ** n_bits - 1:
        raise ValueError(
            f"{len(alphabet)} letters do not fit in distinct nonzero {n_bits}-bit codes"
        )
    chosen = rng.permutation(np.arange(1, 2 ** n_bits))[: len(alphabet)]
    code_book = {
        c: tuple(int(b) for b in np.binary_repr(v, n_bits))
        for c, v in zip(alphabet, chosen)
    }
    codes = np.array([code_book[c] for c in letters], dtype=float)
    word_start = np.zeros(len(letters), dtype=bool)
    word_start[np.cumsum([0] + [len(w) for w in words[:-1]])] = True
    return letters, codes, word_start, code_book


# --------------------------------------------------------------------------------------
# Lexical classes (Tables 3 and 4, Fig. 7)
# --------------------------------------------------------------------------------------

# Table 3 prints two examples per category; the full lexicon of 29 words is the set of
# leaves of Fig. 7 (boy, girl, lion, dog, car, sandwich, exist and like are the others).
LEXICAL_CATEGORIES = {
    "NOUN-HUM": ("man", "woman", "boy", "girl"),
    "NOUN-ANIM": ("cat", "mouse", "dog"),
    "NOUN-INANIM": ("book", "rock", "car"),
    "NOUN-AGRESS": ("dragon", "monster", "lion"),
    "NOUN-FRAG": ("glass", "plate"),
    "NOUN-FOOD": ("cookie", "bread", "sandwich"),
    "VERB-INTRAN": ("think", "sleep", "exist"),
    "VERB-TRAN": ("see", "chase", "like"),
    "VERB-AGPAT": ("move", "break"),
    "VERB-PERCEPT": ("smell", "see"),
    "VERB-DESTROY": ("break", "smash"),
    "VERB-EAT": ("eat",),
}

# How we read Table 3: the animals include the humans and the aggressors, and the
# inanimate nouns include the breakables and the foods. Read strictly, foods and
# breakables could never begin a sentence, and the paper's Fig. 7 would not group them
# with the other nouns.
NESTED_CATEGORIES = {
    "NOUN-ANIM": ("NOUN-HUM", "NOUN-AGRESS"),
    "NOUN-INANIM": ("NOUN-FRAG", "NOUN-FOOD"),
}


def category_words(category, nested=True):
    """The words that may fill a template slot of this category (see
    :data:`NESTED_CATEGORIES`)."""
    if category not in LEXICAL_CATEGORIES:
        raise ValueError(
            f"category must be one of {list(LEXICAL_CATEGORIES)}, got {category!r}"
        )
    words = list(LEXICAL_CATEGORIES[category])
    for included in NESTED_CATEGORIES.get(category, ()) if nested else ():
        words += [w for w in LEXICAL_CATEGORIES[included] if w not in words]
    return tuple(words)


# Table 4: the sentence templates (category of word 1, word 2 and, if any, word 3).
SENTENCE_TEMPLATES = (
    ("NOUN-HUM", "VERB-EAT", "NOUN-FOOD"),
    ("NOUN-HUM", "VERB-PERCEPT", "NOUN-INANIM"),
    ("NOUN-HUM", "VERB-DESTROY", "NOUN-FRAG"),
    ("NOUN-HUM", "VERB-INTRAN"),
    ("NOUN-HUM", "VERB-TRAN", "NOUN-HUM"),
    ("NOUN-HUM", "VERB-AGPAT", "NOUN-INANIM"),
    ("NOUN-HUM", "VERB-AGPAT"),
    ("NOUN-ANIM", "VERB-EAT", "NOUN-FOOD"),
    ("NOUN-ANIM", "VERB-TRAN", "NOUN-ANIM"),
    ("NOUN-ANIM", "VERB-AGPAT", "NOUN-INANIM"),
    ("NOUN-ANIM", "VERB-AGPAT"),
    ("NOUN-INANIM", "VERB-AGPAT"),
    ("NOUN-AGRESS", "VERB-DESTROY", "NOUN-FRAG"),
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-HUM"),
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-ANIM"),
    ("NOUN-AGRESS", "VERB-EAT", "NOUN-FOOD"),
)


def lexicon():
    """The 29 words in a fixed order: the nouns, then the verbs, each in Table 3's
    order."""
    words = []
    for members in LEXICAL_CATEGORIES.values():
        words += [w for w in members if w not in words]
    return tuple(words)


def word_classes(word):
    """The Table 3 categories a word belongs to (``see`` and ``break`` belong to two).
    """
    return tuple(c for c, members in LEXICAL_CATEGORIES.items() if word in members)


def lexical_sentences(n_sentences, rng, nested=True):
    """Sentences from the templates of Table 4, e.g.
    ``[["dragon", "eat", "man"], ...]``.

    For each sentence a template is drawn uniformly (``rng.integers``) and each slot is
    filled with a word drawn uniformly from :func:`category_words` of its category
    (``nested=False``: from the category's own words only). The paper used 10,000
    sentences.
    """
    n_sentences = _check_count("n_sentences", n_sentences)
    fillers = {c: category_words(c, nested) for c in LEXICAL_CATEGORIES}
    choice = rng.integers(len(SENTENCE_TEMPLATES), size=n_sentences)
    sentences = []
    for template in choice:
        sentences.append(
            [
                fillers[c][rng.integers(len(fillers[c]))]
                for c in SENTENCE_TEMPLATES[template]
            ]
        )
    return sentences


def one_hot_words(words, vocabulary=None, width=31):
    """One-hot vectors of a list of words: (T, width) floats, bit
    ``vocabulary.index(word)`` on.

    The paper used 31 bits for 29 words (two bits reserved for other purposes, never
    on).
    """
    vocabulary = lexicon() if vocabulary is None else tuple(vocabulary)
    if width < len(vocabulary):
        raise ValueError(
            f"width must be at least the vocabulary size {len(vocabulary)}, got {width}"
        )
    index = {w: i for i, w in enumerate(vocabulary)}
    unknown = sorted(set(words) - set(index))
    if unknown:
        raise ValueError(f"words not in the vocabulary: {unknown}")
    codes = np.zeros((len(words), width))
    codes[np.arange(len(words)), [index[w] for w in words]] = 1.0
    return codes


def likelihood_vectors(sentences, vocabulary=None, width=31):
    """The empirical probability of the next word given the sentence so far.

    For every token of the concatenated corpus except the last, the target of the
    paper's
    evaluation: the distribution of the word that follows, among all places in the
    corpus where the same sentence prefix (the words of the current sentence up to this
    one) occurs. After the last word of a sentence the next word begins a new sentence,
    so the vector there is the distribution of sentence-initial words.

    Returns (T - 1, width) floats whose rows sum to 1, T the number of tokens.
    """
    vocabulary = lexicon() if vocabulary is None else tuple(vocabulary)
    index = {w: i for i, w in enumerate(vocabulary)}
    # one (prefix) per token, aligned with the stream
    contexts = []
    for sentence in sentences:
        for k in range(len(sentence)):
            contexts.append(
                tuple(sentence[: k + 1]) if k + 1 < len(sentence) else ("<end>",)
            )
    tokens = [w for sentence in sentences for w in sentence]
    counts = defaultdict(Counter)
    for context, following in zip(contexts[:-1], tokens[1:]):
        counts[context][following] += 1
    vectors = np.zeros((len(tokens) - 1, width))
    for t, context in enumerate(contexts[:-1]):
        total = sum(counts[context].values())
        for word, n in counts[context].items():
            vectors[t, index[word]] = n / total
    return vectors
