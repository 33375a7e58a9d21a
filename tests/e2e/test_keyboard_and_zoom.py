"""A section answered with the keyboard alone, and the pages at 200 % zoom and 320 px wide.

Every control reached with Tab must show a focus ring. Screenshots go to artifacts/screenshots
(or E2E_SCREENSHOTS): ``zoom200-*`` and ``w320-*``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import CHROMIUM, SHOTS, log_in

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium is not installed here (apt-get install chromium); CI installs it.",
)

# What has focus, and whether it shows a ring (a radio's ring is drawn on its button label).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.tagName === "MAIN") return null;
  const shown = el.classList.contains("btn-check")
    ? document.querySelector(`label[for="${el.id}"]`) : el;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {
    what: `${el.tagName} ${el.name || el.id || el.textContent.trim().slice(0, 40)}`,
    ring: outline || style.boxShadow !== "none",
  };
}"""


class Keyboard:
    """Tab through the page as a keyboard user does, checking the focus ring at each stop."""

    def __init__(self, page) -> None:
        self.page = page
        self.stops: list[str] = []

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("s => document.activeElement.matches(s)", selector)

    def tab_to(self, selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focus = self.page.evaluate(FOCUS)
            if focus is not None:
                assert focus["ring"], f"no visible focus ring on {focus['what']}"
                self.stops.append(focus["what"])
            if self.focused(selector):
                return
        raise AssertionError(f"{selector} not reached with {limit} Tab presses: {self.stops[-10:]}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)


def item(ref: str) -> str:
    return f'fieldset[id="item-{ref}"]'


# Records every change of aria-busy on the page's items, to see the loading state announced.
WATCH_BUSY = """() => {
  window.busyChanges = [];
  new MutationObserver((changes) => changes.forEach((c) => window.busyChanges.push(
    [c.target.closest("fieldset.item").id, c.target.getAttribute("aria-busy")]
  ))).observe(document.getElementById("section-form"),
              {subtree: true, attributes: true, attributeFilter: ["aria-busy"]});
}"""


def details_loaded_with_focus_kept(page, ref: str) -> None:
    """An item's details opened from its summary: the fields arrive, the summary keeps the
    focus, and the details body was busy while they loaded (screen readers wait for it)."""
    body = page.locator(f"{item(ref)} .details-body")
    body.locator('textarea[name$="-comment"]').wait_for(timeout=10_000)
    page.wait_for_function(
        "s => document.querySelector(s).getAttribute('aria-busy') === null",
        arg=f"{item(ref)} .details-body",
    )
    assert page.evaluate("s => document.activeElement.matches(s)", f"{item(ref)} summary"), (
        "focus left the summary when the details loaded: "
        + page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
    )
    changes = [
        value for where, value in page.evaluate("window.busyChanges") if where == f"item-{ref}"
    ]
    assert changes[:1] == ["true"] and changes[-1] is None, changes


def test_a_section_is_answered_with_the_keyboard_alone(demo_site, chromium):
    base, pk = demo_site["url"], demo_site["assessment"]
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "ken-focal")
    page.goto(f"{base}/assessments/{pk}/sections/IV/")
    keys = Keyboard(page)

    # The skip link comes first, shows itself, and leads to the main content.
    keys.tab_to("a.skip-link", limit=1)
    assert page.locator("a.skip-link").bounding_box()["height"] > 10
    keys.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # IV.1: level 2 (Space on the first level, then two arrows), assistance asked for training,
    # high priority, a comment.
    keys.tab_to(f'{item("IV.1")} input[type="radio"]')
    keys.press("Space", "ArrowRight", "ArrowRight")
    keys.tab_to(f'{item("IV.1")} select[name$="-assistance"]')
    while page.evaluate("document.activeElement.value") != "yes":
        keys.press("ArrowDown")
    keys.tab_to(f'{item("IV.1")} input[value="training"]')
    keys.press("Space")
    keys.tab_to(f'{item("IV.1")} select[name$="-priority"]')
    while page.evaluate("document.activeElement.value") != "high":
        keys.press("ArrowDown")
    keys.tab_to(f'{item("IV.1")} textarea[name$="-comment"]')
    page.keyboard.type("Typed with the keyboard only.")

    # IV.2: opens its details with Enter, answers "0 – Not in place" with Space.
    keys.tab_to(f'{item("IV.2")} input[type="radio"]')
    keys.press("Space")
    page.evaluate(WATCH_BUSY)
    keys.tab_to(f"{item('IV.2')} summary")
    keys.press("Enter")
    assert page.locator(f"{item('IV.2')} details").get_attribute("open") is not None
    # The detail fields load when the item is opened; the keyboard user stays where they were.
    details_loaded_with_focus_kept(page, "IV.2")
    keys.tab_to(f'{item("IV.2")} textarea[name$="-comment"]', limit=200)
    page.keyboard.type("No offence in the penal code.")

    # IV.3: the left arrow from the first level wraps round to "Unknown".
    keys.tab_to(f'{item("IV.3")} input[type="radio"]')
    keys.press("Space", "ArrowLeft")
    # Its details open with Space as well, and load the same way.
    keys.tab_to(f"{item('IV.3')} summary")
    keys.press("Space")
    details_loaded_with_focus_kept(page, "IV.3")

    # Autosave announces each save in the item's live region.
    for ref in ("IV.1", "IV.2"):
        state = page.locator(f'{item(ref)} .save-state[aria-live="polite"]')
        state.locator(".text-success").wait_for(timeout=10_000)
    page.screenshot(path=str(SHOTS / "keyboard-section.png"), full_page=True)
    keys.tab_to('button[name="save"]')
    keys.press("Enter")
    page.wait_for_load_state()
    page.locator(".alert-success").wait_for(timeout=10_000)

    page.goto(f"{base}/assessments/{pk}/sections/IV/?details=all")  # every detail field shown
    first, second, third = (page.locator(item(ref)) for ref in ("IV.1", "IV.2", "IV.3"))
    assert first.locator('input[type="radio"][value="2"]').is_checked()
    assert first.locator('input[value="training"]').is_checked()
    assert first.locator('select[name$="-priority"]').input_value() == "high"
    assert first.locator("textarea[name$='-comment']").input_value() == (
        "Typed with the keyboard only."
    )
    assert second.locator('input[type="radio"][value="0"]').is_checked()
    assert second.locator("textarea[name$='-comment']").input_value() == (
        "No offence in the penal code."
    )
    assert third.locator('input[type="radio"][value="unknown"]').is_checked()
    assert len(keys.stops) > 20
    page.close()


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("name", "viewport", "scale"),
    [("zoom200", {"width": 640, "height": 450}, 2), ("w320", {"width": 320, "height": 640}, 1)],
)
def test_pages_reflow_at_200_percent_zoom_and_at_320_px(demo_site, chromium, name, viewport, scale):
    """200 % zoom of a 1280 px window is a 640 CSS px viewport drawn with two pixels each."""
    base, pk = demo_site["url"], demo_site["assessment"]
    context = chromium.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    log_in(page, base, "ken-focal")
    pages = {
        "home": "/",
        "section": f"/assessments/{pk}/sections/V/",
        "results": f"/assessments/{pk}/results/",
        "submit": f"/assessments/{pk}/submit/",
        "compendium": "/catalogue/compendium/",
    }
    scrolling = []
    for label, path in pages.items():
        page.goto(base + path)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=label != "section")
        if not _no_horizontal_scroll(page):
            scrolling.append(path)
    context.close()
    assert not scrolling, f"horizontal scrolling at {name}: {scrolling}"


# The contrast ratio of a control's border against the page (WCAG relative luminance).
BORDER_CONTRAST = """selector => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const page = lum(getComputedStyle(document.body).backgroundColor);
  return [...document.querySelectorAll(selector)].slice(0, 50).map((el) => {
    const border = lum(getComputedStyle(el).borderTopColor);
    const [hi, lo] = [Math.max(border, page), Math.min(border, page)];
    return (hi + 0.05) / (lo + 0.05);
  });
}"""


def test_form_controls_are_outlined_at_3_to_1_against_the_page(demo_site, chromium):
    base, pk = demo_site["url"], demo_site["assessment"]
    page = chromium.new_page()
    log_in(page, base, "ken-focal")
    page.goto(f"{base}/assessments/{pk}/sections/V/")
    for selector in (".form-select", ".form-control", ".form-check-input:not(:checked)"):
        ratios = page.evaluate(BORDER_CONTRAST, selector)
        assert ratios and min(ratios) >= 3, (selector, min(ratios or [0]))
    page.close()
