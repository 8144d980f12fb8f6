"""Checks on the built HTML book in _build/html.

`make book` runs these right after building, with RNNCOURSE_REQUIRE_BUILD=1 so that a
missing build fails. Under `make test` they check whatever build is there, and skip when
there is none.
"""

from __future__ import annotations

import html
import os
import re

import pytest
import yaml

from conftest import REPO, assignment_ids, page_text, read_json, secret_lines

BUILD = REPO / "_build" / "html"
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
TOC = yaml.safe_load((REPO / "_toc.yml").read_text())
CHAPTERS = sorted(p.stem for p in (REPO / "book").glob("*.ipynb"))

if not (BUILD / "index.html").exists():
    if os.environ.get("RNNCOURSE_REQUIRE_BUILD") == "1":
        raise RuntimeError(
            f"no built book in {BUILD}: the book build must run before these checks"
        )
    pytest.skip(
        "no built book in _build/html; `make book` builds it and runs these checks",
        allow_module_level=True,
    )


def chapter_page(chapter):
    return BUILD / "book" / f"{chapter}.html"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page_shows_executed_figures_and_no_errors(chapter):
    page = chapter_page(chapter).read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+\.(?:png|svg))"', page)
    assert images, f"{chapter}: no figures in the built page"
    for src in images:
        assert (chapter_page(chapter).parent / src).exists(), (
            f"{chapter}: figure {src} is missing from the build"
        )
    text = page_text(chapter_page(chapter))
    assert "Traceback (most recent call last)" not in text, (
        f"{chapter}: an error traceback is on the page"
    )
    prose = page_text(chapter_page(chapter), include_code=False)
    assert "{glue" not in prose and "{cite" not in prose, (
        f"{chapter}: an unresolved role is in the text"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page_has_binder_and_colab_launch_links_to_main(chapter):
    page = chapter_page(chapter).read_text(encoding="utf-8")
    repo = CONFIG["repository"]["url"].removeprefix("https://github.com/")
    branch = CONFIG["repository"]["branch"]
    assert branch == "main"
    binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/book/{chapter}.ipynb"
    colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/book/{chapter}.ipynb"
    assert binder in html.unescape(page), f"{chapter}: no Binder launch link {binder}"
    assert colab in html.unescape(page), f"{chapter}: no Colab launch link {colab}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page_offers_live_code(chapter):
    page = chapter_page(chapter).read_text(encoding="utf-8")
    assert "btn-launch-thebe" in page, f"{chapter}: no live-code (Thebe) button"
    assert "thebe_selector" in page, f"{chapter}: Thebe is not configured on the page"


def test_math_is_served_from_the_build_not_a_cdn():
    page = chapter_page(CHAPTERS[0]).read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', page, flags=re.I)
    assert scripts, "no MathJax script on the chapter page"
    for src in scripts:
        assert not src.startswith(("http:", "https:", "//")), (
            f"MathJax loads from the network: {src}"
        )
        assert (chapter_page(CHAPTERS[0]).parent / src.split("?")[0]).exists(), (
            f"{src} is not in the build"
        )


def test_every_page_writes_each_inline_script_once():
    for page in sorted(BUILD.rglob("*.html")):
        if "_static" in page.parts:
            continue
        inline = re.findall(
            r"<script>(.*?)</script>", page.read_text(encoding="utf-8"), flags=re.S
        )
        repeated = sorted({body[:60] for body in inline if inline.count(body) > 1})
        assert not repeated, (
            f"{page.relative_to(BUILD)}: inline scripts written twice: {repeated}"
        )


def test_every_page_has_one_header_and_one_search_field():
    """The theme's top navbar (a second strip, a duplicate search button) is empty."""
    for page in sorted(BUILD.rglob("*.html")):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        header = re.search(r'<header id="pst-header"[^>]*>(.*?)</header>', text, re.S)
        if header:
            assert not header.group(1).strip(), (
                f"{page.relative_to(BUILD)}: the theme's top navbar has content again"
            )
        fields = text.count('class="btn search-button-field')
        assert fields <= 1, f"{page.relative_to(BUILD)}: {fields} search fields"


def test_pages_use_a_font_stack_with_cjk_fallbacks():
    css = (BUILD / "_static" / "rnncourse.css").read_text(encoding="utf-8")
    stack = re.search(r"--pst-font-family-base:([^;]+);", css).group(1)
    assert "Noto Sans CJK SC" in stack and "Microsoft YaHei" in stack, stack
    page = (BUILD / "book" / "B_glossary.html").read_text(encoding="utf-8")
    assert "_static/rnncourse.css" in page


def test_bibliography_labels_are_the_author_year_citations_of_the_text():
    bibliography = (BUILD / "book" / "bibliography.html").read_text(encoding="utf-8")
    labels = dict(
        re.findall(
            r'<div class="citation" id="([^"]+)"[^>]*>\s*<span '
            r'class="label"><span class="fn-bracket">\[</span>(.*?)<span',
            bibliography,
            flags=re.S,
        )
    )
    assert len(labels) >= 50 and "Hopfield, 1982" in labels.values(), sorted(
        labels.values()
    )[:5]
    for chapter in CHAPTERS:
        links = re.findall(
            r'<a class="reference internal" '
            r'href="bibliography.html#([^"]+)"[^>]*>([^<]+)</a>',
            chapter_page(chapter).read_text(encoding="utf-8"),
        )
        assert links, f"{chapter}: no citation links to the bibliography"
        for target, text in links:
            # (Hopfield, 1982) links the whole label; Hopfield [1982] links the year.
            assert target in labels, (
                f"{chapter}: citation {text!r} links to a missing entry #{target}"
            )
            assert labels[target] == html.unescape(text) or labels[target].endswith(
                ", " + text
            ), (
                f"{chapter}: citation {text!r} links to the entry labelled "
                f"{labels[target]!r}"
            )


def test_intro_is_the_landing_page():
    index = (BUILD / "index.html").read_text(encoding="utf-8")
    assert "book/intro.html" in index
    assert "Recurrent Neural Networks" in page_text(BUILD / "book" / "intro.html")


def test_every_toc_entry_is_built():
    entries = [TOC["root"]] + [
        c["file"] for part in TOC["parts"] for c in part["chapters"]
    ]
    for entry in entries:
        assert (BUILD / f"{entry}.html").exists(), (
            f"{entry} is in _toc.yml but was not built"
        )


def public_lines() -> set[str]:
    """Lines the course publishes on purpose: the chapters' sources and the package's
    code."""
    lines = set()
    for chapter in (REPO / "book").glob("*.ipynb"):
        for cell in read_json(chapter)["cells"]:
            lines |= {
                " ".join(line.split()) for line in "".join(cell["source"]).splitlines()
            }
    for module in (REPO / "rnncourse").rglob("*.py"):
        lines |= {
            " ".join(line.split())
            for line in module.read_text(encoding="utf-8").splitlines()
        }
    return lines


@pytest.mark.parametrize("assignment", assignment_ids())
def test_no_solution_or_hidden_test_reaches_the_html(assignment):
    """No line of a solution or hidden test is on any page, except lines that the
    chapters or the package publish anyway (a chapter may show the reference
    implementation of the formula
    an assignment asks for; the solution notebook itself must not be built)."""
    secrets = set()
    for source in (REPO / "solutions" / assignment).glob("*.ipynb"):
        secrets |= {" ".join(line.split()) for line in secret_lines(read_json(source))}
    public = public_lines()
    # a line of a chapter or of the package may contain a secret line (the hidden test
    # calls what the chapter shows): what the course publishes anyway is no leak
    published = "\n".join(public)
    secrets = {line for line in secrets - public if line not in published}
    assert secrets
    assert not (BUILD / "solutions").exists(), "solutions/ was built into the HTML"
    for page in BUILD.rglob("*.html"):
        text = page_text(page)
        leaked = [line for line in secrets if line in text]
        assert not leaked, (
            f"{page.relative_to(BUILD)} shows solution or hidden-test lines: "
            f"{leaked[:3]}"
        )
    for source in BUILD.rglob("*.ipynb"):
        raw = source.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in raw and "BEGIN HIDDEN TESTS" not in raw, (
            f"{source} leaks"
        )


# What each chapter's prose and its paper/chapter table state about its results, as
# conditions on the values the executed chapter glued: "name OP number" or
# "name OP other_name". The prose is written for these outcomes; if a change to a
# chapter breaks one, the text no longer describes what the page shows.
OUTCOMES = {
    "07_lstm": [
        "adding_lstm_accuracy > adding_rnn_accuracy",
        "adding_lstm_mse < adding_mean_predictor_mse",
        "adding_rnn_mse_over_mean > 0.95",   # "no better than the mean predictor"
        "cerg_forget_max_abs_c < cerg_noforget_max_abs_c",
        "cerg_forget_median_symbols > cerg_noforget_median_symbols",
        "popular_rel_error > 1e-3",
        "correct_rel_error < 1e-6",
    ],
    "08_gru": [
        "jsb_test_nll_gru < jsb_test_nll_tanh",
        "jsb_test_nll_lstm < jsb_test_nll_tanh",
        "three_cases_gru_accuracy_checksum > three_cases_rnn_accuracy_checksum",
    ],
    "09_deep_bidirectional": [
        "brnn_error < delayed_rnn_best_error",
        "delayed_rnn_best_error < forward_rnn_error_delay0",
        "pixelrnn_bits_per_pixel < independent_bits_per_pixel",
    ],
    "10_training": [
        "zaremba_best_valid_ppl_dropout < zaremba_best_valid_ppl_nodropout",
        "zaremba_final_valid_ppl_nodropout > zaremba_best_valid_ppl_nodropout",
        "zaremba_final_train_ppl_nodropout < zaremba_final_train_ppl_dropout",
        "zaremba_seeds_turning_up == zaremba_seeds",
        "zaremba_seeds_dropout_lower == zaremba_seeds",
        "masked_loss_difference < 1e-5",
        "grad_first_window_detached == 0",
        "grad_first_window_attached > 0",
    ],
    "11_seq2seq": [
        "s2s_test_ppl_reversed < s2s_test_ppl_forward",
        "s2s_bleu_reversed > s2s_bleu_forward",
        "s2s_bleu_beam2 >= s2s_bleu_beam1",
        "s2s_bleu_beam12 >= s2s_bleu_beam1",
    ],
    "12_attention": [
        "attn_bleu_long > encdec_bleu_long",
    ],
    "13_convlstm": [
        "convlstm_bce < fclstm_bce",
        "convlstm_1x1_bce > convlstm_bce",
        "convlstm_params < fclstm_params",
    ],
    "14_beyond": [
        "mingru_scan_max_difference < 1e-4",
        "log_scan_rel_error < 1e-4",
        "scan_speedup_T8192 > scan_speedup_T128",
        "gru_bytes_per_token == gru_bytes_per_token_min",
        "attention_cache_bytes_at_max_position > gru_bytes_per_token",
    ],
    "A_zoo": ["zoo_families_covered == 11"],
    "C_errata": ["errata_demonstrated == errata_entries"],
}
CONDITION = re.compile(r"(\w+) (<=|>=|==|<|>) (\S+)")
COMPARE = {
    "<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__,
    "==": float.__eq__,
}


def glued_values(chapter):
    import json

    path = REPO / "_build" / "jupyter_execute" / "book" / f"{chapter}.glue.json"
    assert path.exists(), f"{path} is missing: the chapter glued nothing"
    values = {}
    for name, output in json.loads(path.read_text(encoding="utf-8")).items():
        text = output.get("data", {}).get("text/plain")
        try:
            values[name] = float(text)
        except (TypeError, ValueError):
            pass
    return values


@pytest.mark.parametrize("chapter", sorted(OUTCOMES))
def test_the_outcomes_the_chapter_states_hold(chapter):
    values = glued_values(chapter)
    failed = []
    for condition in OUTCOMES[chapter]:
        name, op, other = CONDITION.fullmatch(condition).groups()
        assert name in values, f"{chapter} glues no number {name!r}"
        bound = values[other] if other in values else float(other)
        if not COMPARE[op](values[name], bound):
            failed.append(f"{condition} ({values[name]:.6g} vs {bound:.6g})")
    assert not failed, f"{chapter}: outcomes its text states do not hold: {failed}"
