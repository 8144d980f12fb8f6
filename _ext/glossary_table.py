"""The book's glossary, rendered from its data file (loaded through `local_extensions`
in _config.yml).

`book/glossary.yml` is a list of entries::

    - term: backpropagation through time
      aliases: [BPTT]                       # optional: other spellings of the term
      definition: One line, in the book's words.
      chapter: 04_rnn_bptt                  # the chapter that introduces the term
      zh: 时间反向传播                       # the Chinese name (simplified characters)
      zh_variants: [随时间反向传播]   # optional: other Chinese names in use

Two directives read it, so the page never repeats the data:

``glossary-from-data``
    a Sphinx ``glossary``, sorted alphabetically: every term and alias becomes a target
    of the ``{term}`` role, and each entry shows the definition, the Chinese name and a
    link to the chapter that introduces it (plain text while that chapter is not part of
    the book yet);
``glossary-by-chapter``
    a table of the same terms grouped by chapter, with their Chinese names.

Both take the data file's path, relative to the page, as their argument.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util.docutils import SphinxDirective

# The curriculum (DESIGN.md): chapter id -> title. A glossary entry names one of these
# ids.
CHAPTERS = {
    "01_sequences": "Sequences and memory",
    "02_hopfield": "Hopfield networks and associative memory",
    "03_jordan_elman": "Jordan and Elman networks",
    "04_rnn_bptt": "The recurrent network and backpropagation through time",
    "05_gradients": "Vanishing and exploding gradients",
    "06_reservoir": "Echo state networks",
    "07_lstm": "Long short-term memory",
    "08_gru": "Gated recurrent units",
    "09_deep_bidirectional": "Deep and bidirectional RNNs",
    "10_training": "Training RNNs in practice",
    "11_seq2seq": "Encoder–decoder and seq2seq",
    "12_attention": "Attention",
    "13_convlstm": "Convolutional LSTM",
    "14_beyond": "RNNs after Transformers",
    "A_zoo": "The RNN zoo",
}

REQUIRED_FIELDS = ("term", "definition", "chapter", "zh")
OPTIONAL_FIELDS = ("aliases", "zh_variants")
CJK = re.compile(r"[\u3400-\u9fff]")


class GlossaryDataError(ValueError):
    """The glossary data file is malformed; the message names the entry and the problem.
    """


def load_glossary(path) -> list[dict]:
    """Read and validate the glossary data file; return its entries sorted
    alphabetically.

    Every entry needs a non-empty ``term``, a one-line ``definition``, a ``chapter`` id
    from
    :data:`CHAPTERS` and a ``zh`` name written in Chinese characters; ``aliases`` and
    ``zh_variants`` are optional lists. A term or alias may appear only once
    (ignoring case).
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise GlossaryDataError(
            f"{path}: expected a list of entries, got {type(data).__name__}"
        )
    seen: dict[str, str] = {}
    entries = []
    for number, entry in enumerate(data, start=1):
        where = f"{path}, entry {number}"
        if not isinstance(entry, dict):
            raise GlossaryDataError(
                f"{where}: expected a mapping with {REQUIRED_FIELDS}, got {entry!r}"
            )
        where = f"{path}, entry {number} ({entry.get('term', '?')!r})"
        unknown = set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
        if unknown:
            raise GlossaryDataError(
                f"{where}: unknown fields {sorted(unknown)}; allowed: "
                f"{list(REQUIRED_FIELDS + OPTIONAL_FIELDS)}"
            )
        for field in REQUIRED_FIELDS:
            value = entry.get(field)
            if not isinstance(value, str) or not value.strip():
                raise GlossaryDataError(
                    f"{where}: field {field!r} must be a non-empty string, got "
                    f"{value!r}"
                )
            if "\n" in value.strip():
                raise GlossaryDataError(f"{where}: field {field!r} must be one line")
        if entry["chapter"] not in CHAPTERS:
            raise GlossaryDataError(
                f"{where}: chapter {entry['chapter']!r} is not in the curriculum "
                f"{list(CHAPTERS)}"
            )
        if not CJK.search(entry["zh"]):
            raise GlossaryDataError(
                f"{where}: zh must contain Chinese characters, got {entry['zh']!r}"
            )
        for field in OPTIONAL_FIELDS:
            value = entry.setdefault(field, [])
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                raise GlossaryDataError(
                    f"{where}: field {field!r} must be a list of non-empty "
                    f"strings, got {value!r}"
                )
        for variant in entry["zh_variants"]:
            if not CJK.search(variant):
                raise GlossaryDataError(
                    f"{where}: zh variant {variant!r} contains no Chinese characters"
                )
        for name in [entry["term"], *entry["aliases"]]:
            key = name.strip().lower()
            if key in seen:
                raise GlossaryDataError(
                    f"{where}: {name!r} is already defined by the entry {seen[key]!r}"
                )
            seen[key] = entry["term"]
        entries.append(entry)
    return sorted(entries, key=lambda e: e["term"].lower())


def chapter_label(chapter_id: str) -> str:
    """'Chapter 4, The recurrent network and backpropagation through time'; 'Appendix A,
    The RNN zoo'."""
    number = chapter_id.split("_")[0]
    if number.isdigit():
        return f"Chapter {int(number)}, {CHAPTERS[chapter_id]}"
    return f"Appendix {number}, {CHAPTERS[chapter_id]}"


def zh_text(entry: dict) -> str:
    """The Chinese name, then the other names in use.

    For example '时间反向传播 (also 随时间反向传播, 隨時間反向傳播)'.
    """
    if entry["zh_variants"]:
        return f"{entry['zh']} (also {', '.join(entry['zh_variants'])})"
    return entry["zh"]


class _GlossaryDataDirective(SphinxDirective):
    has_content = False
    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = False

    def entries(self) -> list[dict]:
        relative, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        try:
            return load_glossary(path)
        except (OSError, yaml.YAMLError, GlossaryDataError) as error:
            raise self.error(
                f"{self.name}: cannot use {self.arguments[0]}: {error}"
            ) from error

    def chapter_reference(self, chapter_id: str) -> list[nodes.Node]:
        """A link to the chapter when it is part of the book, else its name marked as
        planned."""
        docname = f"book/{chapter_id}"
        if docname in self.env.found_docs:
            xref = addnodes.pending_xref(
                "",
                refdomain="std",
                reftype="doc",
                reftarget=f"/{docname}",
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            xref += nodes.inline(
                "", chapter_label(chapter_id), classes=["xref", "std", "std-doc"]
            )
            return [xref]
        return [nodes.Text(f"{chapter_label(chapter_id)} (planned)")]

    def term_reference(self, term: str) -> nodes.Node:
        xref = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype="term",
            reftarget=term.lower(),
            refexplicit=True,
            refwarn=True,
            refdoc=self.env.docname,
        )
        xref += nodes.inline("", term, classes=["xref", "std", "std-term"])
        return xref


class GlossaryFromData(_GlossaryDataDirective):
    """```{glossary-from-data} glossary.yml``` : the data file as a Sphinx glossary, A
    to Z."""

    def run(self) -> list[nodes.Node]:
        source, line = self.get_source_info()
        glossary = addnodes.glossary()
        # already sorted; Sphinx's glossary transform reads this flag
        glossary["sorted"] = False
        items = nodes.definition_list(classes=["glossary"])
        glossary += items
        for entry in self.entries():
            item = nodes.definition_list_item()
            for name in [entry["term"], *entry["aliases"]]:
                key = name[:1].upper()
                item += make_glossary_term(
                    self.env,
                    [nodes.Text(name)],
                    key,
                    source,
                    line,
                    node_id=None,
                    document=self.state.document,
                )
            definition = nodes.definition()
            definition += nodes.paragraph("", entry["definition"].strip())
            details = nodes.paragraph(classes=["glossary-details"])
            details += nodes.strong("", "Chinese: ")
            details += nodes.inline("", zh_text(entry), classes=["glossary-zh"])
            details += nodes.Text(" · ")
            details += nodes.strong("", "Introduced in: ")
            details += self.chapter_reference(entry["chapter"])
            definition += details
            item += definition
            items += item
        return [glossary]


class GlossaryByChapter(_GlossaryDataDirective):
    """```{glossary-by-chapter} glossary.yml``` : a table of the terms grouped by
    chapter."""

    def run(self) -> list[nodes.Node]:
        entries = self.entries()
        table = nodes.table(classes=["glossary-by-chapter"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (30, 40, 30):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row(
            [nodes.Text("Chapter")], [nodes.Text("Term")], [nodes.Text("Chinese")]
        )
        body = nodes.tbody()
        group += body
        for chapter_id in CHAPTERS:
            terms = [e for e in entries if e["chapter"] == chapter_id]
            for index, entry in enumerate(terms):
                chapter = self.chapter_reference(chapter_id) if index == 0 else []
                term = [self.term_reference(entry["term"])]
                if entry["aliases"]:
                    term.append(nodes.Text(f" ({', '.join(entry['aliases'])})"))
                body += self._row(
                    chapter,
                    term,
                    [nodes.inline("", zh_text(entry), classes=["glossary-zh"])],
                )
        return [table]

    @staticmethod
    def _row(*cells) -> nodes.row:
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph.extend(content)
            entry += paragraph
            row += entry
        return row


def setup(app):
    app.add_directive("glossary-from-data", GlossaryFromData)
    app.add_directive("glossary-by-chapter", GlossaryByChapter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
