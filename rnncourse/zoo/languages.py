"""Small regular languages over {0, 1}, finite automata, and string datasets.

The grammatical-inference experiments of the early 1990s (second-order networks,
Pollack's dynamical recognisers) trained recurrent networks to accept or reject
binary strings. This module has the languages, a deterministic finite automaton (DFA)
with minimisation, and the padded tensors a network reads.

**Tomita's grammars** (Tomita 1982), as they are usually stated; we include the six
whose usual statements are unambiguous::

    1: 1*                               2: (10)*
    4: no three consecutive 0s          5: an even number of 0s and of 1s
    6: (#0s − #1s) divisible by 3       7: 0*1*0*1*

**Odd parity** (an odd number of 1s) is the first language of Pollack (1991).

A string is a Python ``str`` of "0" and "1" ("" is the empty string).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import torch

__all__ = [
    "TOMITA", "tomita", "odd_parity", "all_strings", "DFA", "dfa_of", "sample_strings",
    "balanced_strings", "string_tensors", "agreement", "equivalent",
]

TOMITA = {
    1: lambda s: "0" not in s,
    2: lambda s: re.fullmatch(r"(10)*", s) is not None,
    4: lambda s: "000" not in s,
    5: lambda s: s.count("0") % 2 == 0 and s.count("1") % 2 == 0,
    6: lambda s: (s.count("0") - s.count("1")) % 3 == 0,
    7: lambda s: re.fullmatch(r"0*1*0*1*", s) is not None,
}


def tomita(number):
    """The membership test of Tomita grammar ``number`` (1, 2, 4, 5, 6 or 7)."""
    if number not in TOMITA:
        raise ValueError(
            f"Tomita grammar must be one of {sorted(TOMITA)}, got {number!r}"
        )
    return TOMITA[number]


def odd_parity(s):
    """True for strings with an odd number of 1s."""
    return s.count("1") % 2 == 1


def _check_binary(s):
    if not isinstance(s, str) or set(s) - {"0", "1"}:
        raise ValueError(f"strings must consist of '0' and '1' only, got {s!r}")
    return s


def all_strings(max_length, min_length=0):
    """Every binary string of length min_length ... max_length, shortest first."""
    if int(max_length) != max_length or max_length < min_length or min_length < 0:
        raise ValueError(
            f"need 0 <= min_length <= max_length, got {min_length!r}, {max_length!r}"
        )
    return ["".join(bits) for n in range(int(min_length), int(max_length) + 1)
            for bits in itertools.product("01", repeat=n)]


@dataclass
class DFA:
    """A deterministic finite automaton over {0, 1}.

    ``transitions[state][symbol]`` is the next state; ``accepting`` the set of
    accepting states; ``start`` the initial state. States are any hashable labels.
    """

    transitions: dict
    accepting: set
    start: object = 0
    labels: dict = field(default_factory=dict)   # optional: where a state came from

    @property
    def n_states(self):
        return len(self.transitions)

    def run(self, s):
        state = self.start
        for symbol in _check_binary(s):
            state = self.transitions[state][symbol]
        return state

    def accepts(self, s):
        return self.run(s) in self.accepting

    def minimised(self):
        """The equivalent DFA with the fewest states (Moore's partition refinement
        over the states reachable from the start)."""
        reachable, frontier = {self.start}, [self.start]
        while frontier:
            state = frontier.pop()
            for symbol in "01":
                nxt = self.transitions[state][symbol]
                if nxt not in reachable:
                    reachable.add(nxt)
                    frontier.append(nxt)
        block = {q: int(q in self.accepting) for q in reachable}
        while True:
            signature = {q: (block[q], block[self.transitions[q]["0"]],
                             block[self.transitions[q]["1"]]) for q in reachable}
            names = {sig: k for k, sig in enumerate(sorted(set(signature.values())))}
            refined = {q: names[signature[q]] for q in reachable}
            if len(set(refined.values())) == len(set(block.values())):
                break
            block = refined
        transitions = {
            block[q]: {sym: block[self.transitions[q][sym]] for sym in "01"}
            for q in reachable
        }
        accepting = {block[q] for q in reachable if q in self.accepting}
        return DFA(transitions, accepting, block[self.start])


def dfa_of(language, max_length=10):
    """The minimal DFA of a regular language given by its membership test.

    Builds the automaton whose states are the strings up to ``max_length`` − k,
    identified by their answers on every suffix up to length k (a Myhill–Nerode
    table), for k = max_length // 2. Exact when the language's minimal DFA is
    distinguished by suffixes of length k and reached by prefixes of length k, which
    holds for Tomita's grammars and parity with the default.
    """
    k = max_length // 2
    suffixes = all_strings(k)

    def row(prefix):
        return tuple(language(prefix + suffix) for suffix in suffixes)

    prefixes = all_strings(k)
    rows = {}
    for p in prefixes:
        rows.setdefault(row(p), p)
    names = {r: n for n, r in enumerate(rows)}
    transitions = {
        names[r]: {sym: names[row(p + sym)] for sym in "01"} for r, p in rows.items()
    }
    accepting = {names[r] for r, p in rows.items() if language(p)}
    return DFA(transitions, accepting, names[row("")]).minimised()


def sample_strings(n, min_length, max_length, rng):
    """``n`` random strings, lengths uniform in [min_length, max_length], bits fair."""
    lengths = rng.integers(min_length, max_length + 1, size=n)
    return ["".join(rng.choice(["0", "1"], size=n_bits)) for n_bits in lengths]


def balanced_strings(language, n, min_length, max_length, rng, max_tries=1000):
    """``n`` distinct random strings, half in the language and half not.

    Accepted strings are drawn as random walks through the language's minimal DFA
    that never enter a state from which no accepting state can be reached, so that
    sparse languages (e.g. Tomita 4 on long strings) still give positives; rejected
    strings are fair random strings that the language rejects.
    """
    dfa = dfa_of(language)
    alive = {q for q in dfa.transitions if _can_accept(dfa, q)}
    positives, negatives = set(), set()
    for _ in range(max_tries * n):
        if len(positives) >= n // 2 and len(negatives) >= n - n // 2:
            break
        length = int(rng.integers(min_length, max_length + 1))
        if len(positives) < n // 2:
            state, bits = dfa.start, []
            for _ in range(length):
                options = [s for s in "01" if dfa.transitions[state][s] in alive]
                bit = options[int(rng.integers(len(options)))]
                bits.append(bit)
                state = dfa.transitions[state][bit]
            s = "".join(bits)
            if language(s):
                positives.add(s)
        if len(negatives) < n - n // 2:
            s = "".join(rng.choice(["0", "1"], size=length))
            if not language(s):
                negatives.add(s)
    if len(positives) < n // 2 or len(negatives) < n - n // 2:
        raise ValueError(
            f"could not draw {n} distinct strings of length {min_length}..{max_length}"
            f" half accepted: found {len(positives)} accepted, {len(negatives)} not"
        )
    strings = sorted(positives)[: n // 2] + sorted(negatives)[: n - n // 2]
    order = rng.permutation(len(strings))
    return [strings[k] for k in order]


def _can_accept(dfa, state):
    seen, frontier = {state}, [state]
    while frontier:
        q = frontier.pop()
        if q in dfa.accepting:
            return True
        for s in "01":
            nxt = dfa.transitions[q][s]
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False


def string_tensors(strings, language=None):
    """Padded one-hot tensors for a batch of strings.

    Returns x (T, B, 2) (symbol 0 -> [1, 0], 1 -> [0, 1], padding zeros), the mask
    (T, B) (1 on real symbols) and, with a ``language``, the labels (B,) as floats
    (1 accepted). T is the longest string's length (at least 1).
    """
    strings = [_check_binary(s) for s in strings]
    if not strings:
        raise ValueError("strings must not be empty")
    T = max(1, max(len(s) for s in strings))
    x = torch.zeros(T, len(strings), 2)
    mask = torch.zeros(T, len(strings))
    for b, s in enumerate(strings):
        for t, symbol in enumerate(s):
            x[t, b, int(symbol)] = 1.0
            mask[t, b] = 1.0
    if language is None:
        return x, mask
    labels = torch.tensor([float(language(s)) for s in strings])
    return x, mask, labels


def agreement(classify, language, strings):
    """Fraction of ``strings`` on which ``classify(s)`` (bool) agrees with the
    language."""
    strings = list(strings)
    if not strings:
        raise ValueError("strings must not be empty")
    return float(np.mean([bool(classify(s)) == bool(language(s)) for s in strings]))


def equivalent(a, b):
    """Whether two DFAs accept exactly the same strings (a search of the pairs of
    states reachable together; no string length bound)."""
    seen, frontier = {(a.start, b.start)}, [(a.start, b.start)]
    while frontier:
        p, q = frontier.pop()
        if (p in a.accepting) != (q in b.accepting):
            return False
        for symbol in "01":
            pair = (a.transitions[p][symbol], b.transitions[q][symbol])
            if pair not in seen:
                seen.add(pair)
                frontier.append(pair)
    return True
