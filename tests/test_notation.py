"""The notation appendix (book/D_notation.md) is true of the code, and the chapters
follow it.

- every `rnncourse` object the appendix names exists, every name it says is used "in" an
  object occurs there, and the PyTorch parameter names it gives are torch's;
- the chapters' equations avoid the spellings that the appendix's last table rejects
  (`W_{xh}` for `W_{ih}`, `\\circ` for `\\odot`, ...), and the chapters' code uses the
  course's weight names, not Karpathy's `Wxh`;
- every rule enforced here is documented on the page.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from conftest import REPO, read_json

PAGE = REPO / "book" / "D_notation.md"
TEXT = PAGE.read_text(encoding="utf-8")
CHAPTER_NOTEBOOKS = sorted((REPO / "book").glob("[0-9][0-9]_*.ipynb"))


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of every pipe table, as lists of cell texts."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|") and not re.match(r"\|\s*-", line):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return [
        r
        for r in rows
        if r[0] not in ("Symbol", "Their symbol", "Elsewhere", "Chapter 4", "Code")
    ]


def symbol_rows() -> list[list[str]]:
    return [r for r in table_rows(TEXT) if len(r) == 5]


def code_spans(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def resolve(dotted: str):
    """rnncourse.np.esn.ridge_readout -> the function (the longest importable module
    prefix)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ModuleNotFoundError(dotted)


# Spellings the book does not use, checked in the math of every chapter's markdown
# cells: (the spelling as the page shows it in its last table, regex on the math, the
# book's spelling).
WRONG_IN_MATH = [
    ("$W_{xh}$", r"W_\{?\s*(?:xh|hx|x\s*h|h\s*x)\s*\}?(?![a-z])", "W_{ih}"),
    ("$h^{(t)}$", r"\b[hxyzsc]\s*\^\s*\{\s*\(\s*t", "h_t"),
    ("$a \\circ b$", r"\\circ\b", "\\odot"),
    ("$C_t$", r"(?<![A-Za-z\\])C_\{?\s*t\b", "c_t"),
    ("$tanh(a)$", r"(?<![\\A-Za-z])tanh\b", "\\tanh"),
]
# Karpathy's names in code cells, instead of the course's.
WRONG_IN_CODE = [(r"\bW_?xh\b|\bW_?hx\b", "W_ih"), (r"\bWhh\b", "W_hh")]


def markdown_and_code(path):
    cells = read_json(path)["cells"]
    markdown = "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return markdown, code


def math_of(markdown: str) -> list[str]:
    """Display math ($$...$$, ```{math}```) and inline math ($...$) of a markdown text,
    code removed."""
    markdown = re.sub(r"^```(?!\{math\}).*?^```\s*$", "", markdown, flags=re.S | re.M)
    markdown = re.sub(r"`[^`\n]*`", "", markdown)
    pieces = re.findall(r"\$\$(.+?)\$\$", markdown, flags=re.S)
    pieces += re.findall(r"^```\{math\}\s*\n(.*?)^```", markdown, flags=re.S | re.M)
    markdown = re.sub(r"\$\$(.+?)\$\$", "", markdown, flags=re.S)
    pieces += re.findall(r"(?<![\\$])\$([^$\n]+?)\$", markdown)
    return pieces


# --- the page
# --------------------------------------------------------------------------------

def test_the_page_lists_sizes_weights_gates_and_gradients():
    symbols = " ".join(r[0] for r in symbol_rows())
    for symbol in (
        "$T$",
        "$B$",
        "$D$",
        "$H$",
        "$K$",
        "$G$",
        "$N$",
        "$x_t$",
        "$h_t$",
        "$c_t$",
        "$W_{ih}$",
        "$W_{hh}$",
        "$b_{ih}, b_{hh}$",
        "$\\delta_t$",
        "$J_k$",
        "$\\rho(W)$",
        "$\\sigma$",
        "$\\odot$",
        "$i_t, f_t, g_t, o_t$",
        "$r_t, z_t, n_t$",
        "$s_i$",
        "$E$",
        "$W_\\text{in}$",
        "$W_{hy}$",
        "$\\lambda$",
        "$L$",
    ):
        assert symbol in symbols, f"the notation tables have no row for {symbol}"
    for row in symbol_rows():
        assert all(row), f"a notation row has an empty cell: {row}"
        assert re.fullmatch(r"\d+", row[4]), (
            f"{row[0]}: 'Introduced in' must be a chapter number, got {row[4]!r}"
        )


def test_chapter_4s_textbook_letters_are_mapped_to_the_codes_names():
    mapping = {
        r[0]: r[2]
        for r in table_rows(TEXT)
        if len(r) == 3 and not r[0].startswith("$W_{xh}")
    }
    for letter, ours in {
        "$U$": "`W_ih`",
        "$W$": "`W_hh`",
        "$V$": "`W_hy`",
        "$s_t$": "$h_t$",
    }.items():
        assert ours in mapping.get(letter, ""), (
            f"the page does not map {letter} to {ours}"
        )


def test_the_layout_is_pytorchs():
    rows = {r[0]: r for r in symbol_rows()}
    assert (
        rows["$W_{ih}$"][2] == "$(G \\cdot H, D)$"
        and rows["$W_{hh}$"][2] == "$(G \\cdot H, H)$"
    )
    assert (
        "weight_ih_l0" in rows["$W_{ih}$"][3] and "weight_hh_l0" in rows["$W_{hh}$"][3]
    )
    assert (
        "order $i, f, g, o$" in TEXT and "$r, z, n$" in TEXT and "$(T, B, D)$" in TEXT
    )


def test_every_rnncourse_object_the_page_names_exists_and_uses_the_names_given():
    named = 0
    for row in symbol_rows():
        code = row[3]
        for dotted in re.findall(r"`(rnncourse(?:\.\w+)+)`", code):
            obj = resolve(dotted)
            named += 1
            # "`a`, `b` in `rnncourse.x.f`": the names before "in" must occur in f's
            # source.
            before = code.split(f"`{dotted}`")[0]
            clause = re.split(r"`rnncourse[^`]*`|;", before)[-1]
            if clause.rstrip().endswith(" in"):
                source = inspect.getsource(obj)
                for name in code_spans(clause):
                    assert re.search(rf"\b{re.escape(name)}\b", source), (
                        f"the notation page says {dotted} uses {name!r}, but "
                        "it does not"
                    )
    assert named >= 10


def test_the_torch_parameter_names_on_the_page_are_torchs():
    import torch

    torch_names = set(torch.nn.LSTM(3, 2).state_dict())
    given = {
        n
        for r in symbol_rows()
        for n in code_spans(r[3])
        if re.fullmatch(r"(weight|bias)_\w+_l0", n)
    }
    assert given, "no torch parameter names on the page"
    assert given <= torch_names, (
        f"not torch parameter names: {sorted(given - torch_names)}"
    )
    from rnncourse.np.rnn import rnn_step_forward
    parameters = set(inspect.signature(rnn_step_forward).parameters)
    assert {"W_ih", "W_hh", "b_ih", "b_hh"} <= parameters


def test_every_enforced_spelling_is_documented_on_the_page():
    elsewhere = [r[0] for r in table_rows(TEXT) if len(r) == 3]
    for shown, _, right in WRONG_IN_MATH:
        assert any(shown in cell for cell in elsewhere), (
            f"{shown} is rejected by the tests but not listed on the page"
        )
        assert right in TEXT


def test_the_spelling_checks_catch_what_they_should():
    bad = [
        "$W_{xh} x_t$",
        "$h^{(t)}$",
        "$f_t \\circ c_{t-1}$",
        "$C_{t-1}$",
        "$h_t = tanh(a_t)$",
    ]
    good = [
        "$W_{ih} x_t$",
        "$h_t$",
        "$f_t \\odot c_{t-1}$",
        "$C_i^\\nu$",
        "$h_t = \\tanh(a_t)$",
        "$c_t$",
    ]
    for text in bad:
        assert any(
            re.search(p, m) for _, p, _ in WRONG_IN_MATH for m in math_of(text)
        ), text
    for text in good:
        assert not any(
            re.search(p, m) for _, p, _ in WRONG_IN_MATH for m in math_of(text)
        ), text
    assert math_of("a `$x$` b $y$ c $$z$$") == ["z", "y"]


# --- the chapters
# ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_equations_use_the_books_spellings(path):
    markdown, code = markdown_and_code(path)
    problems = []
    for math in math_of(markdown):
        for shown, pattern, right in WRONG_IN_MATH:
            if re.search(pattern, math):
                problems.append(
                    f"${' '.join(math.split())[:60]}$ uses {shown}; write {right}"
                )
    for pattern, right in WRONG_IN_CODE:
        for match in sorted(set(re.findall(pattern, code))):
            problems.append(f"code uses {match}; the course writes {right}")
    assert not problems, f"{path.stem} departs from book/D_notation.md:\n" + "\n".join(
        problems
    )
