"""The built book in a real browser: headless Chromium driven by Selenium, over HTTP.

`make book` runs these right after building (with RNNCOURSE_REQUIRE_BUILD=1). Every page
of `_toc.yml` is loaded once from a local server; the checks below then read what the
browser saw:

- no JavaScript error of the page's own (console level SEVERE);
- MathJax has finished, no TeX error, and no raw TeX delimiter left in the visible
  prose;
- every image has loaded and has alt text (not just its file name) or a figure
  caption;
- every internal link and `#fragment` resolves, and the server answered every request;
- the sidebar lists the pages and captions in `_toc.yml` order;
- each chapter (book/*.ipynb) shows its executed figures and no error traceback;
- the launch buttons of each notebook page open it on Binder and Colab from the `main`
  branch.

The browser runs with every host but 127.0.0.1 unresolvable, so the pages are checked as
a reader without network sees them, whether or not the machine has network. A full-page
screenshot of each page is saved to _build/screenshots/ (with summary.txt: page weights
and timings) for a look by eye.

The browser is Debian's `chromium` with `chromium-driver` (`.ci/run` installs them;
nothing is ever downloaded). Without them these tests skip, except in CI (`CI=true`) or
with RNNCOURSE_REQUIRE_BROWSER=1, where a missing browser is a failure.
"""

from __future__ import annotations

import base64
import functools
import html
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import REPO

BUILD = REPO / "_build" / "html"
SCREENSHOTS = REPO / "_build" / "screenshots"
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
TOC = yaml.safe_load((REPO / "_toc.yml").read_text())
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REQUIRE_BROWSER = (
    os.environ.get("CI") == "true" or os.environ.get("RNNCOURSE_REQUIRE_BROWSER") == "1"
)

if not (BUILD / "index.html").exists():
    if os.environ.get("RNNCOURSE_REQUIRE_BUILD") == "1":
        raise RuntimeError(
            f"no built book in {BUILD}: the book build must run before these checks"
        )
    pytest.skip(
        "no built book in _build/html; `make book` builds it and runs these checks",
        allow_module_level=True,
    )

_missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:  # pragma: no cover - selenium is pinned in requirements.txt
    _missing.append("the selenium package")
if _missing:
    _why = (f"no browser to test the book in: {', '.join(_missing)} missing "
            "(apt-get install chromium chromium-driver)")
    if REQUIRE_BROWSER:
        raise RuntimeError(
            _why + "; CI=true or RNNCOURSE_REQUIRE_BROWSER=1 requires it"
        )
    pytest.skip(_why, allow_module_level=True)

# The pages: the root, then every entry of _toc.yml in order (the bibliography is one of
# them).
TOC_ENTRIES = [TOC["root"]] + [
    c["file"] for part in TOC["parts"] for c in part["chapters"]
]
TOC_CAPTIONS = [part["caption"] for part in TOC["parts"]]
PAGES = list(dict.fromkeys(TOC_ENTRIES + ["book/bibliography"]))
NOTEBOOK_PAGES = [p for p in PAGES if (REPO / f"{p}.ipynb").exists()]
# executed at build time
CHAPTERS = [p for p in NOTEBOOK_PAGES if p.startswith("book/")]

# Console messages (level SEVERE) that are ignored, each for a reason. Anything else
# fails.
IGNORED_CONSOLE = {
    # A resource on another host, which the browser cannot reach here (every host but
    # the loopback server is unresolvable on purpose). None is expected: the book serves
    # its scripts, styles, fonts and MathJax itself; summary.txt lists any request to
    # another host.
    "a resource on another host": re.compile(
        r"^(https?:)?//(?!127\.0\.0\.1[:/])\S+ .*net::ERR_", re.S
    ),
    # The browser asks every site for /favicon.ico on its own; the book has no favicon.
    "the browser's own favicon request": re.compile(
        r"^\S+/favicon\.ico - Failed to load resource"
    ),
}

PAGE_TIMEOUT_S = 60

# --- what the browser is asked, once per page
# -------------------------------------------------

WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
const start = Date.now();
(function poll() {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(() => done("typeset"), e => done("failed: " + e));
  } else if (!document.querySelector('script[src*="mathjax"]')) {
    done("no MathJax on the page");
  } else if (Date.now() - start > 30000) {
    done("MathJax never started");
  } else {
    setTimeout(poll, 50);
  }
})();
"""

INSPECT_PAGE = r"""
const visible = el =>
  !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const article = document.querySelector("article.bd-article") || document.body;
const prose = article.cloneNode(true);
prose.querySelectorAll(
  "pre, code, script, style, mjx-container, .cell_input, .cell_output"
).forEach(e => e.remove());
const sidebar = document.querySelector("nav.bd-docs-nav");
return {
  url: location.href,
  title: document.title,
  prose: prose.innerText,
  article_text: article.innerText,
  math: document.querySelectorAll("mjx-container").length,
  math_errors: [...document.querySelectorAll("mjx-merror")]
    .map(e => e.getAttribute("data-mjx-error") || e.textContent),
  images: [...document.images].map(img => {
    const fig = img.closest("figure");
    const cap = fig && fig.querySelector("figcaption");
    return {src: img.currentSrc || img.src, alt: img.getAttribute("alt"),
            complete: img.complete,
            width: img.naturalWidth, caption: cap ? cap.innerText.trim() : "",
            in_output: !!img.closest(".cell_output"), visible: visible(img)};
  }),
  links: [...document.querySelectorAll("a[href], link[href]")]
    .map(a => ({href: a.href, raw: a.getAttribute("href"), text: a.innerText.trim()})),
  ids: [...document.querySelectorAll("[id]")].map(e => e.id)
    .concat([...document.querySelectorAll("a[name]")].map(e => e.name)),
  sidebar: sidebar ? [...sidebar.querySelectorAll("li.toctree-l1 > a")].map(a => a.href)
    : null,
  captions: sidebar ? [...sidebar.querySelectorAll("p.caption")]
    .map(p => p.innerText.trim()) : null,
  outputs: document.querySelectorAll(".cell_output").length,
  output_images: document.querySelectorAll(".cell_output img").length,
  tracebacks: document.querySelectorAll(
    ".cell_output .traceback, .output.traceback, .output.error").length,
  resources: performance.getEntriesByType("resource")
    .map(r => ({name: r.name, type: r.initiatorType, size: r.decodedBodySize})),
};
"""


# --- the local server
# ---------------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    failures: list[str]

    def log_request(self, code="-", size="-"):
        if str(code).isdigit() and int(code) >= 400:
            self.failures.append(f"{code} {self.path}")

    def log_message(self, *args):
        pass


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids |= {
            attrs[k]
            for k in ("id", "name")
            if attrs.get(k) and (k == "id" or tag == "a")
        }


@functools.cache
def ids_of(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def report(config, line: str) -> None:
    """A line for the person running the tests (shown even under -q; a plain print under
    xdist)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


# --- one browser session over the whole book
# ------------------------------------------------------


def chromium_options(profile: str):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
        # Offline, deterministically: every host but the loopback server is
        # unresolvable.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def full_page_screenshot(driver, path: Path) -> None:
    """The whole page, as a window as tall as the page shows it."""
    width, height = driver.execute_script(
        "return [window.innerWidth, "
        "Math.max(document.documentElement.scrollHeight, "
        "document.body.scrollHeight)]"
    )
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => "
            "setTimeout(done, 300));"
        )
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.fixture(scope="module")
def visits(request):
    """Every page, visited once: what the browser saw, keyed by the page's path (no
    .html)."""
    started = time.perf_counter()
    failures: list[str] = []
    handler = functools.partial(
        type("Handler", (_Handler,), {"failures": failures}), directory=str(BUILD)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    profile = tempfile.mkdtemp(prefix="rnncourse-chromium-")
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    driver = None
    seen = {}
    try:
        driver = webdriver.Chrome(
            service=Service(str(CHROMEDRIVER)), options=chromium_options(profile)
        )
        driver.set_page_load_timeout(PAGE_TIMEOUT_S)
        driver.set_script_timeout(PAGE_TIMEOUT_S)
        launched = time.perf_counter()
        for page in PAGES:
            t0 = time.perf_counter()
            del failures[:]
            driver.get(base + page + ".html")
            mathjax = driver.execute_async_script(WAIT_FOR_MATHJAX)
            # Let late scripts (theme, thebe, copy buttons) run before reading the
            # console.
            driver.execute_async_script(
                "const done = arguments[0]; requestAnimationFrame(() => "
                "setTimeout(done, 200));"
            )
            state = driver.execute_script(INSPECT_PAGE)
            state["mathjax"] = mathjax
            state["console"] = driver.get_log("browser")
            state["server_failures"] = list(failures)
            state["screenshot"] = SCREENSHOTS / (page.replace("/", "__") + ".png")
            full_page_screenshot(driver, state["screenshot"])
            state["seconds"] = time.perf_counter() - t0
            seen[page] = state
        timings = (launched - started, time.perf_counter() - launched)
    finally:
        if driver is not None:
            driver.quit()
        server.shutdown()
        server.server_close()
        shutil.rmtree(profile, ignore_errors=True)
    summarise(request.config, base, seen, timings)
    return {"base": base, "pages": seen}


def page_weight(page: str, state: dict, base: str) -> tuple[int, int, int]:
    """(HTML bytes, bytes of the page's distinct images, bytes of everything the browser
    fetched)."""
    html_bytes = (BUILD / f"{page}.html").stat().st_size
    images = {img["src"] for img in state["images"] if img["src"].startswith(base)}
    image_bytes = sum(
        (BUILD / urllib.parse.unquote(urllib.parse.urlsplit(src).path).lstrip("/"))
        .stat()
        .st_size
        for src in images
    )
    everything = html_bytes + sum(
        r["size"] for r in {r["name"]: r for r in state["resources"]}.values()
    )
    return html_bytes, image_bytes, everything


def summarise(config, base: str, seen: dict, timings: tuple[float, float]) -> None:
    lines = [
        f"Screenshots of the built book: {SCREENSHOTS}",
        f"{'page':42} {'HTML KB':>8} {'images KB':>10} "
        f"{'HTML+images KB':>15} {'all fetched KB':>15} {'load s':>7}",
    ]
    for page, state in seen.items():
        h, i, everything = page_weight(page, state, base)
        lines.append(
            f"{page:42} {h / 1024:8.0f} {i / 1024:10.0f} {(h + i) / 1024:15.0f} "
            f"{everything / 1024:15.0f}"
            f" {state['seconds']:7.2f}"
        )
    external = sorted(
        {
            r["name"]
            for s in seen.values()
            for r in s["resources"]
            if not r["name"].startswith(base)
        }
    )
    lines.append(
        f"Browser start {timings[0]:.1f} s; {len(seen)} pages in {timings[1]:.1f} s."
    )
    lines.append("External requests: " + (", ".join(external) if external else "none"))
    (SCREENSHOTS / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for line in lines:
        report(config, line)


def relative(url: str, base: str) -> str:
    return (
        urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
        if url.startswith(base)
        else url
    )


# --- the checks
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_javascript_errors(visits, page):
    state = visits["pages"][page]
    assert state["title"], f"{page}: no title, the page did not load"
    errors = [
        e["message"]
        for e in state["console"]
        if e["level"] == "SEVERE"
        and not any(
            pattern.search(e["message"]) for pattern in IGNORED_CONSOLE.values()
        )
    ]
    assert not errors, f"{page}: JavaScript errors in the console: {errors}"
    failed = [f for f in state["server_failures"] if not f.endswith(" /favicon.ico")]
    assert not failed, f"{page}: requests the server could not answer: {failed}"


RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$\\[A-Za-z]")


@pytest.mark.parametrize("page", PAGES)
def test_math_is_rendered(visits, page):
    state = visits["pages"][page]
    assert state["mathjax"] in ("typeset", "no MathJax on the page"), (
        f"{page}: MathJax: {state['mathjax']}"
    )
    assert not state["math_errors"], f"{page}: TeX errors: {state['math_errors']}"
    raw = [
        state["prose"][max(m.start() - 40, 0) : m.end() + 40]
        for m in RAW_TEX.finditer(state["prose"])
    ]
    assert not raw, f"{page}: raw TeX in the visible text: {raw[:5]}"
    if page in CHAPTERS:
        assert state["mathjax"] == "typeset" and state["math"] > 0, (
            f"{page}: no typeset math on a chapter page"
        )


FILE_NAME = re.compile(r"^[\w./-]*\.(png|jpe?g|gif|svg|webp)$", re.I)


@pytest.mark.parametrize("page", PAGES)
def test_images_load_and_have_alt_text_or_a_caption(visits, page):
    state = visits["pages"][page]
    for img in state["images"]:
        name = relative(img["src"], visits["base"])
        assert img["complete"] and img["width"] > 0, (
            f"{page}: image {name} did not load"
        )
        alt = (img["alt"] or "").strip()
        described = (alt and not FILE_NAME.match(alt)) or img["caption"]
        assert described, (
            f"{page}: image {name} has no alt text (alt={img['alt']!r}) and no "
            "figure caption;"
            " give the output cell `mystnb: image: alt:` or a "
            "figure caption"
        )


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_and_anchors_resolve(visits, page):
    base, state = visits["base"], visits["pages"][page]
    broken = []
    for link in state["links"]:
        href = link["href"]
        if not href.startswith(base):
            continue  # another site, mailto:, javascript: — not the build's to resolve
        parts = urllib.parse.urlsplit(href)
        target = BUILD / urllib.parse.unquote(parts.path).lstrip("/")
        if parts.path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            broken.append(
                f"{link['raw']} (no {target.relative_to(BUILD)} in the build)"
            )
            continue
        fragment = urllib.parse.unquote(parts.fragment)
        if not fragment or target.suffix != ".html":
            continue
        on_target = (
            set(visits["pages"][relative(href, base)[:-5]]["ids"])
            if relative(href, base)[:-5] in visits["pages"]
            else ids_of(target)
        )
        if fragment not in on_target:
            broken.append(
                f"{link['raw']} (no id {fragment!r} on {target.relative_to(BUILD)})"
            )
    assert not broken, f"{page}: broken internal links: {broken}"


@pytest.mark.parametrize("page", PAGES)
def test_sidebar_follows_the_toc(visits, page):
    base, state = visits["base"], visits["pages"][page]
    assert state["sidebar"] is not None, f"{page}: no sidebar"
    listed = [
        relative(href.split("#")[0], base).removesuffix(".html")
        for href in state["sidebar"]
    ]
    assert listed == TOC_ENTRIES, (
        f"{page}: the sidebar lists {listed}, _toc.yml says {TOC_ENTRIES}"
    )
    assert state["captions"] == TOC_CAPTIONS, (
        f"{page}: sidebar captions {state['captions']} != {TOC_CAPTIONS}"
    )


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_shows_executed_outputs_and_no_traceback(visits, page):
    state = visits["pages"][page]
    assert state["outputs"] > 0, (
        f"{page}: no cell outputs on the page: was the chapter executed?"
    )
    figures = [img for img in state["images"] if img["in_output"]]
    assert figures, f"{page}: no figures among the outputs"
    assert all(img["visible"] for img in figures), f"{page}: a figure is hidden"
    assert state["tracebacks"] == 0, f"{page}: an error output is on the page"
    assert "Traceback (most recent call last)" not in state["article_text"], (
        f"{page}: a traceback is on the page"
    )


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_launch_buttons_open_this_notebook_from_main(visits, page):
    state = visits["pages"][page]
    repo = CONFIG["repository"]["url"].removeprefix("https://github.com/")
    assert CONFIG["repository"]["branch"] == "main"
    expected = {
        "Binder": f"{CONFIG['launch_buttons']['binderhub_url']}/v2/gh/{repo}/main"
                  f"?urlpath=lab/tree/{page}.ipynb",
        "Colab": f"{CONFIG['launch_buttons']['colab_url']}/github/{repo}/blob/main/"
                 f"{page}.ipynb",
    }
    hrefs = [html.unescape(link["href"]) for link in state["links"]]
    for service, url in expected.items():
        host = urllib.parse.urlsplit(url).netloc
        found = [h for h in hrefs if urllib.parse.urlsplit(h).netloc == host]
        assert found == [url], (
            f"{page}: the {service} launch button goes to {found}, expected {url}"
        )


@pytest.mark.parametrize("page", PAGES)
def test_screenshot_saved(visits, page):
    shot = visits["pages"][page]["screenshot"]
    assert shot.is_file() and shot.stat().st_size > 10_000, (
        f"{page}: no screenshot at {shot}"
    )


def test_a_cjk_font_is_installed_for_the_chinese_names():
    """The glossary's Chinese names render as characters, not empty boxes, only where
    the browser finds a CJK font; `.ci/run` installs Debian's fonts-noto-cjk."""
    import subprocess

    found = subprocess.run(["fc-match", "-f", "%{family}", "Noto Sans CJK SC"],
                           capture_output=True, text=True).stdout
    assert "Noto Sans CJK" in found, (
        f"no CJK font for the glossary's Chinese names (fc-match found {found!r}); "
        "apt-get install fonts-noto-cjk"
    )
