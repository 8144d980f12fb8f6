"""The notation appendix (book/D_notation.md) is true of the code and of the
chapters, and the chapters follow it.

- every `rnncourse` object the appendix names exists, every name it says is used "in"
  an object occurs there, and the PyTorch parameter names it gives are torch's;
- the "Introduced in" column names the chapter where each symbol first appears in the
  math, and every symbol that two rows use is listed among the symbols with two
  meanings;
- the chapters' equations and code use the settled spellings: no `W_{xh}`, `\\circ`,
  `h^{(t)}`; output weights `W_hy`, `b_y` (never `W_ho`, `W_out`, `b_o`, or an output
  bias `c`), logits `\\ell_t` (`o_t` is the LSTM's output gate), the hidden state `h_t`
  (the textbook letters `U`, `W`, `V`, `s_t` only in chapter 4's mapping box), Elman's
  context units written `h_{t-1}`, the clipping threshold `\\kappa`, the batch `B`, and
  products of Jacobians written with their order;
- every rule enforced here is documented on the page.

The rules run over the chapters that exist; a rule about a chapter that is not written
yet is checked when it appears.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re

import pytest

from conftest import REPO, read_json

PAGE = REPO / "book" / "D_notation.md"
TEXT = PAGE.read_text(encoding="utf-8")
CHAPTER_NOTEBOOKS = sorted((REPO / "book").glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = {int(p.name[:2]): p for p in CHAPTER_NOTEBOOKS}
HEADER_CELLS = (
    "Symbol", "Their symbol", "Elsewhere", "Chapter 4", "Many textbooks", "Code"
)


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of every pipe table, as lists of cell texts."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|") and not re.match(r"\|\s*-", line):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return [r for r in rows if r[0] not in HEADER_CELLS]


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


# --- reading the chapters
# ---------------------------------------------------------------------------

# Chapter 4's box that maps the book's symbols onto many textbooks' U, W, V, s_t: the
# only place where those letters may appear.
MAPPING_BOX = re.compile(
    r"^```\{admonition\}[^\n]*many textbooks write.*?^```[ \t]*$", re.S | re.M | re.I
)


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


def chapter_cells(path) -> list[tuple[str, str]]:
    """(cell type, source) of every cell, chapter 4's mapping box removed."""
    cells = []
    for cell in read_json(path)["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            source = MAPPING_BOX.sub("", source)
        cells.append((cell["cell_type"], source))
    return cells


def canonical(math: str) -> str:
    """Math with braces and the spaces around sub- and superscripts removed, so that
    `W_{ih}`, `W_ih` and `W_{ i h }` read alike; `\\hat{y}` becomes `\\hat y`."""
    math = re.sub(r"\\(hat|tilde|bar)\{(\w)\}", r"\\\1 \2", math)
    # \frac{\partial L}{\partial h_t} reads like \partial L / \partial h_t
    math = re.sub(
        r"\\d?frac\{\s*\\partial\s*([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}"
        r"\{\s*\\partial\s*([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}",
        r"\\partial \1 / \\partial \2",
        math,
    )
    math = math.replace("{", " ").replace("}", " ")
    math = re.sub(r"\s*([_^])\s*", r"\1", math)
    return " ".join(math.split())


def contains_symbol(symbol: str, math: str) -> bool:
    """Does canonical math contain this canonical symbol as a whole (`h_t` in `h_t-1`,
    not `W` in `W_ih` or `t` in `\\tanh`)?"""
    before = r"(?<![A-Za-z\\])" if symbol[0].isalpha() else r"(?<![A-Za-z])"
    after = r"(?![A-Za-z0-9_])" if re.fullmatch(r"\\?[A-Za-z]+", symbol) else (
        r"(?![A-Za-z0-9])"
    )
    return re.search(before + re.escape(symbol) + after, math) is not None


def chapter_math(number: int) -> str:
    markdown = "\n".join(
        s for kind, s in chapter_cells(CHAPTERS[number]) if kind == "markdown"
    )
    return " \n ".join(canonical(m) for m in math_of(markdown))


def row_symbols(cell: str) -> list[str]:
    """The canonical symbols of a table cell such as `$W_{hy}, b_y$` or `$\\lambda$,
    $\\lambda_i(W)$`; a matrix argument `(W)` is dropped."""
    symbols = []
    for math in re.findall(r"\$([^$]+)\$", cell):
        for part in re.split(r",\s*(?![^()]*\))", math):
            part = re.sub(r"\(W\)$", "", part.strip())
            if part:
                symbols.append(canonical(part))
    return symbols


def two_meanings_section() -> str:
    return TEXT.split("## Symbols with two meanings", 1)[1].split("\n## ", 1)[0]


def listed_with_two_meanings(symbol: str) -> bool:
    """The symbol, or the letter it is built on, opens an item of the two-meanings
    list."""
    base = re.match(r"\\?[A-Za-z]+", symbol).group(0)
    items = re.findall(r"^- (.*)$", two_meanings_section(), flags=re.M)
    heads = [canonical(" ".join(re.findall(r"\$([^$]+)\$", item.split(":")[0])))
             for item in items]
    return any(contains_symbol(symbol, h) or contains_symbol(base, h) for h in heads)


# --- the page
# --------------------------------------------------------------------------------

def test_the_page_lists_sizes_weights_gates_and_gradients():
    symbols = " ".join(r[0] for r in symbol_rows())
    for symbol in (
        "$T$", "$B$", "$D$", "$H$", "$K$", "$G$", "$N$", "$x_t$", "$h_t$", "$c_t$",
        "$W_{ih}$", "$W_{hh}$", "$b_{ih}, b_{hh}$", "$W_{hy}, b_y$", "$\\ell_t$",
        "$\\hat y_t$", "$y_t$", "$\\delta_t$", "$J_k$", "$\\rho(W)$", "$\\kappa$",
        "$\\sigma$", "$\\odot$", "$i_t, f_t, g_t, o_t$", "$r_t, z_t, n_t$", "$s_i$",
        "$E$", "$W_\\text{in}$", "$W_{hy}$", "$\\lambda$", "$L$", "$s_t$", "$\\mu$",
        "$W_{ir}, W_{iz}, W_{in}$", "$W_{if}, W_{ig}, W_{io}$",
    ):
        assert symbol in symbols, f"the notation tables have no row for {symbol}"
    for row in symbol_rows():
        assert all(row), f"a notation row has an empty cell: {row}"
        assert re.fullmatch(r"\d+", row[4]), (
            f"{row[0]}: 'Introduced in' must be a chapter number, got {row[4]!r}"
        )


def test_the_esn_readout_is_w_hy_and_jaegers_w_out_is_mentioned():
    readout = [r for r in symbol_rows() if r[0] == "$W_{hy}$" and "readout" in r[1]]
    assert readout and "W^\\text{out}" in readout[0][1], (
        "the ESN table needs a W_hy readout row that mentions Jaeger's W^out"
    )


def test_the_textbook_letters_are_mapped_to_the_codes_names():
    mapping = {r[0]: r[2] for r in table_rows(TEXT) if len(r) == 3}
    for letter, ours in {
        "$U$": "`W_ih`",
        "$W$": "`W_hh`",
        "$V$": "`W_hy`",
        "$c$": "`b_y`",
        "$s_t$": "$h_t$",
        "$o_t$": "$\\ell_t$",
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


OUTPUT_LAYER_MODULES = ["rnncourse/np", "rnncourse/torch/gradients.py"]
WRONG_OUTPUT_NAMES = {"W_ho", "W_out", "b_o"}


def test_the_modules_name_their_output_layer_w_hy_and_b_y():
    """The page's promise that output weights are W_hy, b_y in every module: no
    variable, attribute, argument or dict key of the NumPy modules is called W_ho,
    W_out or b_o."""
    files = []
    for entry in OUTPUT_LAYER_MODULES:
        path = REPO / entry
        files += sorted(path.glob("*.py")) if path.is_dir() else [path]
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Name):
                names = [node.id]
            elif isinstance(node, ast.Attribute):
                names = [node.attr]
            elif isinstance(node, ast.arg):
                names = [node.arg]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value]
            found += [f"{path.relative_to(REPO)}: {n}" for n in names
                      if n in WRONG_OUTPUT_NAMES]
    assert not found, f"output layers must be W_hy, b_y: {found}"


# --- "Introduced in" and the symbols with two meanings
# --------------------------------------------------------------------------------

def test_introduced_in_is_where_each_symbol_first_appears():
    """Each row's chapter uses one of its symbols; a symbol with one meaning appears in
    no earlier chapter (rows of chapters not yet written are checked for the second
    half only)."""
    maths = {n: chapter_math(n) for n in CHAPTERS}
    problems = []
    for row in symbol_rows():
        symbols, introduced = row_symbols(row[0]), int(row[4])
        if introduced in maths and not any(
            contains_symbol(s, maths[introduced]) for s in symbols
        ):
            problems.append(f"{row[0]}: not in the math of chapter {introduced}")
        if any(listed_with_two_meanings(s) for s in symbols):
            continue
        earlier = sorted(
            n for n in maths if n < introduced
            and any(contains_symbol(s, maths[n]) for s in symbols)
        )
        if earlier:
            problems.append(
                f"{row[0]}: introduced in {introduced}, but chapter {earlier[0]} "
                "uses it already"
            )
    assert not problems, "the 'Introduced in' column is wrong:\n" + "\n".join(problems)


def test_every_symbol_of_two_rows_is_listed_with_two_meanings():
    """A symbol in two rows, or a Greek letter that two rows build on, has two meanings:
    the list must say so."""
    seen: dict[str, set[str]] = {}
    for row in symbol_rows():
        for symbol in row_symbols(row[0]):
            seen.setdefault(symbol, set()).add(row[1])
            greek = re.match(r"\\[a-z]+", symbol)
            if greek and greek.group(0) not in ("\\hat", "\\partial", "\\exp"):
                seen.setdefault(greek.group(0), set()).add(row[1])
    missing = sorted(s for s, meanings in seen.items() if len(meanings) > 1
                     and not listed_with_two_meanings(s))
    assert not missing, f"used in two rows but not listed with two meanings: {missing}"


def test_the_two_meanings_list_has_the_letters_that_chapters_share():
    for letter in ("\\mu", "\\beta", "\\delta", "W", "\\alpha", "\\sigma", "\\lambda",
                   "\\tau", "s", "E", "n", "N", "K", "L"):
        assert listed_with_two_meanings(letter), (
            f"{letter} has two meanings in the book but is not listed"
        )


# --- the spellings
# --------------------------------------------------------------------------------

# Spellings the book does not use, checked in the math of every chapter's markdown
# cells: (the spelling as the page shows it in its last table, regex on the math, the
# book's spelling). The mapping box of chapter 4 is removed before these run.
WRONG_IN_MATH = [
    ("$W_{xh}$", r"W_\{?\s*(?:xh|hx|x\s*h|h\s*x)\s*\}?(?![a-z])", "W_{ih}"),
    ("$h^{(t)}$", r"\b[hxyzsc]\s*\^\s*\{\s*\(\s*t", "h_t"),
    ("$a \\circ b$", r"\\circ\b", "\\odot"),
    ("$C_t$", r"(?<![A-Za-z\\])C_\{?\s*t\b", "c_t"),
    ("$tanh(a)$", r"(?<![\\A-Za-z])tanh\b", "\\tanh"),
    ("$U x_t$", r"(?<![A-Za-z\\])U\s*(?:x|s|h)_", "W_{ih} x_t"),
    ("$V s_t$", r"(?<![A-Za-z\\])V\s*(?:s|h)_", "W_{hy} h_t"),
    ("$W s_{t-1}$", r"(?<![A-Za-z\\])W\s*s_", "W_{hh} h_{t-1}"),
    ("$V s_t + c$", r"(?:s|h)_\{?t\}?\s*\+\s*c(?![A-Za-z0-9_{])", "W_{hy} h_t + b_y"),
    ("$W_\\text{out}$", r"W_\{?\s*(?:\\(?:text|mathrm)\s*\{\s*)?out\b", "W_{hy}"),
    ("$b_o$", r"(?<![A-Za-z\\])b_\{?\s*o\s*\}?(?![A-Za-z0-9])", "b_y"),
    ("$c_t = h_{t-1}$",
     r"(?<![A-Za-z\\])c_\{?t\}?\s*=\s*h_\{?\s*t\s*-\s*1|W_\{?hh\}?\s*c_", "h_{t-1}"),
    ("a clipping threshold $c$",
     r"\\frac\{\s*c\s*\}\{\s*\\lVert|\\min\\?\w*\(1,\s*c\s*/", "\\kappa"),
    ("$y^*_t$", r"y\s*\^\s*\{?\s*\*", "y_t"),
    ("$(T, N, D)$", r"\(\s*T\s*,\s*N\s*[,)]", "(T, B, D)"),
]
# Rules that depend on a whole cell: (shown, regex, the book's spelling, applies to the
# math of the cell unless this regex matches the cell's text).
WRONG_IN_CONTEXT = [
    # o_t and W_ho belong to the LSTM's output gate: elsewhere they are logits / output
    # weights.
    ("$o_t$ for the output scores", r"(?<![A-Za-z\\])o_\{?\s*[tT]\b", "\\ell_t",
     r"output gate|LSTM|\\sigma\s*\(\s*W_\{?io"),
    ("$W_{ho}$", r"W_\{?\s*ho\s*\}?(?![a-z])", "W_{hy}", r"output gate|LSTM|W_\{?io"),
    # the textbook hidden state s_t: Jordan's state units are s_t in chapter 3 only
    ("$s_t$ for the hidden state", r"(?<![A-Za-z\\])s_\{?\s*(?:t|T|0)(?![A-Za-z0-9])",
     "h_t", r"Jordan|state units"),
]
# chapter 4 alone: no textbook letter outside its mapping box
WRONG_IN_CHAPTER_4 = [
    ("$U$, $V$ (many textbooks)", r"(?<![A-Za-z\\{_^])[UV](?![A-Za-z_])",
     "W_{ih}, W_{hy}"),
]
# Karpathy's names and output-layer names in code cells, instead of the course's.
WRONG_IN_CODE = [
    (r"\bW_?xh\b|\bW_?hx\b", "W_ih"),
    (r"\bWhh\b", "W_hh"),
    (r"\bW_out\b|\bW_ho\b|\bb_o\b|\bWhy\b", "W_hy, b_y"),
]
# the clipping threshold in prose: "a threshold $c$"
WRONG_IN_TEXT = [
    ("a clipping threshold $c$", r"threshold\s+\$c\$|clipp\w*\s+(?:at|to)\s+\$c\b",
     "\\kappa"),
]


def product_without_order(math: str) -> bool:
    """A product of Jacobians written as a bare ∏, without the factors in order."""
    if not re.search(r"\\prod", math):
        return False
    # a product of matrices; a product of scalars (H = 1) needs no order
    jacobians = re.search(r"J_|\\operatorname\{diag\}", math)
    ordered = re.search(r"J_\{?[^}\s]+\}?\s*J_.*\\cdots", math)
    return bool(jacobians) and not ordered


def spelling_problems(number: int, path) -> list[str]:
    problems = []
    for kind, source in chapter_cells(path):
        if kind == "code":
            for pattern, right in WRONG_IN_CODE:
                for match in sorted(set(re.findall(pattern, source))):
                    problems.append(f"code uses {match}; the course writes {right}")
            continue
        for shown, pattern, right in WRONG_IN_TEXT:
            if re.search(pattern, source):
                problems.append(f"the text writes {shown}; write {right}")
        for math in math_of(source):
            short = " ".join(math.split())[:60]
            for shown, pattern, right in WRONG_IN_MATH:
                if re.search(pattern, math):
                    problems.append(f"${short}$ uses {shown}; write {right}")
            for shown, pattern, right, allowed in WRONG_IN_CONTEXT:
                if number == 3 and shown.startswith("$s_t$"):
                    continue
                if re.search(pattern, math) and not re.search(allowed, source):
                    problems.append(f"${short}$ uses {shown}; write {right}")
            if number == 4:
                for shown, pattern, right in WRONG_IN_CHAPTER_4:
                    if re.search(pattern, math):
                        problems.append(
                            f"${short}$ uses {shown} outside the mapping box; "
                            f"write {right}"
                        )
            if product_without_order(math):
                problems.append(
                    f"${short}$: write the product as J_T J_(T-1) ... J_(t+1)"
                )
    return problems


def test_every_enforced_spelling_is_documented_on_the_page():
    elsewhere = [r[0] for r in table_rows(TEXT) if len(r) == 3]
    shown_rules = [(s, right) for s, _, right in WRONG_IN_MATH + WRONG_IN_TEXT]
    shown_rules += [(s, right) for s, _, right, _ in WRONG_IN_CONTEXT]
    for shown, right in shown_rules:
        assert any(shown.split(" (")[0] in cell for cell in elsewhere), (
            f"{shown} is rejected by the tests but not listed on the page"
        )
        assert right.split(",")[0] in TEXT
    assert "$\\prod_{k=t+1}^{T} J_k$ alone" in TEXT


def test_the_spelling_checks_catch_what_they_should():
    bad = [
        "$W_{xh} x_t$", "$h^{(t)}$", "$f_t \\circ c_{t-1}$", "$C_{t-1}$",
        "$h_t = tanh(a_t)$", "$a_t = U x_t + W s_{t-1} + b$", "$o_t = V s_t + c$",
        "$\\ell_t = W_\\text{out} h_t + b_o$", "$c_t = h_{t-1}$",
        "$\\hat g = g \\min(1, \\frac{c}{\\lVert g \\rVert})$", "$y^*_t$",
        "$(T, N, D)$",
    ]
    good = [
        "$W_{ih} x_t$", "$h_t$", "$f_t \\odot c_{t-1}$", "$C_i^\\nu$",
        "$h_t = \\tanh(a_t)$",
        "$c_t$", "$\\ell_t = W_{hy} h_t + b_y$", "$W_{in} x_t + b_{in}$", "$b_{io}$",
        "$\\hat g = g \\min(1, \\frac{\\kappa}{\\lVert g \\rVert})$", "$(T, B, D)$",
        "$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$",
        "$\\operatorname{softmax}(Q K^\\top) V$",
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
    o_rule, ho_rule, s_rule = WRONG_IN_CONTEXT
    assert re.search(o_rule[1], "\\hat y_t = \\operatorname{softmax}(o_t)")
    assert re.search(o_rule[3], "o_t = \\sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1})")
    assert re.search(ho_rule[1], "W_{ho} h_t") and not re.search(ho_rule[1], "W_{hy}")
    assert re.search(s_rule[1], "s_{t-1}") and not re.search(s_rule[1], "s_i s_j")
    assert product_without_order("\\prod_{k=t+1}^{T} J_k")
    assert not product_without_order(
        "\\prod_{k=t+1}^{T} J_k = J_T J_{T-1} \\cdots J_{t+1}"
    )
    assert not product_without_order("\\prod_{k=t+1}^{T} w \\tanh'(a_k)")
    assert not product_without_order("\\prod_{\\mu} \\xi^\\mu")
    chapter_4_rule = WRONG_IN_CHAPTER_4[0][1]
    assert re.search(chapter_4_rule, "U")
    assert not re.search(chapter_4_rule, "\\mathcal{U}")


def test_the_mapping_box_is_in_chapter_4_and_holds_the_textbook_letters():
    if 4 not in CHAPTERS:
        pytest.skip("chapter 4 is not written")
    markdown = "\n".join(
        "".join(c["source"]) for c in read_json(CHAPTERS[4])["cells"]
        if c["cell_type"] == "markdown"
    )
    boxes = MAPPING_BOX.findall(markdown)
    assert len(boxes) == 1, "chapter 4 needs one 'Many textbooks write ...' box"
    for letter in ("$U$", "$W$", "$V$", "$s_t$", "$o_t$"):
        assert letter in boxes[0], f"the mapping box does not show {letter}"


def test_canonical_symbols_match_as_whole_symbols():
    assert contains_symbol("h_t", canonical("W_{hh} h_{t-1}"))
    assert not contains_symbol("W", canonical("W_{ih} x_t"))
    assert contains_symbol("W", canonical("s^\\top W s"))
    assert not contains_symbol("t", canonical("\\tanh(a)"))
    assert contains_symbol("\\hat y_t", canonical("\\hat{y}_t"))
    assert row_symbols("$\\lambda$, $\\lambda_i(W)$") == ["\\lambda", "\\lambda_i"]
    assert row_symbols("$W_{hy}, b_y$") == ["W_hy", "b_y"]
    assert canonical("\\frac{\\partial L}{\\partial W_{hh}}") == canonical(
        "\\partial L / \\partial W_{hh}"
    )


# --- the chapters
# ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_equations_and_code_use_the_books_spellings(path):
    problems = spelling_problems(int(path.name[:2]), path)
    assert not problems, f"{path.stem} departs from book/D_notation.md:\n" + "\n".join(
        problems
    )
