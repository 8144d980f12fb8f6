"""Milestones of recurrent networks, 1982 to today, as a small cited table.

Each row is a :class:`Milestone`: the year, a short name, the authors, the key of the
paper in the book's bibliography (``book/references.bib``) and a theme used to group the
rows in the chapter's figure. The year is the year of the cited publication (the
bibliography's ``year`` field), which can be a year after a preprint: Bahdanau et al.'s
attention paper appeared on arXiv in 2014 and at ICLR in 2015, S4 on arXiv in 2021 and
at ICLR in 2022. The test suite checks that every key exists and that every year matches
its entry.

>>> from rnncourse.data.timeline import MILESTONES
>>> MILESTONES[0].name
'Hopfield network'
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Milestone", "MILESTONES", "THEMES"]


class Milestone(NamedTuple):
    year: int
    name: str
    authors: str
    key: str      # citation key in book/references.bib
    theme: str    # one of THEMES


# The themes, in the order the chapter's figure lists them.
THEMES = (
    "memory and dynamics",
    "learning and gradients",
    "architectures and gates",
    "language, seq2seq and attention",
    "linear recurrences",
)

MILESTONES: list[Milestone] = [
    Milestone(
        1982, "Hopfield network", "Hopfield", "hopfield1982", "memory and dynamics"
    ),
    Milestone(
        1986,
        "Backpropagation, recurrent nets unfolded in time",
        "Rumelhart, Hinton & Williams",
        "rumelhart1986",
        "learning and gradients",
    ),
    Milestone(
        1986,
        "Jordan network (output fed back as state)",
        "Jordan",
        "jordan1986",
        "architectures and gates",
    ),
    Milestone(
        1989,
        "Real-time recurrent learning (RTRL)",
        "Williams & Zipser",
        "williams1989",
        "learning and gradients",
    ),
    Milestone(
        1990,
        "Elman network (simple recurrent network)",
        "Elman",
        "elman1990",
        "architectures and gates",
    ),
    Milestone(
        1990,
        "Backpropagation through time (BPTT)",
        "Werbos",
        "werbos1990",
        "learning and gradients",
    ),
    Milestone(
        1991,
        "Vanishing gradients analysed",
        "Hochreiter",
        "hochreiter1991",
        "learning and gradients",
    ),
    Milestone(
        1992,
        "Neural history compressor",
        "Schmidhuber",
        "schmidhuber1992",
        "architectures and gates",
    ),
    Milestone(
        1994,
        "Long-term dependencies are hard to learn",
        "Bengio, Simard & Frasconi",
        "bengio1994",
        "learning and gradients",
    ),
    Milestone(
        1997,
        "Long short-term memory (LSTM)",
        "Hochreiter & Schmidhuber",
        "hochreiter1997",
        "architectures and gates",
    ),
    Milestone(
        1997,
        "Bidirectional RNN (BRNN)",
        "Schuster & Paliwal",
        "schuster1997",
        "architectures and gates",
    ),
    Milestone(
        2000,
        "Forget gate",
        "Gers, Schmidhuber & Cummins",
        "gers2000",
        "architectures and gates",
    ),
    Milestone(
        2001, "Echo state network (ESN)", "Jaeger", "jaeger2001", "memory and dynamics"
    ),
    Milestone(
        2005,
        "Bidirectional LSTM (framewise phoneme classification)",
        "Graves & Schmidhuber",
        "graves2005",
        "architectures and gates",
    ),
    Milestone(
        2006,
        "Connectionist temporal classification (CTC)",
        "Graves, Fernández, Gomez & Schmidhuber",
        "graves2006",
        "learning and gradients",
    ),
    Milestone(
        2010,
        "Recurrent language model",
        "Mikolov et al.",
        "mikolov2010",
        "language, seq2seq and attention",
    ),
    Milestone(
        2013,
        "Exploding gradients and norm clipping",
        "Pascanu, Mikolov & Bengio",
        "pascanu2013",
        "learning and gradients",
    ),
    Milestone(
        2013,
        "Deep bidirectional LSTMs for speech recognition",
        "Graves, Mohamed & Hinton",
        "graves2013",
        "language, seq2seq and attention",
    ),
    Milestone(
        2014,
        "RNN encoder-decoder and the GRU",
        "Cho et al.",
        "cho2014",
        "language, seq2seq and attention",
    ),
    Milestone(
        2014,
        "Sequence to sequence learning",
        "Sutskever, Vinyals & Le",
        "sutskever2014",
        "language, seq2seq and attention",
    ),
    Milestone(
        2015,
        "Attention (learning to align)",
        "Bahdanau, Cho & Bengio",
        "bahdanau2015",
        "language, seq2seq and attention",
    ),
    Milestone(
        2015,
        "Convolutional LSTM (ConvLSTM)",
        "Shi et al.",
        "shi2015",
        "architectures and gates",
    ),
    Milestone(
        2017,
        "Transformer (attention without recurrence)",
        "Vaswani et al.",
        "vaswani2017",
        "language, seq2seq and attention",
    ),
    Milestone(
        2022,
        "S4 (structured state spaces)",
        "Gu, Goel & Ré",
        "gu2022",
        "linear recurrences",
    ),
    Milestone(
        2023,
        "LRU (linear recurrent unit)",
        "Orvieto et al.",
        "orvieto2023",
        "linear recurrences",
    ),
    Milestone(
        2023,
        "Mamba (selective state spaces)",
        "Gu & Dao",
        "gu2023",
        "linear recurrences",
    ),
    Milestone(2023, "RWKV", "Peng et al.", "peng2023", "linear recurrences"),
    Milestone(
        2024, "minGRU and minLSTM", "Feng et al.", "feng2024", "linear recurrences"
    ),
    # xLSTM mixes the two kinds: its mLSTM (matrix memory) is parallel over time, its
    # sLSTM (scalar memory with recurrent mixing) is not.
    Milestone(
        2024,
        "xLSTM (parallel mLSTM, recurrent sLSTM)",
        "Beck et al.",
        "beck2024",
        "linear recurrences",
    ),
]
