"""One figure style for every chapter.

Call :func:`use_style` once at the top of a notebook. Lines differ by colour *and* by
line style and marker, so a figure still reads in greyscale print; the palette is Okabe
and Ito's colour-blind-safe one.

>>> from rnncourse.plotting import use_style
>>> use_style()
"""

from __future__ import annotations

from cycler import cycler
import matplotlib as mpl

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency.
OKABE_ITO = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
]
LINESTYLES = ["-", "--", "-.", ":", "-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

STYLE: dict[str, object] = {
    "figure.figsize": (6.4, 3.6),
    # Crisp but small PNGs in the built book: 100 dpi on screen, 150 when saved.
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=OKABE_ITO)
    + cycler(linestyle=LINESTYLES)
    + cycler(marker=MARKERS),
    "lines.linewidth": 1.6,
    "lines.markersize": 4,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the course's matplotlib style (idempotent)."""
    mpl.rcParams.update(STYLE)


def no_markers(ax) -> None:
    """Remove the cycled markers from every line of ``ax`` (for dense curves)."""
    for line in ax.get_lines():
        line.set_marker("")
