"""The viewer in headless Chromium: offline, error-free, faithful to SPARQL, and inert to injected text."""
from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import require
from kg.build import build
from kg.queries import run
from kg.viewer import write_viewer

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ID = "https://w3id.org/geokg/id/"
ISSUE = "https://w3id.org/geokg/issue/"

# Page position of the middle of an edge as drawn (it may be curved), or of a node.
EDGE_POINT = """(id) => {
  const n = kgViewer.network, r = document.getElementById('kg-network').getBoundingClientRect();
  const p = n.canvasToDOM(n.body.edges[id].edgeType.getPoint(0.5));
  return {x: p.x + r.left, y: p.y + r.top}; }"""
NODE_POINT = """(id) => {
  const n = kgViewer.network, r = document.getElementById('kg-network').getBoundingClientRect();
  const p = n.canvasToDOM(n.getPosition(id));
  return {x: p.x + r.left, y: p.y + r.top}; }"""


@pytest.fixture(scope="module")
def browser(chromium_path: str):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (pip install '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Opened:
    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def left_the_file(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


@pytest.fixture()
def open_viewer(browser) -> Iterator:
    """Open an HTML file offline; record every request and every console error."""
    contexts = []

    def _open(path: Path, width: int = 1400, height: int = 860) -> Opened:
        ctx = browser.new_context(viewport={"width": width, "height": height}, offline=True)
        contexts.append(ctx)
        page = ctx.new_page()
        opened = Opened(page, path.resolve().as_uri())
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.goto(opened.url)
        # selector waits, not wait_for_function: polling a JS predicate needs eval, which the CSP forbids
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        return opened

    yield _open
    for ctx in contexts:
        ctx.close()


def hover(page, point: dict) -> None:
    page.mouse.move(point["x"] - 30, point["y"] - 30)
    page.mouse.move(point["x"], point["y"], steps=4)


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory, sample_store) -> Path:
    return write_viewer(sample_store, tmp_path_factory.mktemp("viewer") / "graph.html", subtitle="sample")


def test_sample_viewer_offline_error_free_and_faithful(open_viewer, sample_html, sample_store):
    v = open_viewer(sample_html)
    page = v.page
    drawn = page.evaluate("""() => ({
        nodes: kgViewer.network.body.nodeIndices.length,
        stances: kgViewer.edges.get().filter(e => e.rel === 'stance'
                   && kgViewer.network.body.edgeIndices.includes(e.id)).length })""")
    assert drawn == {"nodes": len(run(sample_store, "viewer-nodes")), "stances": len(run(sample_store, "stances"))}
    assert v.left_the_file() == [] and v.errors == []

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-sample.png"))


def test_urge_edge_shows_its_evidence_and_addressee(open_viewer, sample_html):
    v = open_viewer(sample_html)
    page = v.page
    urge = page.evaluate(f"""kgViewer.edges.get().find(e => e.caption === 'urge'
        && e.from === '{ID}trump' && e.to === '{ISSUE}war-escalation').id""")
    point = page.evaluate(EDGE_POINT, urge)
    hover(page, point)
    tip = page.locator("#kg-tooltip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Donald Trump → Escalation of the war in Ukraine" in text
    assert "Trump urged Putin not to escalate the war in Ukraine" in text
    assert "addressed to Vladimir Putin" in text and "confidence 1.00" in text
    assert "Trump urges Putin not to escalate the war in Ukraine in first call since election" in text
    assert page.evaluate(f"kgViewer.edges.get('{urge}').label") == "urge"  # speech act shown on hover

    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#kg-details")
    panel.wait_for(state="visible")
    assert "Trump urged Putin not to escalate the war in Ukraine" in panel.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-sample-evidence.png"))
    assert v.errors == [] and v.left_the_file() == []


def test_node_click_and_search_open_the_side_panel(open_viewer, sample_html):
    v = open_viewer(sample_html)
    page = v.page
    point = page.evaluate(NODE_POINT, ID + "putin")
    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#kg-details")
    panel.wait_for(state="visible")
    text = panel.inner_text()
    assert "Vladimir Putin" in text and "President, Russia" in text
    assert panel.locator("a", has_text="Wikidata Q7747").get_attribute("href") == "https://www.wikidata.org/wiki/Q7747"

    page.fill("#kg-search", "trump")  # an alias; the person outranks the phone call named after him
    first = page.locator("#kg-search-results button").first
    assert first.inner_text().strip() == "Donald Trump"
    first.click()
    panel.locator("h2", has_text="Donald Trump").wait_for()
    text = panel.inner_text()
    assert "President-elect, United States" in text and "stances held (3)" in text.lower()
    assert "Trump urged Putin not to escalate the war in Ukraine" in text
    assert v.errors == []


def visible(page) -> dict:
    return page.evaluate("""() => ({nodes: kgViewer.network.body.nodeIndices.length,
        edges: kgViewer.network.body.edgeIndices.length,
        stances: kgViewer.visibleEdgeIds().filter(id => kgViewer.edges.get(id).rel === 'stance').length})""")


def test_filters_change_what_is_visible(open_viewer, sample_html, sample_store):
    v = open_viewer(sample_html)
    page = v.page
    stances = run(sample_store, "stances")
    everything = visible(page)

    page.uncheck("#kg-polarity-oppose")
    assert visible(page)["stances"] == (stances["polarity"] != "oppose").sum()
    page.check("#kg-polarity-oppose")
    assert visible(page) == everything

    page.check("#kg-only-stances")
    only = visible(page)
    assert only["edges"] == len(stances) and only["nodes"] < everything["nodes"]
    page.uncheck("#kg-only-stances")

    nodes = run(sample_store, "viewer-nodes")
    page.uncheck("#kg-kind-place")
    assert visible(page)["nodes"] == everything["nodes"] - (nodes["kind"] == "place").sum()
    page.check("#kg-kind-place")

    page.select_option("#kg-issue", ISSUE + "territorial-concessions")
    holders = run(sample_store, "positions-on-issue", issue="territorial-concessions")["actor"].nunique()
    # the issue, the actors taking a position on it, one stance edge each
    assert visible(page) == {"nodes": 1 + holders, "edges": holders, "stances": holders}
    assert f"Showing {1 + holders} of {len(nodes)} nodes" in page.inner_text("#kg-status")

    page.click("#kg-reset")
    assert visible(page) == everything
    page.select_option("#kg-source", index=1)
    assert visible(page)["stances"] == len(stances)  # the sample has one source

    page.check("#kg-freeze")
    assert page.evaluate("kgViewer.network.physics.physicsEnabled") is False
    assert v.errors == []


PAYLOADS = {
    "script": "<script>window.__pwned=1</script>",
    "img": '<img src=x onerror="window.__pwned=1">',
    "svg": "\"'><svg onload=window.__pwned=1>",
    "close": "</script><script>window.__pwned=1</script>",
    "attr": "' onmouseover='window.__pwned=1' x='",
}


def _yaml(s: str) -> str:
    """A YAML double-quoted scalar; U+2028/2029 escaped, or YAML would fold them as line breaks."""
    escaped = s.replace("\\", "\\\\").replace('"', '\\"').replace("\u2028", "\\L").replace("\u2029", "\\P")
    return '"' + escaped + '"'


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory) -> Path:
    """A store built from an annotation whose labels, quotes, roles and title carry script payloads."""
    d = tmp_path_factory.mktemp("hostile")
    q1 = f"Officials said {PAYLOADS['script']} and {PAYLOADS['img']} were ready."
    q2 = f"The council answered {PAYLOADS['svg']} and {PAYLOADS['close']} \u2028at once."
    q3 = f"Observers added {PAYLOADS['attr']} quietly."
    (d / "hostile.txt").write_text(f"{q1}\n{q2}\n{q3}\n", encoding="utf-8")
    (d / "hostile.yaml").write_text(textwrap.dedent(f"""\
        article:
          id: hostile
          file: hostile.txt
          title: {_yaml(PAYLOADS['close'])}
          url: "javascript:window.__pwned=1"
        actors:
          - {{id: evil-person, label: {_yaml(PAYLOADS['script'])}, type: Person, aliases: [{_yaml(PAYLOADS['attr'])}]}}
          - {{id: evil-state, label: {_yaml(PAYLOADS['img'])}, type: State,
             description: {_yaml(PAYLOADS['svg'])}}}
        issues:
          - {{id: evil-issue, label: {_yaml(PAYLOADS['svg'])}, definition: {_yaml(PAYLOADS['close'])}}}
        posts:
          - {{holder: evil-person, role: {_yaml(PAYLOADS['img'])}, organization: evil-state}}
        stances:
          - {{holder: evil-person, target: evil-issue, polarity: oppose, speech_act: urge,
             addressee: evil-state, evidence: {_yaml(q1)}}}
          - {{holder: evil-state, target: evil-person, polarity: support, speech_act: praise,
             evidence: {_yaml(q2)}}}
          - {{holder: evil-state, target: evil-issue, polarity: neutral, speech_act: state,
             evidence: {_yaml(q3)}}}
        """), encoding="utf-8")
    store = build([d / "hostile.yaml"], store="memory:").store
    return write_viewer(store, d / "hostile.html", title=PAYLOADS["close"], subtitle=PAYLOADS["img"])


def test_injected_text_is_shown_as_text_and_never_runs(open_viewer, hostile_html):
    v = open_viewer(hostile_html)
    page = v.page
    ids = page.evaluate("kgViewer.nodes.getIds()")
    assert len(ids) == 3
    for node in ids:
        point = page.evaluate(NODE_POINT, node)
        hover(page, point)
        page.locator("#kg-tooltip").wait_for(state="visible")
        page.mouse.click(point["x"], point["y"])
        page.locator("#kg-details").wait_for(state="visible")
    for edge in page.evaluate("kgViewer.edges.getIds()"):
        point = page.evaluate(EDGE_POINT, edge)
        hover(page, point)
        page.locator("#kg-tooltip").wait_for(state="visible")
        assert page.evaluate(f"kgViewer.edges.get({edge!r}).label")
        page.mouse.click(point["x"], point["y"])
    page.fill("#kg-search", "<")
    page.locator("#kg-search-results button").first.click()
    page.select_option("#kg-issue", index=1)
    page.select_option("#kg-source", index=1)

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3  # data block, vis-network, viewer
    assert v.errors == [] and v.left_the_file() == []

    # the payloads are on the page, verbatim, as text
    page.evaluate(f"kgViewer.focusNode('{ID}evil-person')")
    panel = page.inner_text("#kg-details")
    assert PAYLOADS["script"] in panel and PAYLOADS["img"] in panel  # label, office role
    assert page.title() == PAYLOADS["close"]
    page.evaluate(f"kgViewer.focusNode('{ISSUE}evil-issue')")
    panel = page.inner_text("#kg-details")
    assert PAYLOADS["svg"] in panel and PAYLOADS["close"] in panel  # label, definition
    stance = page.evaluate("kgViewer.edges.get().find(e => e.caption === 'urge').id")
    page.evaluate(f"kgViewer.focusEdge({stance!r})")
    panel = page.locator("#kg-details")
    assert PAYLOADS["script"] in panel.inner_text() and PAYLOADS["close"] in panel.inner_text()
    assert panel.locator("a").count() == 0  # the javascript: URL is not made a link
    assert PAYLOADS["img"] in page.inner_text(".kg-subtitle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer-injection.png"))


def test_a_query_naming_nothing_gives_an_empty_page_that_says_so(open_viewer, sample_store, tmp_path):
    q = tmp_path / "nothing.rq"
    q.write_text("SELECT ?x WHERE { ?x a kg:Nothing }")
    v = open_viewer(write_viewer(sample_store, tmp_path / "empty.html", query=q))
    assert v.page.locator("#kg-empty").is_visible() and v.errors == []
