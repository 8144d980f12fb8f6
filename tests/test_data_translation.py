"""Tests for rnncourse.data.translation: the synthetic translation task translates,
reorders and inflects as documented, and its splits are disjoint and spread over
lengths."""

import collections

import numpy as np
import pytest

from rnncourse.data import translation as tr


@pytest.fixture(scope="module")
def splits():
    return tr.make_splits(3000, 300, 800, train_max_length=10, test_max_length=20,
                          seed=3)


# Hand-written cases: source, expected target, expected alignment.
CASES = [
    # SVO -> SOV, adjective after its noun, accusative object, "a" not translated
    ("the big dog sees a small cat",
     "la hundo granda katon etan vidas", [0, 2, 1, 6, 5, 3]),
    # intransitive, plural subject: -oj and the plural verb ending -us
    ("some children sleep", "infanoj dormus", [1, 2]),
    ("the grey farmers run", "la kamparanoj grizaj kurus", [0, 2, 1, 3]),
    # plural accusative object with agreeing adjectives: -ojn, -ajn
    ("a horse likes the red young mice",
     "chevalo la musojn rugajn junajn amas", [1, 3, 6, 4, 5, 2]),
    # a PP becomes a postposition after its (nominative) noun phrase
    ("the cat near a fox sings", "la kato vulpo apud kantas", [0, 1, 4, 2, 5]),
    # a PP inside the object: the object stays accusative, the PP's noun nominative
    ("a child finds the bird with some grey mice",
     "infano la birdon musoj grizaj kun trovas", [1, 3, 4, 8, 7, 5, 2]),
    # two PPs deep: the postpositions come innermost first
    ("the dog behind a cat with the mouse runs",
     "la hundo kato la muso kun malantau kuras", [0, 1, 4, 6, 7, 5, 2, 8]),
    # two clauses, each reordered on its own
    ("a bird sings and the farmers follow a fox",
     "birdo kantas kaj la kamparanoj vulpon sekvus", [1, 2, 3, 4, 5, 8, 6]),
]


@pytest.mark.parametrize("source, target, alignment", CASES)
def test_translate_hand_written_sentences(source, target, alignment):
    words, align = tr.translate(source.split())
    assert " ".join(words) == target
    assert align == alignment


def test_every_target_word_translates_its_aligned_source_word():
    source = "the happy child with the big dogs chases some foxes and a cat sleeps"
    words, align = tr.translate(source.split())
    src = source.split()
    stems = dict(tr.ADJECTIVES) | {s: st for s, _, st in tr.NOUNS} | {
        p: st for _, p, st in tr.NOUNS} | {
        f: st for s, p, st in tr.TRANSITIVE_VERBS + tr.INTRANSITIVE_VERBS
        for f in (s, p)} | dict(tr.PREPOSITIONS) | {"the": "la", "and": "kaj"}
    for word, k in zip(words, align):
        assert word.startswith(stems[src[k]]), (word, src[k])
    # "a" and "some" have no translation; every other source word has exactly one
    untranslated = set(range(len(src))) - set(align)
    assert {src[k] for k in untranslated} == {"a", "some"}
    assert len(align) == len(set(align))


@pytest.mark.parametrize("source, message", [
    ("dog sees a cat", "expected a determiner"),
    ("the dog a cat", "expected a verb"),
    ("a dogs sleep", "a singular noun after 'a'"),
    ("some dog sleeps", "a plural noun after 'some'"),
    ("the dogs sleeps", "agrees with the plural subject"),
    ("the dog sees", "expected a determiner"),
    ("the dog sleeps the cat", "'and' or the end of the sentence"),
    ("the big sleeps", "an adjective or a noun"),
])
def test_sentences_outside_the_grammar_are_rejected_with_the_word_named(source,
                                                                        message):
    with pytest.raises(ValueError, match=message):
        tr.translate(source.split())


def test_vocabularies_are_a_few_dozen_words():
    assert 30 <= len(tr.SOURCE_WORDS) <= 60
    assert len(tr.TARGET_WORDS) == len(set(tr.TARGET_WORDS))
    assert "la" in tr.TARGET_WORDS and "kaj" in tr.TARGET_WORDS


def test_sampled_sentences_parse_and_have_the_number_of_clauses_asked_for():
    rng = np.random.default_rng(0)
    for n_clauses in (1, 2, 3, 4):
        for _ in range(50):
            words = tr.sample_sentence(rng, n_clauses)
            assert words.count("and") == n_clauses - 1
            target, alignment = tr.translate(words)
            assert set(target) <= set(tr.TARGET_WORDS)
    with pytest.raises(ValueError, match="n_clauses"):
        tr.sample_sentence(rng, 5)


def test_generated_pairs_match_the_reference_translation(splits):
    """The batch generator and the parser-based translate() agree on every pair."""
    for pairs in splits.values():
        for p in pairs:
            target, alignment = tr.translate(p.source)
            assert p.target == tuple(target) and p.alignment == tuple(alignment)


def test_splits_are_disjoint_and_follow_the_hash(splits):
    sets = {name: {p.source for p in pairs} for name, pairs in splits.items()}
    assert not sets["train"] & sets["valid"]
    assert not sets["train"] & sets["test"]
    assert not sets["valid"] & sets["test"]
    for name, pairs in splits.items():
        assert {tr.split_of(p.source) for p in pairs} == {name}
    # valid and test never repeat a sentence; train may
    assert len(sets["valid"]) == len(splits["valid"])
    assert len(sets["test"]) == len(splits["test"])


def test_length_distribution_is_even_from_short_to_twice_the_training_length(splits):
    train = collections.Counter(len(p.source) for p in splits["train"])
    test = collections.Counter(len(p.source) for p in splits["test"])
    valid = collections.Counter(len(p.source) for p in splits["valid"])
    assert sorted(train) == list(range(3, 11))
    assert set(train.values()) == {3000 // 8}
    assert max(valid) == 10 and min(valid) == 3
    assert sorted(test) == list(range(3, 21))
    # every length gets its share, except the shortest ones, which run out of
    # distinct sentences (96 three-word sentences in all)
    share = 800 // 18
    assert all(share <= n <= share + 1 for k, n in test.items() if k >= 6)
    assert 0 < test[3] < share
    assert len(splits["train"]) == 3000
    # the test set reaches twice the longest training sentence
    assert max(test) >= 2 * max(train)


def test_same_seed_same_splits_and_another_seed_others():
    first = tr.make_splits(400, 50, 100, 8, 16, seed=3)
    assert tr.make_splits(400, 50, 100, 8, 16, seed=3) == first
    other = tr.make_splits(400, 50, 100, 8, 16, seed=4)
    assert other["test"] != first["test"] and other["train"] != first["train"]


def test_length_buckets_and_bad_arguments(splits):
    buckets = tr.length_buckets(splits["test"], [2, 10, 15, 20])
    assert [min(len(p.source) for p in b) for b in buckets] == [3, 11, 16]
    assert sum(map(len, buckets)) == len(splits["test"])
    with pytest.raises(ValueError, match="increasing"):
        tr.length_buckets(splits["test"], [10, 5])
    with pytest.raises(ValueError, match="min_length <= train_max_length"):
        tr.make_splits(10, 10, 10, train_max_length=12, test_max_length=8)
    with pytest.raises(ValueError, match="n_train"):
        tr.make_splits(-1, 10, 10, 8, 8)
