"""Encoder–decoder networks with and without additive attention, and how to decode them.

The encoder–decoder of Cho et al. (2014) and Sutskever, Vinyals & Le (2014) reads the
source sentence x_1 ... x_S into states h_1 ... h_S and hands a summary of them to a
second RNN, the decoder, which writes the target y_1 ... y_T one word at a time.
Bahdanau, Cho & Bengio (2014) let the decoder look back at every source state: before
writing y_i it scores each annotation h_j against its previous state s_{i-1},

    e_ij = v_aᵀ tanh(W_a s_{i-1} + U_a h_j),     α_ij = softmax_j(e_ij),
    ctx_i = Σ_j α_ij h_j,

(``W_a``, ``U_a``, ``v_a`` are the attention's own weights, Bahdanau's names; they are
not the recurrent weights of any RNN.) The book writes the context vector ``ctx_i``
because c_t is the LSTM cell state. One decoder step of :class:`Seq2Seq` is then

    s_i = RNN([E y_{i-1}; ctx_i], s_{i-1}),    ℓ_i = W_hy [s_i; ctx_i; E y_{i-1}] + b_y,

with ℓ_i the logits of y_i. Without attention ``ctx_i = ctx`` is the same summary at
every step, the encoder's final states (Cho et al.'s layout: the summary enters every
step). The decoder starts from s_0 = tanh(W_s ctx + b_s) in both cases.

Shapes are time-major: a source batch ``src`` is (S, B) word ids padded with
:data:`PAD`, with ``src_lengths`` (B,); a target batch is (T, B). The encoder packs the
padded batch (``pack_padded_sequence``), so padding never reaches a state, and the
attention gives padded positions weight exactly 0: a sentence gets the same
translation alone and in any batch.

Decoding: :func:`greedy_decode` takes the most probable word at every step;
:func:`beam_search` keeps the ``beam_size`` most probable partial translations and
returns the finished one with the best length-normalised score
log p(y | x) / |y|^α.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

__all__ = [
    "PAD", "BOS", "EOS", "Vocabulary", "Batch", "make_batch", "pair_tensors",
    "Encoder", "masked_softmax", "AdditiveAttention", "Memory", "Seq2Seq",
    "sequence_loss", "sequence_nll", "greedy_decode", "beam_search",
    "translate", "bleu", "perplexity", "sequence_log_prob", "decoding_log_probs",
]

PAD, BOS, EOS = 0, 1, 2
SPECIALS = ("<pad>", "<s>", "</s>")
CELLS = {"gru": nn.GRU, "lstm": nn.LSTM}


# --------------------------------------------------------------------------------------
# Words and batches
# --------------------------------------------------------------------------------------

class Vocabulary:
    """Word ids: 0 padding, 1 start of sentence, 2 end of sentence, then the words."""

    def __init__(self, words):
        self.words = list(SPECIALS) + [w for w in words if w not in SPECIALS]
        self.index = {w: k for k, w in enumerate(self.words)}

    def __len__(self):
        return len(self.words)

    def encode(self, words):
        try:
            return [self.index[w] for w in words]
        except KeyError as error:
            word = error.args[0]
            raise ValueError(f"word {word!r} is not in the vocabulary") from None

    def decode(self, ids):
        """Words of ``ids`` up to the first end-of-sentence, without special ids."""
        out = []
        for k in ids:
            k = int(k)
            if k == EOS:
                break
            if k not in (PAD, BOS):
                out.append(self.words[k])
        return out


class Batch(NamedTuple):
    """A padded batch. src: (S, B); src_lengths: (B,); tgt_in: (T, B), the targets
    shifted right behind BOS (the decoder's inputs under teacher forcing); tgt_out:
    (T, B), the targets followed by EOS. Padding is PAD."""
    src: torch.Tensor
    src_lengths: torch.Tensor
    tgt_in: torch.Tensor
    tgt_out: torch.Tensor


def _pad(sequences, length=None):
    length = length or max(len(s) for s in sequences)
    out = torch.full((length, len(sequences)), PAD, dtype=torch.long)
    for b, s in enumerate(sequences):
        out[:len(s), b] = torch.as_tensor(s, dtype=torch.long)
    return out


def make_batch(pairs, src_vocab, tgt_vocab, reverse_source=False):
    """A :class:`Batch` from (source words, target words) pairs (or objects with
    ``.source`` and ``.target``). reverse_source: feed each source sentence backwards
    (Sutskever et al.'s trick); the padding stays at the end."""
    sources, targets = [], []
    for p in pairs:
        source, target = (p.source, p.target) if hasattr(p, "source") else p
        ids = src_vocab.encode(source)
        sources.append(ids[::-1] if reverse_source else ids)
        targets.append(tgt_vocab.encode(target))
    if not sources or min(len(s) for s in sources) == 0:
        raise ValueError("every source sentence needs at least one word")
    return Batch(_pad(sources), torch.tensor([len(s) for s in sources]),
                 _pad([[BOS] + t for t in targets]), _pad([t + [EOS] for t in targets]))


def pair_tensors(pairs, src_vocab, tgt_vocab, reverse_source=False):
    """All pairs as one :class:`Batch`, for ``rnncourse.train.tensor_batches(*batch,
    batch_size=..., dim=(1, 0, 1, 1))``; :meth:`Seq2Seq.loss` trims each minibatch to
    its own longest sentence."""
    return make_batch(pairs, src_vocab, tgt_vocab, reverse_source)


def _check_batch(src, src_lengths):
    if src.dim() != 2:
        raise ValueError(f"src must have shape (S, B), got {tuple(src.shape)}")
    if src_lengths.shape != (src.shape[1],):
        raise ValueError(f"src_lengths must have shape (B,) = ({src.shape[1]},), got "
                         f"{tuple(src_lengths.shape)}")
    if len(src_lengths) and (src_lengths.min() < 1 or src_lengths.max() > src.shape[0]):
        raise ValueError(f"src_lengths must be between 1 and S = {src.shape[0]}, got "
                         f"{src_lengths.tolist()}")


# --------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------

class Encoder(nn.Module):
    """Embedding and a GRU or LSTM over the padded source, packed.

    forward(src (S, B), src_lengths (B,)) returns the annotations (S, B, C), zero at
    padded positions, with C = H or 2H (bidirectional: [forward h_j; backward h_j]);
    the summary (B, C): the last forward state and, if bidirectional, the last
    backward state (the one at the first word); and the RNN's final state as
    torch.nn returns it ((directions, B, H), for the LSTM a pair (h_n, c_n)).
    """

    def __init__(self, vocab_size, embedding_size, hidden_size, cell="gru",
                 bidirectional=False):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=PAD)
        self.rnn = CELLS[cell](embedding_size, hidden_size, bidirectional=bidirectional)
        self.output_size = hidden_size * (2 if bidirectional else 1)

    def forward(self, src, src_lengths):
        _check_batch(src, src_lengths)
        packed = pack_padded_sequence(self.embedding(src), src_lengths.cpu(),
                                      enforce_sorted=False)
        outputs, final = self.rnn(packed)
        outputs, _ = pad_packed_sequence(outputs, total_length=src.shape[0])
        h_n = final[0] if isinstance(final, tuple) else final   # (directions, B, H)
        return outputs, torch.cat(list(h_n), dim=-1), final


def masked_softmax(scores, mask, dim=0):
    """softmax of ``scores`` along ``dim`` over the positions where ``mask`` is True;
    masked positions get weight exactly 0. scores, mask: the same shape; every slice
    along ``dim`` needs at least one True."""
    if scores.shape != mask.shape:
        raise ValueError(f"scores and mask must have the same shape, got "
                         f"{tuple(scores.shape)} and {tuple(mask.shape)}")
    return scores.masked_fill(~mask, float("-inf")).softmax(dim)


class AdditiveAttention(nn.Module):
    """Bahdanau et al.'s additive attention, e_j = v_aᵀ tanh(W_a s + U_a h_j).

    query_size: width of the decoder state s; key_size: width C of the annotations
    h_j; attention_size: width A of the hidden layer of the scoring network.
    """

    def __init__(self, query_size, key_size, attention_size):
        super().__init__()
        self.W_a = nn.Linear(query_size, attention_size, bias=False)
        self.U_a = nn.Linear(key_size, attention_size, bias=False)
        self.v_a = nn.Linear(attention_size, 1, bias=False)

    def project_keys(self, keys):
        """U_a h_j for every annotation, (S, B, A): computed once per sentence."""
        return self.U_a(keys)

    def scores(self, query, projected_keys):
        """e_j for every source position: query (B, H_s), projected_keys (S, B, A) ->
        (S, B)."""
        return self.v_a(torch.tanh(self.W_a(query) + projected_keys)).squeeze(-1)

    def forward(self, query, keys, mask, projected_keys=None):
        """query: (B, H_s) the decoder state s_{i-1}; keys: (S, B, C) the annotations;
        mask: (S, B) True at real (not padded) positions.
        Returns the context vector (B, C) and the weights α (S, B), each column summing
        to 1 and exactly 0 at padding."""
        if projected_keys is None:
            projected_keys = self.project_keys(keys)
        weights = masked_softmax(self.scores(query, projected_keys), mask, dim=0)
        return (weights.unsqueeze(-1) * keys).sum(0), weights


def _select_state(state, index):
    if isinstance(state, tuple):
        return tuple(s[:, index] for s in state)
    return state[:, index]


class Memory(NamedTuple):
    """What the decoder reads from the encoder: annotations (S, B, C), U_a h_j
    (S, B, A) or None, mask (S, B), summary ctx (B, C), and the encoder's final state
    (as torch.nn returns it)."""
    annotations: torch.Tensor
    projected: torch.Tensor | None
    mask: torch.Tensor
    summary: torch.Tensor
    final: torch.Tensor | tuple

    def select(self, index):
        """The memory of the batch entries ``index`` (B',), e.g. repeated for a beam."""
        return Memory(self.annotations[:, index],
                      None if self.projected is None else self.projected[:, index],
                      self.mask[:, index], self.summary[index],
                      _select_state(self.final, index))


CONTEXTS = ("initial", "fixed", "attention")


class Seq2Seq(nn.Module):
    """An RNN encoder–decoder in one of three layouts, ``context``:

    * ``"initial"`` (Sutskever et al. 2014): the decoder starts from the encoder's final
      state (for the LSTM both h and c) and reads nothing else from the source;
      ctx_i is empty. Needs a one-directional encoder.
    * ``"fixed"`` (Cho et al. 2014): s_0 = tanh(W_s ctx + b_s) and the summary ctx
      enters every step, ctx_i = ctx.
    * ``"attention"`` (Bahdanau et al. 2014): as "fixed", but ctx_i is the attention's
      context vector for step i.

    src_vocab_size, tgt_vocab_size: vocabulary sizes (id 0 is padding);
    embedding_size E; hidden_size H of encoder (per direction) and decoder;
    cell: "gru" or "lstm" (both networks); bidirectional: the encoder reads both
    ways; attention_size A (default H).

    Parameters: ``encoder`` (:class:`Encoder`), ``embedding`` (target words, (K, E)),
    ``bridge`` (W_s, b_s; None for "initial"), ``rnn`` (the decoder, input
    [E y_{i-1}; ctx_i]), ``attention`` (:class:`AdditiveAttention` or None),
    ``output`` (W_hy, b_y).
    """

    def __init__(self, src_vocab_size, tgt_vocab_size, embedding_size=32,
                 hidden_size=64, cell="gru", bidirectional=True, context="attention",
                 attention_size=None):
        super().__init__()
        if context not in CONTEXTS:
            raise ValueError(f"context must be one of {CONTEXTS}, got {context!r}")
        if context == "initial" and bidirectional:
            raise ValueError('context="initial" hands the encoder\'s final state to '
                             "the decoder: it needs bidirectional=False")
        self.encoder = Encoder(src_vocab_size, embedding_size, hidden_size, cell,
                               bidirectional)
        C = self.encoder.output_size
        C_in = 0 if context == "initial" else C
        self.cell, self.context, self.hidden_size = cell, context, hidden_size
        self.embedding = nn.Embedding(tgt_vocab_size, embedding_size, padding_idx=PAD)
        self.bridge = nn.Linear(C, hidden_size) if context != "initial" else None
        self.rnn = CELLS[cell](embedding_size + C_in, hidden_size)
        self.attention = (
            AdditiveAttention(hidden_size, C, attention_size or hidden_size)
            if context == "attention" else None
        )
        self.output = nn.Linear(hidden_size + C_in + embedding_size, tgt_vocab_size)

    # -- the pieces --------------------------------------------------------------------
    def encode(self, src, src_lengths):
        """The :class:`Memory` of a source batch."""
        annotations, summary, final = self.encoder(src, src_lengths)
        mask = (torch.arange(src.shape[0], device=src.device)[:, None]
                < src_lengths.to(src.device)[None, :])
        projected = (self.attention.project_keys(annotations)
                     if self.attention is not None else None)
        return Memory(annotations, projected, mask, summary, final)

    def initial_state(self, memory):
        """s_0: the encoder's final state ("initial"), else tanh(W_s ctx + b_s),
        (1, B, H) (an LSTM's cell state then starts at 0)."""
        if self.context == "initial":
            return memory.final
        s0 = torch.tanh(self.bridge(memory.summary)).unsqueeze(0)
        return (s0, torch.zeros_like(s0)) if self.cell == "lstm" else s0

    def _context(self, state, memory):
        """ctx_i (B, C) and the attention weights (S, B) or None."""
        if self.context == "attention":
            query = state[0] if isinstance(state, tuple) else state    # s_{i-1}
            return self.attention(query[0], memory.annotations, memory.mask,
                                  memory.projected)
        if self.context == "fixed":
            return memory.summary, None
        return memory.summary[:, :0], None

    def step(self, y_prev, state, memory):
        """One decoder step: y_prev (B,) the previous words, state s_{i-1} ((1, B, H),
        or a pair for the LSTM). Returns logits ℓ_i (B, K), the new state and the
        attention weights α_i (S, B) (None without attention)."""
        embedded = self.embedding(y_prev)
        context, weights = self._context(state, memory)
        out, state = self.rnn(torch.cat([embedded, context], -1).unsqueeze(0), state)
        logits = self.output(torch.cat([out[0], context, embedded], -1))
        return logits, state, weights

    def reorder_state(self, state, index):
        """The decoder state of the batch entries ``index`` (for beam search)."""
        return _select_state(state, index)

    # -- teacher forcing ---------------------------------------------------------------
    def forward(self, src, src_lengths, tgt_in, return_attention=False):
        """Logits (T, B, K) for every target position, the decoder reading the true
        previous words ``tgt_in`` (T, B) (teacher forcing). With return_attention, also
        the weights (T, S, B) (None without attention)."""
        if tgt_in.dim() != 2 or tgt_in.shape[1] != src.shape[1]:
            raise ValueError(f"tgt_in must have shape (T, B) with B = {src.shape[1]}, "
                             f"got {tuple(tgt_in.shape)}")
        memory = self.encode(src, src_lengths)
        state = self.initial_state(memory)
        if self.attention is None:      # the context is fixed: one call for all steps
            embedded = self.embedding(tgt_in)
            context = self._context(state, memory)[0].expand(tgt_in.shape[0], -1, -1)
            out, _ = self.rnn(torch.cat([embedded, context], -1), state)
            logits = self.output(torch.cat([out, context, embedded], -1))
            return (logits, None) if return_attention else logits
        logits, weights = [], []
        for y_prev in tgt_in:
            step_logits, state, alpha = self.step(y_prev, state, memory)
            logits.append(step_logits)
            weights.append(alpha)
        logits = torch.stack(logits)
        return (logits, torch.stack(weights)) if return_attention else logits

    def loss(self, batch):
        """The teacher-forced loss of a :class:`Batch`, trimmed to its longest sentences
        (``loss_fn`` for ``rnncourse.train.train``)."""
        src, src_lengths, tgt_in, tgt_out = batch
        S = int(src_lengths.max())
        T = int((tgt_out != PAD).sum(0).max())
        logits = self(src[:S], src_lengths, tgt_in[:T])
        return sequence_loss(logits, tgt_out[:T])


# --------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------

def sequence_nll(logits, targets, pad=PAD):
    """Summed negative log-likelihood of the non-padding targets and their count.
    logits: (T, B, K); targets: (T, B). Returns (nll, n_tokens), a scalar tensor and an
    int."""
    if logits.dim() != 3 or logits.shape[:2] != targets.shape:
        raise ValueError(f"logits must be (T, B, K) and targets (T, B) with the same T "
                         f"and B, got {tuple(logits.shape)} and {tuple(targets.shape)}")
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                          ignore_index=pad, reduction="sum")
    return nll, int((targets != pad).sum())


def sequence_loss(logits, targets, pad=PAD):
    """Mean cross-entropy over the target tokens that are not padding: padded positions
    contribute nothing, and every real token counts once whatever its sentence's
    length."""
    nll, n = sequence_nll(logits, targets, pad)
    return nll / max(n, 1)


@torch.no_grad()
def sequence_log_prob(model, src, src_lengths, targets):
    """log p(y | x) of whole target sequences as decoding scores them (with
    :func:`decoding_log_probs`): targets (T, B), each ending in EOS or cut off, padded
    after. Returns (B,)."""
    tgt_in = torch.cat([torch.full_like(targets[:1], BOS), targets[:-1]])
    logp = decoding_log_probs(model(src, src_lengths, tgt_in))
    picked = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    return picked.masked_fill(targets == PAD, 0.0).sum(0)


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------

def decoding_log_probs(logits):
    """log-probabilities of the next word (B, K) for decoding: PAD and BOS are never
    produced (they are inputs, not outputs), so they get probability 0 and the other
    words share all of it."""
    return logits.index_fill(-1, torch.tensor([PAD, BOS], device=logits.device),
                             float("-inf")).log_softmax(-1)


@torch.no_grad()
def greedy_decode(model, src, src_lengths, max_length, return_attention=False):
    """The most probable word at every step (never PAD or BOS, see
    :func:`decoding_log_probs`), until EOS or ``max_length`` words.

    Returns a list of B id lists (EOS included when it was produced) and, with
    return_attention, a list of B tensors (T_b, S_b) of attention weights, one row per
    produced word (None without attention).
    """
    model.eval()
    memory = model.encode(src, src_lengths)
    state = model.initial_state(memory)
    B = src.shape[1]
    y = torch.full((B,), BOS, dtype=torch.long, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    words, weights = [], []
    for _ in range(max_length):
        logits, state, alpha = model.step(y, state, memory)
        y = decoding_log_probs(logits).argmax(-1)
        words.append(y)
        weights.append(alpha)
        done = done | (y == EOS)
        if bool(done.all()):
            break
    words = torch.stack(words, 1).tolist()              # (B, steps)
    out = []
    for seq in words:
        out.append(seq[:seq.index(EOS) + 1] if EOS in seq else seq)
    if not return_attention:
        return out
    if model.attention is None:
        return out, None
    stacked = torch.stack(weights)                      # (steps, S, B)
    lengths = src_lengths.tolist()
    return out, [stacked[:len(out[b]), :lengths[b], b] for b in range(B)]


@torch.no_grad()
def beam_search(model, src, src_lengths, beam_size, max_length, length_penalty=1.0):
    """Beam search: the ``beam_size`` most probable partial translations are kept.

    At every step each kept hypothesis is extended by every word (but PAD and BOS, see
    :func:`decoding_log_probs`) and the
    ``beam_size`` extensions with the highest log-probability log p(y_1..y_i | x)
    are kept, for each sentence separately. An extension that ends with EOS is
    finished: it leaves the beam and is scored by log p(y | x) / |y|^α (|y| counts the
    EOS; α = ``length_penalty``, 0 for raw log-probabilities). A hypothesis still open
    after ``max_length`` words finishes there. The answer is the finished hypothesis
    with the best score. The search of a sentence ends early only when no open
    hypothesis can still beat its best finished one (log-probabilities only fall, so
    an open hypothesis with log-probability L can reach at most L / max_length^α):
    the answer is the same as without stopping.

    With beam_size = 1 this is greedy decoding; with a beam as wide as the number of
    possible sequences it is exact search.
    Returns (sequences, scores): B id lists (EOS included where produced) and a (B,)
    tensor of their scores.
    """
    if int(beam_size) != beam_size or beam_size < 1:
        raise ValueError(f"beam_size must be a positive integer, got {beam_size!r}")
    if int(max_length) != max_length or max_length < 1:
        raise ValueError(f"max_length must be a positive integer, got {max_length!r}")
    model.eval()
    B, k = src.shape[1], int(beam_size)
    memory = model.encode(src, src_lengths)
    repeat = torch.arange(B, device=src.device).repeat_interleave(k)
    memory = memory.select(repeat)                      # (.., B * k, ..)
    state = model.initial_state(memory)
    dtype = memory.summary.dtype
    scores = torch.full((B, k), float("-inf"), dtype=dtype, device=src.device)
    scores[:, 0] = 0.0                                  # one open hypothesis to start
    sequences = torch.zeros(B, k, 0, dtype=torch.long, device=src.device)
    y = torch.full((B * k,), BOS, dtype=torch.long, device=src.device)
    best = torch.full((B,), float("-inf"), dtype=dtype, device=src.device)
    best_seq = [[] for _ in range(B)]
    offsets = (torch.arange(B, device=src.device) * k)[:, None]
    for i in range(1, max_length + 1):
        logits, state, _ = model.step(y, state, memory)
        logp = decoding_log_probs(logits).view(B, k, -1)
        K = logp.shape[-1]
        candidates = (scores[:, :, None] + logp).view(B, k * K)
        top, index = candidates.topk(min(k, k * K), dim=1)
        origin, word = index // K, index % K
        sequences = torch.cat([sequences.gather(1, origin[:, :, None].expand(
            -1, -1, sequences.shape[2])), word[:, :, None]], 2)
        state = model.reorder_state(state, (offsets + origin).view(-1))
        # a hypothesis still open after max_length words finishes there
        finished = word == EOS if i < max_length else torch.ones_like(word) > 0
        finished &= top > float("-inf")
        normalised = top / i ** length_penalty
        candidate = normalised.masked_fill(~finished, float("-inf"))
        value, slot = candidate.max(1)
        for b in torch.nonzero(value > best).flatten().tolist():
            best[b] = value[b]
            best_seq[b] = sequences[b, slot[b]].tolist()
        scores = top.masked_fill(word == EOS, float("-inf"))
        y = word.view(-1)
        open_best = scores.max(1).values
        if bool((open_best / max_length ** length_penalty <= best).all()):
            break
    return best_seq, best


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------

def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def translate(model, pairs, src_vocab, tgt_vocab, beam_size=1, reverse_source=False,
              max_length=None, length_penalty=1.0, batch_size=256):
    """Translations (lists of words) of the pairs' sources: greedy for beam_size = 1,
    else beam search. max_length: the most words per translation (default: twice the
    source length plus 5, for the longest source of each batch)."""
    out = []
    for chunk in _chunks(list(pairs), batch_size):
        batch = make_batch(chunk, src_vocab, tgt_vocab, reverse_source)
        limit = max_length or 2 * int(batch.src_lengths.max()) + 5
        if beam_size == 1:
            ids = greedy_decode(model, batch.src, batch.src_lengths, limit)
        else:
            ids, _ = beam_search(model, batch.src, batch.src_lengths, beam_size, limit,
                                 length_penalty)
        out += [tgt_vocab.decode(seq) for seq in ids]
    return out


def bleu(hypotheses, references):
    """Corpus BLEU (0-100) with sacrebleu's standard settings (4-grams, brevity
    penalty, its default tokeniser): hypotheses and references are lists of word
    lists, one reference per sentence."""
    import sacrebleu

    if len(hypotheses) != len(references):
        raise ValueError(f"one reference per hypothesis: got {len(hypotheses)} "
                         f"hypotheses and {len(references)} references")
    return sacrebleu.corpus_bleu([" ".join(h) for h in hypotheses],
                                 [[" ".join(r) for r in references]]).score


@torch.no_grad()
def perplexity(model, pairs, src_vocab, tgt_vocab, reverse_source=False,
               batch_size=256):
    """exp(mean negative log-likelihood per target token, EOS included) under
    teacher forcing."""
    model.eval()
    total, count = 0.0, 0
    for chunk in _chunks(list(pairs), batch_size):
        b = make_batch(chunk, src_vocab, tgt_vocab, reverse_source)
        nll, n = sequence_nll(model(b.src, b.src_lengths, b.tgt_in), b.tgt_out)
        total, count = total + float(nll), count + n
    return math.exp(total / count)
