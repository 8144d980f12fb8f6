"""Small Sphinx fixes for the course book (loaded through `local_extensions` in
_config.yml).

1. Author–year labels in the bibliography, matching the author–year citations in the
   text (sphinxcontrib-bibtex's default `alpha` labels, "[AGS85]", match nothing the
   reader saw); two papers of one author and year get the same a/b letter in both.
2. Inline scripts written once per page. Under Sphinx 7.4 an inline script that an
   extension adds after the builder starts (sphinx-thebe's configuration,
   sphinx-togglebutton's selector) is emitted twice, and the second `const THEBE_JS_URL`
   is a JavaScript error on every page.
3. No second header strip: the theme's top navbar (an empty strip with a duplicate
   search button since pydata-sphinx-theme 0.17) is left out of the layout
   (templates/layout.html).
4. A font stack with CJK fallbacks for the Chinese names of the glossary
   (static/rnncourse.css).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pybtex.markup import LaTeXParser
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle


def _surname(person) -> str:
    latex = " ".join(person.prelast_names + person.last_names)
    return LaTeXParser(latex).parse().render_as("text")


def author_year(entry) -> str:
    """'Hopfield, 1982', 'Krotov and Hopfield, 2016', 'Amit et al., 1985': as cited in
    the text."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_surname(p) for p in people]
    if not names:
        who = entry.fields.get("key") or entry.fields.get("organization") or entry.key
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        labels = [author_year(entry) for entry in sorted_entries]
        repeated = {label for label, n in Counter(labels).items() if n > 1}
        seen: Counter = Counter()
        for label in labels:
            if label in repeated:  # 'Gers et al., 2000a', 'Gers et al., 2000b'
                seen[label] += 1
                label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label


class AuthorYearStyle(UnsrtStyle):
    default_label_style = AuthorYearLabelStyle
    default_sorting_style = "author_year_title"


def _write_inline_scripts_once(app, pagename, templatename, context, doctree):
    files = context.get("script_files")
    if not isinstance(files, list):
        return
    seen, unique = set(), []
    for script in files:
        key = (
            script.filename or "",
            script.priority,
            tuple(sorted(script.attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    files[:] = unique


def _year_suffixes_in_citations(app, doctree, docname):
    """Two papers of one author and year are 'Gers et al., 2000a' and '..., 2000b' in
    the bibliography; the citations in the text get the same letter."""
    from docutils import nodes

    labels = {
        c.citation_id: c.formatted_entry.label
        for c in app.env.get_domain("cite").citations
    }
    for ref in doctree.findall(nodes.reference):
        target = ref.get("refuri", "").rpartition("#")[2] or ref.get("refid", "")
        label = labels.get(target, "")
        if not label[-1:].isalpha():
            continue
        year = label.rsplit(", ", 1)[-1]
        text = ref.astext()
        if text in (year[:-1], label[:-1]):
            ref.children = [nodes.Text(year if text == year[:-1] else label)]


HERE = Path(__file__).resolve().parent


def _add_templates_and_static(app, config):
    config.templates_path = [str(HERE / "templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]


def setup(app):
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    app.connect("config-inited", _add_templates_and_static)
    app.add_css_file("rnncourse.css")
    app.connect("html-page-context", _write_inline_scripts_once, priority=900)
    app.connect("doctree-resolved", _year_suffixes_in_citations)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
