"""Keyboard use and contrast on the public portal, in a real browser (WCAG 2.1 AA 2.1.1, 2.4.1,
2.4.7, 1.4.3, 1.4.11; GB/T 37668): Tab alone reaches the skip link, the main navigation, the
search box and the main links of the home page, each with a visible focus outline; Enter
follows them; and every main text and link colour has a contrast ratio of at least 4.5:1
against the background it is drawn on, computed from the browser's computed styles."""

from __future__ import annotations

import re

import pytest

from sanxiang.publicity import services

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || "").trim(),
          label: el.getAttribute("aria-label") || (el.labels && el.labels[0] ? el.labels[0].innerText : ""),
          href: el.getAttribute("href"), outlineStyle: s.outlineStyle,
          outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor,
          shown: el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().left >= 0};
}"""

# For every visible element with its own text: its colour and the first opaque background
# colour up its ancestors (the page has no background images or translucent overlays).
COLOURS = """(selector) => {
  const bg = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== "transparent" && !c.startsWith("rgba(0, 0, 0, 0)")) return c;
    }
    return "rgb(255, 255, 255)";
  };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!own || r.width === 0 || r.height === 0 || r.left < 0) continue;
    const s = getComputedStyle(el);
    out.push({what: el.tagName.toLowerCase() + (el.className ? "." + el.className : ""),
              text: el.textContent.trim().slice(0, 20), color: s.color, background: bg(el)});
  }
  return out;
}"""


def rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


def luminance(css: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_wcag():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)"), 2) == 4.54


def tab_through(page, presses: int = 80) -> list[dict]:
    """Every focus stop from the top of the page to its end (where focus leaves the page)."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now["tag"] == "body":
            break
        seen.append(now)
    return seen


def test_keyboard_alone_reaches_the_search_box_and_the_main_links_with_a_visible_focus(
    page, agency
):
    page.goto(f"{page.base_url}/gongkai/")
    stops = tab_through(page)
    names = [s["text"] or s["label"] for s in stops]
    assert names[0] == "跳到正文"  # the first Tab shows the skip link
    for wanted in ("首页", "事前公开", "事中公示", "事后公开", "文书核验"):
        assert wanted in names, wanted
    search = next(s for s in stops if s["id"] == "home-q")
    assert search["tag"] == "input" and search["label"] == "检索执法决定"
    for wanted in (
        "检索",
        "执法主体与职责",
        "执法事项清单及法律依据",
        "执法流程图",
        "执法人员名录",
        "救济渠道",
        "事前公开内容历史版本",
        "核验执法证件",
        "行政执法决定公示",
        "行政执法统计年报",
    ):
        assert wanted in names, wanted
    # Navigation, then search, then the content: the order the page reads in.
    assert names.index("文书核验") < names.index("检索执法决定") < names.index("执法主体与职责")
    for s in stops:
        assert s["shown"], s
        assert s["outlineStyle"] != "none" and s["outlineWidth"] >= 2, s

    # The focus outline itself stands out (1.4.11: 3:1) from what is around it.
    page.goto(f"{page.base_url}/gongkai/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the site title, on the dark header
    on_header = page.evaluate(FOCUSED)
    assert contrast(on_header["outlineColor"], "rgb(23, 70, 127)") >= 3
    page.locator("#home-q").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    in_main = page.evaluate(FOCUSED)
    assert (
        in_main["id"] == "home-q" and contrast(in_main["outlineColor"], "rgb(255, 255, 255)") >= 3
    )


def test_enter_follows_the_skip_link_the_search_and_a_focused_link(page, agency):
    page.goto(f"{page.base_url}/gongkai/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "home-q":
            break
    page.keyboard.type("工资")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/gongkai/decisions/\?q="))

    page.goto(f"{page.base_url}/gongkai/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText") == "执法人员名录":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base_url}/gongkai/officers/")


@pytest.mark.parametrize(
    "path",
    ["/gongkai/", "/gongkai/officers/", "/gongkai/officers/history/", "/gongkai/remedies/v1/"],
)
def test_main_text_and_link_colours_have_a_contrast_of_at_least_4_5(page, agency, path):
    services.portal_snapshots_refresh()
    page.goto(f"{page.base_url}{path}")
    selector = (
        "main p, main li, main h1, main h2, main h3, main a, main dt, main dd, main th, main td,"
        " main label, main .help, main .muted, main .tag, main button, main code,"
        " .site-title span, .site-nav a, .site-foot p, .site-foot a"
    )
    found = page.evaluate(COLOURS, selector)
    assert len(found) > 10
    kinds = {f["what"].split(".")[0] for f in found}
    assert {"p", "a", "h1"} <= kinds
    low = [
        (
            f["what"],
            f["text"],
            f["color"],
            f["background"],
            round(contrast(f["color"], f["background"]), 2),
        )
        for f in found
        if contrast(f["color"], f["background"]) < 4.5
    ]
    assert low == [], low
    # The current page's tab in the navigation (inverted colours) is checked too.
    current = page.evaluate(COLOURS, '.site-nav a[aria-current="page"]')
    for f in current:
        assert contrast(f["color"], f["background"]) >= 4.5, f
