"""Checks on the book's bibliography, ``book/references.bib``.

The chapters cite these keys with ``{cite}``; a missing key or a malformed
entry breaks the Sphinx build or renders an incomplete reference.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

pybtex_database = pytest.importorskip("pybtex.database")

BIB_PATH = Path(__file__).resolve().parents[1] / "book" / "references.bib"

KEY_PATTERN = re.compile(r"^[a-z]+[0-9]{4}[a-z]?$")

# Keys the chapters rely on. Every one must exist exactly as written.
REQUIRED_KEYS = {
    # 02_hopfield
    "hopfield1982",
    "hopfield1984",
    "hebb1949",
    "amit1985",
    "mceliece1987",
    "kosko1988",
    "krotov2016",
    "ramsauer2021",
    "vaswani2017",
    # 03_jordan_elman
    "jordan1986",
    "elman1990",
    # 04_rnn_bptt
    "rumelhart1986",
    "werbos1990",
    "williams1989",
    "williams1990",
    "mikolov2010",
    # 05_gradients
    "hochreiter1991",
    "bengio1994",
    "pascanu2013",
    "glorot2010",
    "saxe2014",
    "le2015",
    # 06_reservoir
    "jaeger2001",
    "jaeger2004",
    "mackey1977",
    "maass2002",
    "lukosevicius2009",
    # 07_lstm
    "hochreiter1997",
    "gers2000",
    "gers2002",
    "reber1967",
    "greff2017",
    "jozefowicz2015",
    # 08_gru
    "cho2014",
    "chung2014",
    # 09_deep_bidirectional
    "schuster1997",
    "graves2005",
    "graves2013",
    "oord2016",
    # 10_training
    "zaremba2014",
    "srivastava2014",
    "kingma2015",
    "tieleman2012",
    # 11_seq2seq, 12_attention, 13_convlstm
    "sutskever2014",
    "papineni2002",
    "bahdanau2015",
    "shi2015",
    # 14_beyond
    "martin2018",
    "blelloch1990",
    "gu2022",
    "orvieto2023",
    "gu2023",
    "peng2023",
    "feng2024",
    "beck2024",
    # A_zoo
    "schmidhuber1992",
    "giles1992",
    "beer1995",
    "funahashi1993",
    "pollack1987",
    # general references
    "goodfellow2016",
    "graves2012",
    "karpathy2015",
}

# For each entry type, at least one of these fields must be present.
VENUE_FIELDS = {
    "article": ("journal",),
    "inproceedings": ("booktitle",),
    "incollection": ("booktitle",),
    "techreport": ("institution",),
    "book": ("publisher",),
    "phdthesis": ("school",),
    "mastersthesis": ("school",),
    "misc": ("howpublished", "url", "eprint"),
}


@pytest.fixture(scope="module")
def bib():
    assert BIB_PATH.is_file(), f"missing bibliography: {BIB_PATH}"
    return pybtex_database.parse_file(str(BIB_PATH))


def _entries(bib):
    return sorted(bib.entries.items())


def test_file_parses_and_is_not_empty(bib):
    assert len(bib.entries) >= len(REQUIRED_KEYS)


def test_required_keys_present(bib):
    missing = sorted(REQUIRED_KEYS - set(bib.entries))
    assert not missing, f"keys the chapters cite are missing: {missing}"


def test_keys_follow_convention(bib):
    bad = [key for key in bib.entries if not KEY_PATTERN.match(key)]
    assert not bad, f"keys must match {KEY_PATTERN.pattern}: {bad}"


def test_entry_types_are_standard(bib):
    bad = {
        key: e.type for key, e in _entries(bib) if e.type.lower() not in VENUE_FIELDS
    }
    assert not bad, f"unexpected entry types: {bad}"


def test_every_entry_has_author_title_year(bib):
    problems = []
    for key, entry in _entries(bib):
        if not (entry.persons.get("author") or entry.persons.get("editor")):
            problems.append(f"{key}: no author or editor")
        if not entry.fields.get("title", "").strip():
            problems.append(f"{key}: no title")
        if not entry.fields.get("year", "").strip():
            problems.append(f"{key}: no year")
    assert not problems, "\n".join(problems)


def test_every_entry_has_a_venue(bib):
    problems = []
    for key, entry in _entries(bib):
        wanted = VENUE_FIELDS.get(entry.type.lower(), ())
        if not any(entry.fields.get(field, "").strip() for field in wanted):
            problems.append(f"{key} (@{entry.type}): needs one of {wanted}")
    assert not problems, "\n".join(problems)


def test_years_are_plausible_and_match_keys(bib):
    this_year = datetime.date.today().year
    problems = []
    for key, entry in _entries(bib):
        year = entry.fields.get("year", "").strip()
        if not re.fullmatch(r"[0-9]{4}", year):
            problems.append(f"{key}: year {year!r} is not four digits")
            continue
        if not 1900 <= int(year) <= this_year:
            problems.append(f"{key}: implausible year {year}")
        key_year = re.search(r"[0-9]{4}", key).group(0)
        if key_year != year:
            problems.append(f"{key}: key says {key_year}, year field says {year}")
    assert not problems, "\n".join(problems)


def test_key_starts_with_first_author_surname(bib):
    """The key's letters are the first author's surname, lowercased ASCII."""
    import unicodedata

    problems = []
    for key, entry in _entries(bib):
        people = entry.persons.get("author") or entry.persons.get("editor")
        surname = " ".join(people[0].last_names)
        ascii_name = (
            unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode()
        )
        expected = re.sub(r"[^a-z]", "", ascii_name.lower())
        prefix = re.match(r"[a-z]+", key).group(0)
        if prefix != expected:
            problems.append(f"{key}: first author surname gives {expected!r}")
    assert not problems, "\n".join(problems)


def test_arxiv_ids_are_well_formed(bib):
    problems = []
    for key, entry in _entries(bib):
        eprint = entry.fields.get("eprint")
        if eprint and not re.fullmatch(r"[0-9]{4}\.[0-9]{4,5}", eprint):
            problems.append(f"{key}: eprint {eprint!r} is not a new-style arXiv id")
    assert not problems, "\n".join(problems)


def test_dois_are_bare(bib):
    problems = []
    for key, entry in _entries(bib):
        doi = entry.fields.get("doi")
        if doi and not re.fullmatch(r"10\.[0-9]{4,9}/\S+", doi):
            problems.append(f"{key}: doi {doi!r} should be bare, e.g. 10.1162/...")
    assert not problems, "\n".join(problems)


def test_no_duplicate_titles(bib):
    seen = {}
    duplicates = []
    for key, entry in _entries(bib):
        title = re.sub(r"[^a-z0-9]", "", entry.fields["title"].lower())
        if title in seen:
            duplicates.append(f"{key} and {seen[title]}")
        seen[title] = key
    assert not duplicates, f"same title twice: {duplicates}"
