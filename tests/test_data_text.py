"""rnncourse.data.text: the offline pydoc corpus and the character vocabulary."""

import numpy as np
import pytest

from rnncourse.data.text import (
    DEFAULT_CHARACTERS,
    PLACEHOLDER,
    CharVocabulary,
    pydoc_topics_text,
)


def test_pydoc_corpus_is_long_english_text_from_the_standard_library():
    text = pydoc_topics_text()
    assert len(text) > 300_000
    assert 'The "assert" statement' in text
    assert "Python" in text and " the " in text


def test_pydoc_corpus_is_the_same_on_every_call():
    assert pydoc_topics_text() == pydoc_topics_text()


def test_pydoc_corpus_joins_the_requested_topics_in_order():
    from pydoc_data.topics import topics
    text = pydoc_topics_text(["if", "assert"], separator="|")
    assert text == topics["if"] + "|" + topics["assert"]


def test_pydoc_corpus_names_unknown_topics():
    with pytest.raises(ValueError, match="no-such-topic"):
        pydoc_topics_text(["assert", "no-such-topic"])


def test_default_vocabulary_has_the_kept_characters_and_the_placeholder_last():
    vocab = CharVocabulary()
    assert vocab.size == len(DEFAULT_CHARACTERS) + 1 == 41
    assert vocab.chars[-1] == PLACEHOLDER and vocab.placeholder_id == vocab.size - 1
    np.testing.assert_array_equal(
        vocab.encode(DEFAULT_CHARACTERS), np.arange(len(DEFAULT_CHARACTERS))
    )


def test_encoding_lowercases_and_maps_unknown_characters_to_the_placeholder():
    vocab = CharVocabulary()
    ids = vocab.encode("Yield 42! “é”\t")
    assert ids.dtype == np.int64 and ids.shape == (14,)
    assert vocab.decode(ids) == "yield ### ####"


def test_decode_inverts_encode_on_text_inside_the_vocabulary():
    vocab = CharVocabulary()
    text = 'def f(x):\n    return x == "a", (1)'.replace("1", "y")
    assert vocab.decode(vocab.encode(text)) == text
    assert vocab.normalize("ABC") == "abc"


def test_case_is_kept_when_lowercase_is_off():
    vocab = CharVocabulary("abAB ", lowercase=False)
    assert vocab.decode(vocab.encode("aBc")) == "aB#"


def test_most_of_the_corpus_is_inside_the_default_vocabulary():
    vocab = CharVocabulary()
    ids = vocab.encode(pydoc_topics_text())
    assert np.mean(ids == vocab.placeholder_id) < 0.03
    assert np.all((ids >= 0) & (ids < vocab.size))
    assert len(np.unique(ids)) == vocab.size


@pytest.mark.parametrize("characters, placeholder, match", [
    ("abca", "#", "distinct"),
    ("abc", "a", "placeholder"),
    ("abc", "##", "placeholder"),
])
def test_bad_vocabularies_are_rejected_with_a_reason(characters, placeholder, match):
    with pytest.raises(ValueError, match=match):
        CharVocabulary(characters, placeholder)


def test_decode_rejects_ids_outside_the_vocabulary_and_encode_rejects_non_text():
    vocab = CharVocabulary()
    with pytest.raises(ValueError, match=r"\[0, 41\)"):
        vocab.decode([0, 41])
    with pytest.raises(ValueError, match="str"):
        vocab.encode(b"bytes")
