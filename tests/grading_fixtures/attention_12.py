"""Plausible wrong answers and alternative correct answers for the 12_attention assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: at least
five plausible wrong answers per part, each must lose points on its part only; ALTERNATIVES:
correct answers written the way other learners would, each must get full marks
(tests/test_grading_mutants.py). All map an answer cell's grade_id to complete
replacements for that cell.
"""

# --- Part 1: additive attention scores -------------------------------------------------

SCORES_NO_TANH = '''
def additive_scores(query, keys, W_a, U_a, v_a):
    return (query @ W_a.T + keys @ U_a.T) @ v_a
'''

SCORES_MUTANTS = [
    ("no-tanh", SCORES_NO_TANH),
    ("tanh-after-v_a", '''
def additive_scores(query, keys, W_a, U_a, v_a):
    return torch.tanh((query @ W_a.T + keys @ U_a.T) @ v_a)
'''),
    ("sum-instead-of-v_a", '''
def additive_scores(query, keys, W_a, U_a, v_a):
    return torch.tanh(query @ W_a.T + keys @ U_a.T).sum(-1)
'''),
    ("first-sentence-query-for-all", '''
def additive_scores(query, keys, W_a, U_a, v_a):
    return torch.tanh(query[0] @ W_a.T + keys @ U_a.T) @ v_a
'''),
    ("batch-major-output", '''
def additive_scores(query, keys, W_a, U_a, v_a):
    return (torch.tanh(query @ W_a.T + keys @ U_a.T) @ v_a).T
'''),
]

SCORES_ALTERNATIVES = [
    ("einsum", '''
def additive_scores(query, keys, W_a, U_a, v_a):
    hidden = torch.tanh(torch.einsum("ah,bh->ba", W_a, query)[None]
                        + torch.einsum("ac,sbc->sba", U_a, keys))
    return torch.einsum("sba,a->sb", hidden, v_a)
'''),
    ("loop-over-positions", '''
def additive_scores(query, keys, W_a, U_a, v_a):
    projected_query = query @ W_a.T                  # (B, A)
    rows = []
    for j in range(keys.shape[0]):
        rows.append(torch.tanh(projected_query + keys[j] @ U_a.T) @ v_a)
    return torch.stack(rows)
'''),
    ("float32-linear", '''
def additive_scores(query, keys, W_a, U_a, v_a):
    f = torch.nn.functional
    hidden = torch.tanh(f.linear(query.float(), W_a.float())
                        + f.linear(keys.float(), U_a.float()))
    return f.linear(hidden, v_a.float()[None]).squeeze(-1)
'''),
]

# --- Part 2: the masked softmax --------------------------------------------------------

SOFTMAX_NOT_RENORMALISED = '''
def masked_softmax(scores, lengths):
    mask = torch.arange(scores.shape[0])[:, None] < lengths[None, :]
    return scores.softmax(dim=0) * mask
'''

SOFTMAX_MUTANTS = [
    ("masked-after-the-softmax", SOFTMAX_NOT_RENORMALISED),
    ("off-by-one-mask", '''
def masked_softmax(scores, lengths):
    mask = torch.arange(scores.shape[0])[:, None] <= lengths[None, :]
    return scores.masked_fill(~mask, float("-inf")).softmax(dim=0)
'''),
    ("softmax-over-the-batch", '''
def masked_softmax(scores, lengths):
    mask = torch.arange(scores.shape[0])[:, None] < lengths[None, :]
    return scores.masked_fill(~mask, float("-inf")).softmax(dim=1)
'''),
    ("small-negative-mask", '''
def masked_softmax(scores, lengths):
    mask = torch.arange(scores.shape[0])[:, None] < lengths[None, :]
    return scores.masked_fill(~mask, -30.0).softmax(dim=0)
'''),
    ("exp-without-the-maximum", '''
def masked_softmax(scores, lengths):
    mask = torch.arange(scores.shape[0])[:, None] < lengths[None, :]
    e = torch.exp(scores) * mask
    return e / e.sum(0)
'''),
]

SOFTMAX_ALTERNATIVES = [
    ("shifted-exp-times-mask", '''
def masked_softmax(scores, lengths):
    mask = (torch.arange(scores.shape[0])[:, None] < lengths[None, :]).to(scores.dtype)
    shifted = scores.masked_fill(mask == 0, float("-inf"))
    top = shifted.max(dim=0, keepdim=True).values
    e = torch.exp(shifted - top) * mask
    return e / e.sum(dim=0, keepdim=True)
'''),
    ("log-sum-exp", '''
def masked_softmax(scores, lengths):
    mask = torch.arange(scores.shape[0])[:, None] < lengths[None, :]
    masked = torch.where(mask, scores, torch.full_like(scores, float("-inf")))
    return torch.exp(masked - torch.logsumexp(masked, dim=0, keepdim=True))
'''),
    ("loop-over-sentences", '''
def masked_softmax(scores, lengths):
    weights = torch.zeros_like(scores)
    for b in range(scores.shape[1]):
        n = int(lengths[b])
        weights[:n, b] = torch.softmax(scores[:n, b], dim=0)
    return weights
'''),
]

# --- Part 3: the context vector --------------------------------------------------------

CONTEXT_MEAN = '''
def context_vector(weights, keys):
    return (weights.unsqueeze(-1) * keys).mean(dim=0)
'''

CONTEXT_MUTANTS = [
    ("mean-instead-of-sum", CONTEXT_MEAN),
    ("weights-normalised-again", '''
def context_vector(weights, keys):
    weights = weights / weights.sum(dim=0, keepdim=True)
    return (weights.unsqueeze(-1) * keys).sum(dim=0)
'''),
    ("summed-over-the-batch", '''
def context_vector(weights, keys):
    return (weights.unsqueeze(-1) * keys).sum(dim=1)
'''),
    ("unweighted-sum", '''
def context_vector(weights, keys):
    return keys.sum(dim=0)
'''),
    ("weights-squared", '''
def context_vector(weights, keys):
    return (weights.unsqueeze(-1) ** 2 * keys).sum(dim=0)
'''),
]

CONTEXT_ALTERNATIVES = [
    ("einsum", '''
def context_vector(weights, keys):
    return torch.einsum("sb,sbc->bc", weights, keys)
'''),
    ("batched-matrix-product", '''
def context_vector(weights, keys):
    # (B, 1, S) @ (B, S, C) -> (B, 1, C)
    return torch.bmm(weights.T.unsqueeze(1), keys.transpose(0, 1)).squeeze(1)
'''),
    ("loop", '''
def context_vector(weights, keys):
    out = torch.zeros(keys.shape[1], keys.shape[2], dtype=keys.dtype)
    for j in range(keys.shape[0]):
        out += weights[j][:, None] * keys[j]
    return out
'''),
]

# --- Part 4: train an attention model --------------------------------------------------


def _attention_model(context="attention", cell="gru", hidden=32, steps=200, lr=0.02,
                     loss="lambda m, batch: m.loss(batch)", batch=64):
    return f'''
def train_attention_model(train_pairs, src_vocab, tgt_vocab, seed):
    torch.manual_seed(seed)
    model = s2s.Seq2Seq(len(src_vocab), len(tgt_vocab), embedding_size=16,
                        hidden_size={hidden}, cell="{cell}", bidirectional=True,
                        context="{context}")
    pairs = s2s.pair_tensors(train_pairs, src_vocab, tgt_vocab)
    history = train(model, {loss},
                    tensor_batches(*pairs, batch_size={batch}, dim=(1, 0, 1, 1)),
                    steps={steps}, lr={lr}, clip=1.0, seed=seed, progress=False)
    return model, history
'''


# the minibatches are tuples (src, src_lengths, tgt_in, tgt_out)
READS_ITS_TARGET = "lambda m, b: s2s.sequence_loss(m(b[0], b[1], b[3]), b[3])"

TRAINING_MUTANTS = [
    ("no-attention-fixed-context", _attention_model(context="fixed")),
    ("decoder-reads-the-word-it-predicts", _attention_model(loss=READS_ITS_TARGET)),
    ("twenty-steps", _attention_model(steps=20)),
    ("learning-rate-1e-4", _attention_model(lr=1e-4)),
    ("four-hidden-units", _attention_model(hidden=4)),
]

TRAINING_ALTERNATIVES = [
    ("lstm-cells", _attention_model(cell="lstm")),
    ("own-cross-entropy-learning-rate-0.01-300-steps", _attention_model(
        lr=0.01, steps=300,
        loss=("lambda m, b: torch.nn.functional.cross_entropy("
              "m(b[0], b[1], b[2]).flatten(0, 1), b[3].flatten(), "
              "ignore_index=s2s.PAD)"))),
    ("wider-64-units", _attention_model(hidden=64, steps=150, lr=0.01)),
]

WRONG_ANSWERS = {
    "additive_scores": SCORES_NO_TANH,
    "masked_softmax": SOFTMAX_NOT_RENORMALISED,
    "context_vector": CONTEXT_MEAN,
    "train_attention_model": _attention_model(context="fixed"),
}

MUTANTS = {
    "additive_scores": SCORES_MUTANTS,
    "masked_softmax": SOFTMAX_MUTANTS,
    "context_vector": CONTEXT_MUTANTS,
    "train_attention_model": TRAINING_MUTANTS,
}

ALTERNATIVES = {
    "additive_scores": SCORES_ALTERNATIVES,
    "masked_softmax": SOFTMAX_ALTERNATIVES,
    "context_vector": CONTEXT_ALTERNATIVES,
    "train_attention_model": TRAINING_ALTERNATIVES,
}
