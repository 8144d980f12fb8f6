"""The glossary (book/glossary.yml, rendered on book/B_glossary.md) matches the book.

- every entry is complete: a term, a one-line definition, a chapter of the curriculum
  and a Chinese name written in Chinese characters;
- every term (or one of its aliases) appears in the book's text;
- every concept a chapter names in a `##`/`###` heading is a glossary term, unless the
  heading is listed below as not naming a term;
- the page's directives turn the data into a Sphinx glossary that the `{term}` role can
  link to.
"""

from __future__ import annotations

import importlib.util
import re

import pytest
from docutils import nodes

from conftest import REPO, read_json

GLOSSARY = REPO / "book" / "glossary.yml"
PAGE = REPO / "book" / "B_glossary.md"
CHAPTER_NOTEBOOKS = sorted((REPO / "book").glob("[0-9][0-9]_*.ipynb"))


def _load_extension():
    spec = importlib.util.spec_from_file_location(
        "glossary_table", REPO / "_ext" / "glossary_table.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ext = _load_extension()
ENTRIES = ext.load_glossary(GLOSSARY)

# Headings that do not name a concept: generic section names (matched anywhere in the
# heading) and, per chapter, narrative headings (matched exactly, after normalising). A
# heading that names a concept must instead contain a glossary term or alias.
GENERIC_HEADINGS = [
    r"exercises?",
    r"summary",
    r"references?",
    r"further reading",
    r"what(?:'s| is) next",
    r"the model",
    r"paper and this chapter",
    r"paper / this chapter",
    r"reproduc\w+ .*",
    r"fig(?:ure|\.)? ?\d+.*",
    r"table \d+.*",
    r"setup",
    r"conclusions?",
    r"takeaways?",
]
NOT_TERM_HEADINGS = {
    "01_sequences": [
        "Why order and memory matter",
        "A checksum in the header",
        "Input and output patterns",
        "Three situations where plain recurrence struggles",
        "A timeline, 1982 to today",
        "A map of the recurrent family",
    ],
    "02_hopfield": [
        "How many memories fit?",
        "The avalanche and $\\alpha_c \\approx 0.138$",
    ],
    "03_jordan_elman": [
        "Two ways to remember",
        "Training as Elman did",
        'Discovering the notion "word" (Fig. 6)',
        "What the two networks started",
    ],
    "04_rnn_bptt": [],
    "05_gradients": [
        "Remedies, measured",
    ],
    "06_reservoir": [],
    "07_lstm": [
        "An early checksum, remembered",
    ],
    "08_gru": [
        "Parameters and cost",
        "Three networks of about 20 000 parameters",
    ],
    "09_deep_bidirectional": [
        "Configurations in code",
    ],
    "10_training": [
        "What `detach` cuts",
    ],
    "11_seq2seq": [
        "A small translation task",
    ],
    "12_attention": [],
    "13_convlstm": [
        "How far can information travel?",
    ],
    "14_beyond": [],
}


def normalise(text: str) -> str:
    """Lower case, one kind of dash, hyphens and whitespace runs as one space, no
    emphasis marks."""
    text = text.lower().replace("*", "").replace("_", " ")
    # "Jordan's network" names the Jordan network
    text = re.sub(r"[\u2019']s\b", "", text)
    text = re.sub(r"[\u2010-\u2015\-]", " ", text)
    return " ".join(text.split())


def term_pattern(name: str) -> re.Pattern:
    """The name as a whole word or phrase, plural allowed ('gate' matches 'gates', not
    'aggregate';
    'dependency' matches 'dependencies')."""
    words = re.escape(normalise(name))
    if words.endswith("y"):
        words = words[:-1] + "(?:y|ies)"
    return re.compile(rf"(?<![a-z0-9]){words}(?:s|es)?(?![a-z0-9])")


def names(entry) -> list[str]:
    return [entry["term"], *entry["aliases"]]


def markdown_cells(path) -> list[str]:
    return [
        "".join(c["source"])
        for c in read_json(path)["cells"]
        if c["cell_type"] == "markdown"
    ]


def without_code(markdown: str) -> str:
    """Markdown with fenced code blocks removed (inline code stays: `W_ih` is text too).
    """
    return re.sub(r"^(```|~~~).*?^\1\s*$", "", markdown, flags=re.S | re.M)


def book_texts() -> dict[str, str]:
    """Every chapter's markdown cells and every book/*.md page except the glossary
    itself."""
    texts = {p.stem: "\n".join(markdown_cells(p)) for p in CHAPTER_NOTEBOOKS}
    for page in sorted((REPO / "book").glob("*.md")):
        if page != PAGE:
            texts[page.stem] = page.read_text(encoding="utf-8")
    return texts


def chapter_headings(path) -> list[str]:
    headings = []
    for cell in markdown_cells(path):
        for line in without_code(cell).splitlines():
            match = re.match(r"#{2,3}\s+(.+?)\s*#*\s*$", line)
            if match:
                headings.append(match.group(1))
    return headings


# --- the data file
# ---------------------------------------------------------------------------

def test_every_entry_has_a_definition_chapter_and_chinese_name():
    assert len(ENTRIES) >= 60, f"the glossary has only {len(ENTRIES)} entries"
    for entry in ENTRIES:
        assert entry["chapter"] in ext.CHAPTERS, entry
        assert ext.CJK.search(entry["zh"]), (
            f"{entry['term']}: zh {entry['zh']!r} has no Chinese characters"
        )
        assert len(entry["definition"]) <= 200, (
            f"{entry['term']}: the definition should be one short line"
        )
        assert (
            not entry["definition"].lower().startswith(entry["term"].lower() + " is")
        ), f"{entry['term']}: define the term without repeating it"


def test_the_loader_rejects_incomplete_entries(tmp_path):
    broken = {
        "no chinese name": "- {term: gate, definition: d, chapter: 07_lstm, zh: gate}",
        "unknown chapter": "- {term: gate, definition: d, chapter: 99_nothing, zh: 门}",
        "missing definition": "- {term: gate, chapter: 07_lstm, zh: 门}",
        "duplicate alias": "- {term: gate, definition: d, chapter: 07_lstm, zh: 门}\n"
        "- {term: gating, aliases: [Gate], definition: d, "
        "chapter: 07_lstm, zh: 门控}",
        "unknown field": "- {term: gate, definition: d, chapter: 07_lstm, zh: 门, "
                         "chinese: 门}",
    }
    for problem, text in broken.items():
        path = tmp_path / "broken.yml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ext.GlossaryDataError):
            ext.load_glossary(path)
            pytest.fail(f"a glossary with {problem} was accepted")


def test_the_seeds_chinese_key_terms_are_all_covered():
    chinese = {name for e in ENTRIES for name in [e["zh"], *e["zh_variants"]]}
    for required in ("遗忘门", "遺忘門", "时间反向传播", "隨時間反向傳播", "输入门",
                     "输出门", "细胞状态", "更新门", "重置门", "梯度消失", "梯度爆炸",
                     "梯度裁剪", "隐藏状态", "隐状态", "循环神经网络", "长短期记忆网络",
                     "门控循环单元", "回声状态网络", "上下文单元"):
        assert required in chinese, (
            f"no glossary entry gives the Chinese name {required}"
        )


# --- the book uses the glossary's terms, and the glossary its headings' terms
# ------------------

def test_every_glossary_term_appears_in_the_book():
    text = normalise("\n".join(without_code(t) for t in book_texts().values()))
    missing = [
        e["term"]
        for e in ENTRIES
        if not any(term_pattern(n).search(text) for n in names(e))
    ]
    assert not missing, (
        "glossary terms that appear nowhere in the book (chapters' markdown, "
        f"book/*.md): {missing}. "
        "Remove them from book/glossary.yml, or use them in the chapter that "
        "introduces them."
    )


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_heading_that_names_a_concept_is_in_the_glossary(path):
    patterns = [term_pattern(n) for e in ENTRIES for n in names(e)]
    generic = [re.compile(rf"^(?:\d+(?:\.\d+)*\.? )?{g}$") for g in GENERIC_HEADINGS]
    listed = {normalise(h) for h in NOT_TERM_HEADINGS.get(path.stem, [])}
    uncovered = []
    for heading in chapter_headings(path):
        text = normalise(heading)
        plain = heading.lower().strip()
        if (any(p.search(text) for p in patterns) or text in listed
                or any(g.match(plain) or g.match(text) for g in generic)):
            continue
        uncovered.append(heading)
    assert not uncovered, (
        f"{path.stem}: headings that name no glossary term: {uncovered}. If a "
        "heading names a concept, "
        "add the term to book/glossary.yml (with its definition, chapter and "
        "Chinese name); if it does "
        f"not, list it under NOT_TERM_HEADINGS['{path.stem}'] in "
        "tests/test_glossary.py."
    )


TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def linked_terms(markdown: str) -> set[str]:
    """The glossary names that {term} roles point to: `name` or `shown text <name>`."""
    found = set()
    for target in TERM_ROLE.findall(markdown):
        explicit = re.search(r"<([^<>]+)>\s*$", target)
        found.add((explicit.group(1) if explicit else target).strip().lower())
    return found


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_chapter_links_the_terms_it_introduces_to_the_glossary(path):
    """A reader can jump from the key terms a chapter introduces to the glossary."""
    linked = linked_terms("\n".join(markdown_cells(path)))
    own = [e for e in ENTRIES if e["chapter"] == path.stem]
    missing = [e["term"] for e in own if not {n.lower() for n in names(e)} & linked]
    assert not missing, (
        f"{path.stem} introduces these glossary terms but never links them with "
        f"{{term}}: {missing}"
    )


def test_linked_terms_reads_both_forms_of_the_role():
    text = "a {term}`forget gate` and {term}`the gates <Gate>` but not `gate`"
    assert linked_terms(text) == {"forget gate", "gate"}


def test_term_matching_respects_word_boundaries_and_spelling_variants():
    assert term_pattern("gate").search(normalise("the forget gates"))
    assert not term_pattern("gate").search(normalise("an aggregate"))
    assert term_pattern("many-to-one").search(normalise("many to one"))
    assert term_pattern("Mackey–Glass").search(normalise("the Mackey-Glass series"))
    assert term_pattern("long-term dependency").search(
        normalise("long-term\ndependency")
    )
    assert term_pattern("long-term dependency").search(
        normalise("long-term dependencies")
    )
    assert term_pattern("Jordan network").search(normalise("Jordan's network"))


# --- rendering
# ---------------------------------------------------------------------------------

def test_the_page_renders_the_data_file_and_does_not_copy_it():
    page = PAGE.read_text(encoding="utf-8")
    assert "```{glossary-from-data} glossary.yml" in page
    assert "```{glossary-by-chapter} glossary.yml" in page
    copied = [e["definition"] for e in ENTRIES if e["definition"] in page]
    assert not copied, (
        f"definitions typed into the page instead of read from the data: {copied}"
    )


def test_the_extension_is_registered_in_the_book_config():
    import yaml
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert config["sphinx"]["local_extensions"].get("glossary_table") == "_ext"


def _render(directive_class, found_docs=()):
    """Run a directive outside a build: a minimal Sphinx environment and document."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    class Domain:
        def __init__(self):
            self.terms = {}

        def _note_term(self, term, node_id, location=None):
            assert term.lower() not in self.terms, f"term {term} registered twice"
            self.terms[term.lower()] = node_id

    class Env:
        docname = "book/B_glossary"
        srcdir = str(REPO)

        def __init__(self):
            self.found_docs = set(found_docs)
            self.std = Domain()
            self.dependencies = []
            self.serial = 0

        def new_serialno(self, category=""):
            self.serial += 1
            return self.serial

        def relfn2path(self, filename, docname=None):
            return f"book/{filename}", str(REPO / "book" / filename)

        def note_dependency(self, filename):
            self.dependencies.append(filename)

        def get_domain(self, name):
            return self.std

    env = Env()
    document = new_document("B_glossary.md", get_default_settings(Parser))
    document.settings.env = env
    document.settings.id_prefix = ""
    document.settings.auto_id_prefix = "id"

    class State:
        def __init__(self):
            self.document = document

    directive = directive_class.__new__(directive_class)
    directive.name, directive.arguments, directive.options = (
        "glossary-from-data",
        ["glossary.yml"],
        {},
    )
    directive.state = State()
    directive.lineno, directive.content_offset, directive.block_text = 1, 0, ""
    directive.get_source_info = lambda: ("book/B_glossary.md", 1)
    return directive.run(), env


def test_the_glossary_directive_makes_one_target_per_term_and_alias():
    (glossary,), env = _render(ext.GlossaryFromData, found_docs={"book/02_hopfield"})
    assert "sorted" in glossary.attributes, (
        "Sphinx's glossary transform needs the 'sorted' flag"
    )
    terms = [t.astext() for t in glossary.findall(nodes.term)]
    expected = sorted(name for e in ENTRIES for name in names(e))
    assert sorted(terms) == expected
    assert set(env.std.terms) == {name.lower() for name in expected}
    assert env.dependencies == ["book/glossary.yml"], (
        "editing the data file must rebuild the page"
    )
    first_terms = [
        item.next_node(nodes.term).astext().lower()
        for item in glossary.findall(nodes.definition_list_item)
    ]
    assert first_terms == sorted(first_terms), "entries must be sorted alphabetically"


def test_each_entry_shows_definition_chinese_name_and_links_only_to_existing_chapters():
    (glossary,), _ = _render(ext.GlossaryFromData, found_docs={"book/02_hopfield"})
    from sphinx import addnodes
    for item in glossary.findall(nodes.definition_list_item):
        term = item.next_node(nodes.term).astext()
        entry = next(e for e in ENTRIES if e["term"] == term)
        text = item.next_node(nodes.definition).astext()
        assert entry["definition"] in text and entry["zh"] in text, term
        assert all(variant in text for variant in entry["zh_variants"]), term
        links = [x["reftarget"] for x in item.findall(addnodes.pending_xref)]
        if entry["chapter"] == "02_hopfield":
            assert links == ["/book/02_hopfield"], term
        else:
            assert links == [] and "(planned)" in text, (
                f"{term}: links to a chapter that is not in the book"
            )


def test_the_by_chapter_table_lists_every_term_once_in_curriculum_order():
    (table,), _ = _render(ext.GlossaryByChapter)
    rows = list(table.findall(nodes.row))[1:]
    terms = [row.children[1].astext().split(" (")[0] for row in rows]
    assert sorted(terms) == sorted(e["term"] for e in ENTRIES)
    order = list(ext.CHAPTERS)
    chapters = [
        order.index(next(e["chapter"] for e in ENTRIES if e["term"] == t))
        for t in terms
    ]
    assert chapters == sorted(chapters)
