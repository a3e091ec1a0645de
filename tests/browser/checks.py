"""What a person would see wrong on a page, checked in the page."""

import re
from urllib.parse import urlparse

from tests.browser.axe import violations

CUT_OFF = """() => {
  const out = [];
  const ctx = document.createElement('canvas').getContext('2d');
  const shown = (el) => el.offsetParent !== null && el.getClientRects().length > 0
    && !el.closest('.visually-hidden') && !el.querySelector('.visually-hidden');
  for (const el of document.querySelectorAll('select')) {
    if (!shown(el) || el.selectedIndex < 0) continue;
    const cs = getComputedStyle(el);
    ctx.font = cs.font;
    const text = el.options[el.selectedIndex].text;
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (ctx.measureText(text).width > room + 1) out.push(`drop-down cut off: ${text}`);
  }
  for (const el of document.querySelectorAll('.btn, .nav-link, .badge, th, .order-step')) {
    if (!shown(el)) continue;
    const text = el.innerText.trim();
    if (el.scrollWidth > el.clientWidth + 1) out.push(`cut off: ${text}`);
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest('svg')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      tops.push(...Array.from(range.getClientRects()).map(r => r.top));
    }
    tops.sort((a, b) => a - b);
    const step = parseFloat(getComputedStyle(el).fontSize) * 0.8;
    const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > step).length;
    if (text && text.length <= 8 && lines > 1) out.push(`a short label wraps: ${text}`);
  }
  return out;
}"""
"""Controls whose words do not fit: a drop-down narrower than its chosen option, a button,
tab, badge or heading whose text overflows it, and a short label broken over lines."""


def cut_off(page) -> list[str]:
    """The controls of the page whose words do not fit (``CUT_OFF``)."""
    return page.evaluate(CUT_OFF)


RAW_KEY = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('script, style, [data-typed], input, select, textarea, option, code')
    .forEach(e => e.remove());
  return Array.from(new Set(copy.innerText.match(/\\b[a-z]+(?:_[a-z0-9]+)+\\b/g) || []));
}"""
"""Words of lower-case letters joined by underscores (``jobs_completed``, ``in_progress``):
the codes the records keep, shown where their labels belong."""


def raw_keys(page) -> list[str]:
    """Codes shown as they are stored, in either language."""
    found = page.evaluate(RAW_KEY)
    return [f"raw codes on the page: {', '.join(sorted(found))}"] if found else []


def one_line(page) -> bool:
    """Whether every entry of the top bar stands on the same line, once the page's styles
    have loaded."""
    page.wait_for_load_state("load")
    tops = page.locator("#mainnav > ul > li").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    return len(set(tops)) == 1


WORD = re.compile(r"\b[A-Za-z][a-z]{2,}\b")
KEPT = {"VIP", "Redis", "Asia", "Shanghai", "usr", "share", "fonts", "truetype"}
KEPT |= {"wqy", "zenhei", "microhei", "ttc", "ttf"}
KEPT |= {"boss", "desk", "Owner"}
"""Words a Chinese page may show in Latin letters: VIP and Redis (names of their own), the
time zone's name and the font's file on the settings page; and this test's records: sign-in
names, and the name the factory authorizes work with."""
NOT_CHECKED: set[str] = set()
"""Pages whose words are not checked: none."""


def overflow(page) -> list[str]:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return [f"wider than the window by {wide} px"] if wide > 0 else []


def english_words(page, language: str) -> list[str]:
    """English words on a Chinese page, outside the records' own text (marked ``data``) and
    words marked as English (``lang="en"``: a language's own name in a language switch)."""
    if language != "zh_Hans" or urlparse(page.url).path in NOT_CHECKED:
        return []
    text = page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll('script, style, [data-typed], .plate, .vin, input, select, '
                + 'textarea, option, code, [lang=en]').forEach(e => e.remove());
            return copy.innerText;
        }"""
    )
    words = sorted({w for w in WORD.findall(text) if w not in KEPT})
    return [f"English on a Chinese page: {', '.join(words)}"] if words else []


def problems(page, language: str) -> list[str]:
    """Everything wrong with the page as it stands: serious accessibility violations, a page
    wider than the window, English on a Chinese page, controls cut off, raw codes."""
    return (
        violations(page)
        + overflow(page)
        + english_words(page, language)
        + cut_off(page)
        + raw_keys(page)
    )
