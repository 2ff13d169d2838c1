"""Driving forms with the keyboard alone, as a keyboard user would: Tab, typing, arrows."""

from playwright.sync_api import Page

FIELDS_IN_ORDER = """(formSelector) => Array.from(
  document.querySelector(formSelector).querySelectorAll('input, textarea, select')
).filter((el) => el.type !== 'hidden').map((el) => ({name: el.name, type: el.type,
  value: el.value, tag: el.tagName.toLowerCase()}))"""


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose_radio(page: Page, name: str, position: int) -> None:
    """Tab into a radio group, then Space and arrow keys to check the radio at `position`."""
    tab_to(page, f"input[type=radio][name='{name}']")
    page.keyboard.press("Space")
    for _ in range(position):
        page.keyboard.press("ArrowDown")


def fill_form_by_keyboard(page: Page, form_selector: str, radio_positions: dict[str, int]) -> None:
    """Fill every field of a form in tab order: text in text boxes, a date in date inputs,
    the radio at the given position (default the second) in each radio group."""
    seen_groups: set[str] = set()
    for field in page.evaluate(FIELDS_IN_ORDER, form_selector):
        name = field["name"]
        if field["type"] == "radio":
            if name not in seen_groups:
                seen_groups.add(name)
                choose_radio(page, name, radio_positions.get(name, 1))
            continue
        tab_to(page, f"[name='{name}']")
        if name.endswith("-day"):
            page.keyboard.type("15")
        elif name.endswith("-month"):
            page.keyboard.type("1")
        elif name.endswith("-year"):
            page.keyboard.type("2026")
        else:
            page.keyboard.type(f"Typed for {name.rsplit('-', 1)[0]}")
