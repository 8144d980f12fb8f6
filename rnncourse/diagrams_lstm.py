"""The LSTM cell drawn in code, in PyTorch's layout (chapter 7).

One pre-activation vector a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh of 4H entries is
cut into four blocks in the order i, f, g, o (rows 0:H, H:2H, 2H:3H, 3H:4H of the
weights); each block goes through its activation, and the gates act on the cell-state
line at the top, c_{t-1} → c_t, and on the output h_t. Shapes differ in fill *and*
hatching, so the figure reads in greyscale print.

>>> import matplotlib.pyplot as plt
>>> from rnncourse.diagrams_lstm import draw_lstm_cell
>>> fig, ax = plt.subplots(figsize=(7, 4.2))
>>> parts = draw_lstm_cell(ax)
"""

from __future__ import annotations

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from .plotting import OKABE_ITO

__all__ = ["GATE_BLOCKS", "draw_lstm_cell"]

# The four blocks of torch.nn.LSTM's weights, in stored order:
# (name, symbol, activation)
GATE_BLOCKS = (
    ("input gate", "i_t", r"\sigma"),
    ("forget gate", "f_t", r"\sigma"),
    ("candidate", "g_t", r"\tanh"),
    ("output gate", "o_t", r"\sigma"),
)
STYLE = {
    "gate": dict(facecolor=OKABE_ITO[5], edgecolor="black", hatch=""),
    "candidate": dict(facecolor=OKABE_ITO[4], edgecolor="black", hatch="///"),
    "pre": dict(facecolor="0.9", edgecolor="black", hatch=""),
    "op": dict(facecolor="white", edgecolor="black"),
}
CELL_LINE_Y, GATE_Y, BAR_Y = 5.0, 2.5, 1.0
BAR_LEFT, BAR_RIGHT = 1.5, 8.5


def _arrow(ax, start, end, **style):
    style.setdefault("color", "black")
    style.setdefault("linewidth", 1.1)
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9,
                                 shrinkA=0, shrinkB=0, **style))


def _op(ax, xy, text):
    """A small circle with an operator: ⊙ (elementwise product), + or tanh."""
    radius = 0.3 if text != "tanh" else 0.42
    ax.add_patch(Circle(xy, radius, linewidth=1.0, zorder=3, **STYLE["op"]))
    ax.text(*xy, text, ha="center", va="center", fontsize=9 if text == "tanh" else 12,
            zorder=4)
    return radius


def draw_lstm_cell(ax, title=None):
    """Draw one LSTM step in PyTorch's layout on ``ax``.

    Returns a dict with the drawn parts: ``"blocks"`` (the four rectangles of the
    pre-activation bar, in stored order i, f, g, o), ``"gates"`` (the four activation
    boxes, same order) and ``"ops"`` (the centres of the ⊙, + and tanh nodes by name).
    """
    width = (BAR_RIGHT - BAR_LEFT) / 4
    centres = [BAR_LEFT + width * (k + 0.5) for k in range(4)]
    # the cell state line, c_{t-1} -> c_t, the constant error carousel
    forget_x, plus_x, out_x = centres[1], centres[2] - 0.4, centres[3] + 0.9
    ops = {"forget ⊙": (forget_x, CELL_LINE_Y), "+": (plus_x, CELL_LINE_Y),
           "input ⊙": (plus_x, 3.85), "tanh": (out_x, 4.05),
           "output ⊙": (out_x, 3.0)}
    ax.plot([0.2, 9.8], [CELL_LINE_Y] * 2, color="black", linewidth=2.2, marker="",
            zorder=1)
    _arrow(ax, (9.3, CELL_LINE_Y), (9.9, CELL_LINE_Y), linewidth=2.2)
    ax.text(0.15, CELL_LINE_Y + 0.3, "$c_{t-1}$", ha="left", fontsize=10)
    ax.text(9.85, CELL_LINE_Y + 0.3, "$c_t$", ha="right", fontsize=10)
    ax.text(0.6, CELL_LINE_Y - 0.45, "cell state (constant error carousel)",
            fontsize=8, ha="left", style="italic")
    ax.text(3.0, CELL_LINE_Y + 0.45,
            r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$", fontsize=9, ha="left")
    radius = {name: _op(ax, xy, name.split()[-1]) for name, xy in ops.items()}

    # the pre-activation bar, cut into the four blocks of the stored weights
    blocks, gates = [], []
    rows = ("0:H", "H:2H", "2H:3H", "3H:4H")
    for k, ((name, symbol, activation), x) in enumerate(zip(GATE_BLOCKS, centres)):
        kind = "candidate" if name == "candidate" else "gate"
        block = Rectangle((x - width / 2, BAR_Y - 0.3), width, 0.6, linewidth=1.0,
                          **STYLE["pre"])
        ax.add_patch(block)
        blocks.append(block)
        ax.text(x, BAR_Y, f"rows {rows[k]}", ha="center", va="center", fontsize=8)
        box = FancyBboxPatch((x - 0.55, GATE_Y - 0.35), 1.1, 0.7,
                             boxstyle="round,pad=0.03", linewidth=1.0, **STYLE[kind])
        ax.add_patch(box)
        gates.append(box)
        ax.text(x, GATE_Y, f"${activation}$: ${symbol}$", ha="center", va="center",
                fontsize=9, bbox=dict(facecolor="white", edgecolor="none", pad=0.4,
                                      alpha=0.85))
        _arrow(ax, (x, BAR_Y + 0.3), (x, GATE_Y - 0.35))
    ax.text(BAR_RIGHT, BAR_Y - 0.55,
            r"$a_t = W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}$, 4H entries",
            va="top", ha="right", fontsize=8)

    # inputs
    _arrow(ax, (0.2, BAR_Y), (BAR_LEFT, BAR_Y))
    ax.text(0.15, BAR_Y + 0.3, "$h_{t-1}$", fontsize=10)
    _arrow(ax, (BAR_LEFT + 0.4, -0.2), (BAR_LEFT + 0.4, BAR_Y - 0.3))
    ax.text(BAR_LEFT + 0.5, -0.2, "$x_t$", fontsize=10)

    # the gates at work
    top = GATE_Y + 0.35
    _arrow(ax, (forget_x, top), (forget_x, CELL_LINE_Y - radius["forget ⊙"]))
    _arrow(ax, (centres[0], top), (plus_x - 0.25, ops["input ⊙"][1] - 0.15))
    _arrow(ax, (centres[2], top), (plus_x + 0.2, ops["input ⊙"][1] - 0.2))
    _arrow(ax, (plus_x, ops["input ⊙"][1] + radius["input ⊙"]),
           (plus_x, CELL_LINE_Y - radius["+"]))
    _arrow(ax, (out_x, CELL_LINE_Y), (out_x, ops["tanh"][1] + radius["tanh"]))
    _arrow(ax, (out_x, ops["tanh"][1] - radius["tanh"]),
           (out_x, ops["output ⊙"][1] + radius["output ⊙"]))
    _arrow(ax, (centres[3], top), (out_x - radius["output ⊙"], ops["output ⊙"][1]))
    _arrow(ax, (out_x + radius["output ⊙"], ops["output ⊙"][1]), (9.9, 3.0))
    ax.text(9.85, 3.25, "$h_t$", ha="right", fontsize=10)
    ax.text(out_x + 0.45, 3.55, r"$h_t = o_t \odot \tanh(c_t)$", fontsize=8)

    ax.set_xlim(0, 10)
    ax.set_ylim(-0.5, 6.0)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return {"blocks": blocks, "gates": gates, "ops": ops}
