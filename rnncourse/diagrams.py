"""Diagrams drawn in code: the input/output patterns of recurrent networks.

A pattern is drawn as an unrolled network: time runs left to right, inputs sit on the
bottom row, hidden states in the middle and outputs on top. Arrows go up (input to
state, state to output) and right (state to the next state: the recurrence). Boxes
differ in fill
*and* hatching, so the figure reads in greyscale print.

>>> import matplotlib.pyplot as plt
>>> from rnncourse.diagrams import draw_io_pattern, IO_PATTERNS
>>> fig, ax = plt.subplots()
>>> boxes = draw_io_pattern(ax, **IO_PATTERNS["many-to-one"])
"""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .plotting import OKABE_ITO

__all__ = ["IO_PATTERNS", "draw_io_pattern", "draw_io_patterns"]

# Each pattern: the time steps that receive an input, the steps that emit an output, and
# the number of steps. Steps from `decoder_from` on belong to a decoder (drawn hatched);
# `feedback` draws a dashed arrow from each output to the next state (a generated output
# becomes the next input, as when sampling text or a caption).
IO_PATTERNS: dict[str, dict] = {
    "one-to-one": dict(inputs=[0], outputs=[0], n_steps=1),
    "one-to-many": dict(inputs=[0], outputs=[0, 1, 2, 3], n_steps=4, feedback=True),
    "many-to-one": dict(inputs=[0, 1, 2, 3], outputs=[3], n_steps=4),
    "many-to-many,\nencoder-decoder": dict(
        inputs=[0, 1, 2], outputs=[3, 4, 5], n_steps=6, decoder_from=3, feedback=True
    ),
    "many-to-many,\nsynchronised": dict(
        inputs=[0, 1, 2, 3], outputs=[0, 1, 2, 3], n_steps=4
    ),
}

ROWS = {"input": 0.0, "hidden": 1.0, "output": 2.0}
BOX = 0.56  # side of a box, in units of the step spacing
STYLES = {
    "input": dict(facecolor="white", edgecolor="black", hatch=""),
    "hidden": dict(facecolor=OKABE_ITO[5], edgecolor="black", hatch=""),
    "decoder": dict(facecolor=OKABE_ITO[4], edgecolor="black", hatch="///"),
    "output": dict(facecolor="0.85", edgecolor="black", hatch="..."),
}
LABELS = {"input": "x", "hidden": "h", "decoder": "h", "output": "y"}


def _box(ax, step, kind, row, text):
    corner = (step - BOX / 2, ROWS[row] - BOX / 2)
    patch = FancyBboxPatch(
        corner, BOX, BOX, boxstyle="round,pad=0.02", linewidth=1.0, **STYLES[kind]
    )
    ax.add_patch(patch)
    ax.text(step, ROWS[row], text, ha="center", va="center", fontsize=9,
            bbox=dict(facecolor="white", edgecolor="none", pad=0.5, alpha=0.8))
    return patch


def _arrow(ax, start, end, **style):
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=8,
            linewidth=1.0,
            color="black",
            shrinkA=0,
            shrinkB=0,
            **style,
        )
    )


def draw_io_pattern(
    ax, inputs, outputs, n_steps, decoder_from=None, feedback=False, title=None
):
    """Draw one unrolled input/output pattern on ``ax``; return the list of boxes drawn.

    Args:
        ax: a matplotlib Axes.
        inputs: the time steps (0-based) that receive an input x_t.
        outputs: the time steps that emit an output y_t.
        n_steps: number of hidden states h_0 .. h_{n_steps-1} (one per step).
        decoder_from: first step that belongs to a decoder, or None.
        feedback: draw a dashed arrow from each output y_t to the next state h_{t+1}.
        title: optional title of the panel.

    Raises:
        ValueError: if a step in ``inputs`` or ``outputs`` is outside 0 .. n_steps-1.
    """
    for name, steps in (("inputs", inputs), ("outputs", outputs)):
        bad = [t for t in steps if not 0 <= t < n_steps]
        if bad:
            raise ValueError(
                f"{name} must be steps in 0 .. {n_steps - 1} for "
                f"n_steps={n_steps}, got {bad}"
            )
    boxes = []
    half = BOX / 2
    for t in range(n_steps):
        kind = "decoder" if decoder_from is not None and t >= decoder_from else "hidden"
        boxes.append(_box(ax, t, kind, "hidden", f"$h_{t + 1}$"))
        if t > 0:
            _arrow(ax, (t - 1 + half, ROWS["hidden"]), (t - half, ROWS["hidden"]))
    for t in inputs:
        boxes.append(_box(ax, t, "input", "input", f"$x_{t + 1}$"))
        _arrow(ax, (t, ROWS["input"] + half), (t, ROWS["hidden"] - half))
    for t in outputs:
        label = (
            f"$y_{t + 1}$" if decoder_from is None else f"$y_{t + 1 - decoder_from}$"
        )
        boxes.append(_box(ax, t, "output", "output", label))
        _arrow(ax, (t, ROWS["hidden"] + half), (t, ROWS["output"] - half))
        if feedback and t + 1 < n_steps:
            _arrow(
                ax,
                (t + half, ROWS["output"] - 0.1),
                (t + 1 - half, ROWS["hidden"] + 0.15),
                linestyle=(0, (3, 2)),
                connectionstyle="arc3,rad=-0.2",
            )
    ax.set_xlim(-0.6, n_steps - 0.4)
    ax.set_ylim(-0.5, 2.5)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return boxes


def draw_io_patterns(axes, patterns=None):
    """Draw every pattern of ``patterns`` (default :data:`IO_PATTERNS`), one per Axes.
    """
    patterns = IO_PATTERNS if patterns is None else patterns
    if len(axes) != len(patterns):
        raise ValueError(
            f"axes must hold one Axes per pattern ({len(patterns)}), got {len(axes)}"
        )
    return {
        name: draw_io_pattern(ax, title=name, **spec)
        for ax, (name, spec) in zip(axes, patterns.items())
    }


def draw_timeline(ax, milestones, themes):
    """Draw milestones as one row each: a marker at the year, the name and authors
    beside it.

    Args:
        ax: a matplotlib Axes.
        milestones: rows with fields ``year``, ``name``, ``authors`` and ``theme``, in
        order
            (e.g. :data:`rnncourse.data.timeline.MILESTONES`).
        themes: the themes in legend order; each gets its own colour *and* marker.

    Returns the list of text labels drawn (one per milestone).
    """
    unknown = sorted({m.theme for m in milestones} - set(themes))
    if unknown:
        raise ValueError(
            f"every milestone's theme must be one of {list(themes)}, got {unknown}"
        )
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    first, last = min(m.year for m in milestones), max(m.year for m in milestones)
    middle = (first + last) / 2
    labels = []
    for row, m in enumerate(milestones):
        k = themes.index(m.theme)
        ax.plot(
            m.year,
            row,
            linestyle="",
            marker=markers[k % len(markers)],
            markersize=7,
            color=OKABE_ITO[k % len(OKABE_ITO)],
            markeredgecolor="black",
            markeredgewidth=0.5,
        )
        # labels point towards the middle, so none leaves the axes
        right = m.year < middle
        text = f"{m.name} ({m.authors})"
        labels.append(ax.text(m.year + (1 if right else -1), row, text, va="center",
                              ha="left" if right else "right", fontsize=8))
    for k, theme in enumerate(themes):
        ax.plot(
            [],
            [],
            linestyle="",
            marker=markers[k % len(markers)],
            markersize=7,
            color=OKABE_ITO[k % len(OKABE_ITO)],
            markeredgecolor="black",
            markeredgewidth=0.5,
            label=theme,
        )
    ax.set_ylim(len(milestones) - 0.5, -0.5)      # first milestone on top
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(first - 2, last + 2)
    ax.grid(axis="y", visible=False)
    return labels
