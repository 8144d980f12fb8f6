"""Plausible wrong answers and alternative correct answers for the 11_seq2seq assignment.

WRONG_ANSWERS: one per autograded part (tests/test_grading_pipeline.py); MUTANTS: at least
five plausible wrong answers per part, each must lose points on its part only; ALTERNATIVES:
correct answers written the way other learners would, each must get full marks
(tests/test_grading_mutants.py). All map an answer cell's grade_id to complete
replacements for that cell.
"""

# --- Part 1: the teacher-forced masked loss --------------------------------------------

LOSS_MEAN_OVER_ALL = '''
def masked_sequence_loss(logits, targets, pad_id):
    K = logits.shape[-1]
    return torch.nn.functional.cross_entropy(logits.reshape(-1, K), targets.reshape(-1))
'''

LOSS_MUTANTS = [
    ("mean-over-padding-too", LOSS_MEAN_OVER_ALL),
    ("mean-of-sentence-means", '''
def masked_sequence_loss(logits, targets, pad_id):
    log_probs = torch.log_softmax(logits, dim=-1)
    picked = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    real = (targets != pad_id).double()
    per_sentence = -(picked * real).sum(0) / real.sum(0)
    return per_sentence.mean()
'''),
    ("padding-is-always-zero", '''
def masked_sequence_loss(logits, targets, pad_id):
    log_probs = torch.log_softmax(logits, dim=-1)
    picked = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    real = targets != 0
    return -(picked * real).sum() / real.sum()
'''),
    ("raw-logits-no-log-softmax", '''
def masked_sequence_loss(logits, targets, pad_id):
    picked = logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    real = targets != pad_id
    return -(picked * real).sum() / real.sum()
'''),
    ("detached-float", '''
def masked_sequence_loss(logits, targets, pad_id):
    log_probs = torch.log_softmax(logits, dim=-1)
    picked = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    real = targets != pad_id
    return torch.tensor((-(picked * real).sum() / real.sum()).item())
'''),
]

LOSS_ALTERNATIVES = [
    ("cross-entropy-ignore-index", '''
def masked_sequence_loss(logits, targets, pad_id):
    K = logits.shape[-1]
    return torch.nn.functional.cross_entropy(
        logits.reshape(-1, K), targets.reshape(-1), ignore_index=pad_id)
'''),
    ("loop-over-tokens", '''
def masked_sequence_loss(logits, targets, pad_id):
    terms = []
    T, B = targets.shape
    for i in range(T):
        for b in range(B):
            y = int(targets[i, b])
            if y != pad_id:
                terms.append(-torch.log_softmax(logits[i, b], dim=0)[y])
    return torch.stack(terms).mean()
'''),
    ("float32-masked-select", '''
def masked_sequence_loss(logits, targets, pad_id):
    real = targets != pad_id
    log_probs = torch.log_softmax(logits.float(), dim=-1)
    picked = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    return -torch.masked_select(picked, real).mean()
'''),
]

# --- Part 2: greedy decoding -----------------------------------------------------------

GREEDY = '''
def greedy_decode(step, state, bos_id, eos_id, max_length):
    words, word = [], bos_id
    for _ in range(max_length):
        log_probs, state = step(word, state)
        word = int(torch.argmax(log_probs))
        words.append(word)
        if word == eos_id:
            break
    return words
'''


def _greedy(old, new):
    """The correct greedy decoder with one piece changed."""
    assert old in GREEDY, old
    return GREEDY.replace(old, new)


GREEDY_NO_STOP = _greedy("        if word == eos_id:\n            break\n", "")

GREEDY_MUTANTS = [
    ("does-not-stop-at-eos", GREEDY_NO_STOP),
    ("drops-the-end-word", _greedy(
        "        words.append(word)\n        if word == eos_id:\n            break\n",
        "        if word == eos_id:\n            break\n        words.append(word)\n")),
    ("always-feeds-bos", _greedy("step(word, state)", "step(bos_id, state)")),
    ("one-word-too-many", _greedy("range(max_length)", "range(max_length + 1)")),
    ("state-never-updated", _greedy("log_probs, state = step", "log_probs, _ = step")),
]

GREEDY_ALTERNATIVES = [
    ("while-loop-torch-max", '''
def greedy_decode(step, state, bos_id, eos_id, max_length):
    words = []
    previous = bos_id
    while len(words) < max_length:
        log_probs, state = step(previous, state)
        previous = torch.max(log_probs, dim=0).indices.item()
        words.append(previous)
        if previous == eos_id:
            return words
    return words
'''),
    ("topk-one", '''
def greedy_decode(step, state, bos_id, eos_id, max_length):
    out = [bos_id]
    for _ in range(max_length):
        log_probs, state = step(out[-1], state)
        out.append(int(log_probs.topk(1).indices[0]))
        if out[-1] == eos_id:
            break
    return out[1:]
'''),
    ("python-max-over-a-list", '''
def greedy_decode(step, state, bos_id, eos_id, max_length):
    words, word = [], bos_id
    for _ in range(max_length):
        log_probs, state = step(word, state)
        values = log_probs.tolist()
        word = max(range(len(values)), key=values.__getitem__)
        words.append(word)
        if word == eos_id:
            break
    return words
'''),
]

# --- Part 3: beam search ---------------------------------------------------------------

BEAM = '''
def beam_search(step, state, bos_id, eos_id, beam_size, max_length, alpha):
    open_hyps, finished = [([], 0.0, state)], []
    for _ in range(max_length):
        if not open_hyps:
            break
        extensions = []
        for words, logp, st in open_hyps:
            log_probs, new = step(words[-1] if words else bos_id, st)
            extensions += [(logp + v, words + [w], new)
                           for w, v in enumerate(log_probs.tolist())]
        extensions.sort(key=lambda e: e[0], reverse=True)
        open_hyps = []
        for logp, words, new in extensions[:beam_size]:
            if words[-1] == eos_id:
                finished.append((words, logp))
            else:
                open_hyps.append((words, logp, new))
    finished += [(w, lp) for w, lp, _ in open_hyps]
    scored = [(logp / len(words) ** alpha, words) for words, logp in finished]
    score, words = max(scored, key=lambda s: s[0])
    return words, float(score)
'''


def _beam(*changes):
    """The correct beam search with some pieces changed: (old, new) pairs."""
    source = BEAM
    for old, new in changes:
        assert old in source, old
        source = source.replace(old, new)
    return source


NORMALISED = "logp / len(words) ** alpha"
BEAM_NO_NORMALISATION = _beam((NORMALISED, "logp"))

BEAM_MUTANTS = [
    ("no-length-normalisation", BEAM_NO_NORMALISATION),
    ("length-without-the-end-word", _beam(
        (NORMALISED, "logp / max(1, len(words) - (words[-1] == eos_id)) ** alpha"))),
    ("hypotheses-open-at-max-length-are-dropped", _beam(
        ("    finished += [(w, lp) for w, lp, _ in open_hyps]\n", ""))),
    ("finished-hypotheses-take-no-slot", _beam(
        ("in extensions[:beam_size]:", "in extensions:"),
        ("            else:\n                open_hyps.append",
         "            elif len(open_hyps) < beam_size:\n                open_hyps.append"))),
    ("returns-the-first-finished", _beam(
        ("finished.append((words, logp))",
         "return words, float(logp / len(words) ** alpha)"))),
]

BEAM_ALTERNATIVES = [
    ("heapq-nlargest", '''
import heapq


def beam_search(step, state, bos_id, eos_id, beam_size, max_length, alpha):
    beam = [(0.0, [], state)]
    done = []
    for _ in range(max_length):
        if not beam:
            break
        candidates = []
        for logp, words, st in beam:
            log_probs, new = step(words[-1] if words else bos_id, st)
            for w in range(log_probs.shape[0]):
                candidates.append((logp + float(log_probs[w]), words + [w], new))
        best = heapq.nlargest(beam_size, candidates, key=lambda c: c[0])
        beam = [c for c in best if c[1][-1] != eos_id]
        done += [(c[0], c[1]) for c in best if c[1][-1] == eos_id]
    done += [(c[0], c[1]) for c in beam]
    best_score, best_words = None, None
    for logp, words in done:
        score = logp / len(words) ** alpha
        if best_score is None or score > best_score:
            best_score, best_words = score, words
    return best_words, float(best_score)
'''),
    ("one-topk-over-all-extensions", '''
def beam_search(step, state, bos_id, eos_id, beam_size, max_length, alpha):
    seqs, states = [[]], [state]
    scores = torch.zeros(1, dtype=torch.float64)
    finished = []
    for _ in range(max_length):
        if not seqs:
            break
        rows, new_states = [], []
        for words, st in zip(seqs, states):
            lp, new = step(words[-1] if words else bos_id, st)
            rows.append(lp.double())
            new_states.append(new)
        total = scores[:, None] + torch.stack(rows)          # (open, K)
        K = total.shape[1]
        top = torch.topk(total.flatten(), min(beam_size, total.numel()))
        kept, kept_scores, kept_states = [], [], []
        for value, index in zip(top.values.tolist(), top.indices.tolist()):
            h, w = divmod(index, K)
            words = seqs[h] + [w]
            if w == eos_id:
                finished.append((words, value))
            else:
                kept.append(words)
                kept_scores.append(value)
                kept_states.append(new_states[h])
        seqs, states = kept, kept_states
        scores = torch.tensor(kept_scores, dtype=torch.float64)
    finished += list(zip(seqs, scores.tolist()))
    words, score = max(((w, lp / len(w) ** alpha) for w, lp in finished),
                       key=lambda x: x[1])
    return words, float(score)
'''),
    ("scores-in-a-dict", '''
def beam_search(step, state, bos_id, eos_id, beam_size, max_length, alpha):
    alive = {(): (0.0, state)}
    ended = {}
    for _ in range(max_length):
        if not alive:
            break
        options = {}
        for words, (logp, st) in alive.items():
            log_probs, new = step(words[-1] if words else bos_id, st)
            for w, value in enumerate(log_probs.tolist()):
                options[words + (w,)] = (logp + value, new)
        ranked = sorted(options.items(), key=lambda item: -item[1][0])[:beam_size]
        alive = {}
        for words, (logp, new) in ranked:
            if words[-1] == eos_id:
                ended[words] = logp
            else:
                alive[words] = (logp, new)
    for words, (logp, _) in alive.items():
        ended[words] = logp
    best = max(ended, key=lambda words: ended[words] / len(words) ** alpha)
    return list(best), float(ended[best] / len(best) ** alpha)
'''),
]

# --- Part 4: train a translator --------------------------------------------------------


def _translator(model="cell=\"lstm\", bidirectional=False, context=\"initial\"",
                hidden=64, reverse=True, returned_reverse=None, steps=200, lr=0.01,
                loss="lambda m, batch: m.loss(batch)"):
    returned = reverse if returned_reverse is None else returned_reverse
    return f'''
def train_translator(train_pairs, src_vocab, tgt_vocab, seed):
    torch.manual_seed(seed)
    model = s2s.Seq2Seq(len(src_vocab), len(tgt_vocab), embedding_size=32,
                        hidden_size={hidden}, {model})
    pairs = s2s.pair_tensors(train_pairs, src_vocab, tgt_vocab,
                             reverse_source={reverse})
    history = train(model, {loss},
                    tensor_batches(*pairs, batch_size=64, dim=(1, 0, 1, 1)),
                    steps={steps}, lr={lr}, clip=1.0, seed=seed, progress=False)
    return model, {returned}, history
'''


# the minibatches are tuples (src, src_lengths, tgt_in, tgt_out)
READS_ITS_TARGET = "lambda m, b: s2s.sequence_loss(m(b[0], b[1], b[3]), b[3])"

TRANSLATOR_MUTANTS = [
    ("decoder-reads-the-word-it-predicts", _translator(loss=READS_ITS_TARGET)),
    ("twenty-steps", _translator(steps=20)),
    ("learning-rate-1e-4", _translator(lr=1e-4)),
    ("reversed-in-training-not-at-test", _translator(returned_reverse=False)),
    ("four-hidden-units", _translator(hidden=4)),
]

TRANSLATOR_ALTERNATIVES = [
    ("cho-layout-gru", _translator(
        model='cell="gru", bidirectional=False, context="fixed"')),
    ("own-cross-entropy", _translator(
        loss=("lambda m, b: torch.nn.functional.cross_entropy("
                         "m(b[0], b[1], b[2]).flatten(0, 1), b[3].flatten(), "
                         "ignore_index=s2s.PAD)"))),
    ("forward-source-300-steps", _translator(reverse=False, steps=300)),
]

WRONG_ANSWERS = {
    "masked_sequence_loss": LOSS_MEAN_OVER_ALL,
    "greedy_decode": GREEDY_NO_STOP,
    "beam_search": BEAM_NO_NORMALISATION,
    "train_translator": _translator(loss=READS_ITS_TARGET),
}

MUTANTS = {
    "masked_sequence_loss": LOSS_MUTANTS,
    "greedy_decode": GREEDY_MUTANTS,
    "beam_search": BEAM_MUTANTS,
    "train_translator": TRANSLATOR_MUTANTS,
}

ALTERNATIVES = {
    "masked_sequence_loss": LOSS_ALTERNATIVES,
    "greedy_decode": GREEDY_ALTERNATIVES,
    "beam_search": BEAM_ALTERNATIVES,
    "train_translator": TRANSLATOR_ALTERNATIVES,
}
