"""The internkontrollplan's kontrollmoment table in a real browser: edit a cell, save, and
remove a row only after confirming.

The table is Streamlit's data editor (glide-data-grid), drawn on a canvas: a cell is found
by its place on the canvas (rows have one height; the first column is the row marker, the
second the wide Kontrollmoment column) and edited as a person does, by double-clicking it,
typing and pressing Enter. What the grid holds is read from its accessible table (the
``glide-cell-<column>-<row>`` cells a screen reader reads).

Each risk is a fragment: opening it or editing its table reruns only the fragment, which
does not draw the app's run marker, so those steps wait for what the rerun shows (the table,
the enabled save button, the confirmation) and for Streamlit to be idle again; a save reruns
the whole page and is waited for through the marker like every other click.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, organisation, plan
from tests.conftest import shared_catalog
from tests.e2e.conftest import (
    _run_done_after,
    assert_no_exception,
    click,
    open_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.e2e

NEW_ACTIVITY = "Aktgranskning av tio beslut per tertial, i webbläsaren"
ACTIVITY_COLUMN = 1  # column 0 of the grid is the row marker
CELL_EDITOR = "textarea.gdg-input"  # glide-data-grid's editor of a text cell
_TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _rest(page: Page) -> None:
    """Wait until the newest run (a fragment's too) has finished and nothing is running."""
    _run_done_after(page, 0)


def _row_centre(grid: Locator, rows: int, row: int) -> tuple[float, float]:
    """Where row ``row`` of the grid is drawn: below the header, rows of one height, and
    one more row for adding (the table's height is header + rows + adding row)."""
    box = grid.bounding_box()
    assert box is not None
    height = box["height"] / (rows + 2)
    return box["x"], box["y"] + height * (row + 1.5)


def _type_into_activity(page: Page, editor: Locator, rows: int, text: str) -> None:
    """Double-click the Kontrollmoment cell of the first row, replace its text, Enter."""
    editor.scroll_into_view_if_needed()
    left, middle = _row_centre(editor.get_by_test_id("data-grid-canvas"), rows, 0)
    page.mouse.dblclick(left + 100, middle)  # well inside the wide Kontrollmoment column
    cell_editor = page.locator(CELL_EDITOR)
    cell_editor.wait_for()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    # The cell editor reads its text from React state when Enter is pressed: let the
    # browser draw the typed text first (two animation frames), or Enter may commit the
    # text as it was before typing.
    page.wait_for_function(f"t => document.querySelector({CELL_EDITOR!r})?.value === t", arg=text)
    page.evaluate(_TWO_FRAMES)
    page.keyboard.press("Enter")


def _cell(editor: Locator, column: int, row: int) -> str:
    return editor.locator(f"#glide-cell-{column}-{row}").inner_text()


def test_a_cell_typed_in_the_table_is_saved_and_a_removed_row_is_confirmed_first(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    catalog = shared_catalog()

    open_page(page, base, "internkontrollplan")
    propose = page.get_by_role("button", name="Föreslå internkontrollplan")
    if propose.count():
        click(page, propose)
    suggest = page.get_by_role("button", name="Lägg till katalogens förslag", exact=False)
    if suggest.is_enabled():
        click(page, suggest)
    assert_no_exception(page, "internkontrollplan")
    with uow() as tx:
        namnd_id = organisation.namnd_by_name(tx, demo.DEMO_NAMND).id
    plan_id = plan.current_plan(uow(), namnd_id or 0, demo.DEMO_YEAR).id or 0
    item = next(i for i in plan.view(uow(), catalog, plan_id).included if i.controls)
    plan_risk_id = item.plan_risk.id or 0
    rows = len(item.controls)
    assert rows < 8, "a short table is drawn whole, without scrolling inside the grid"
    first = item.controls[0]

    def stored() -> list[str]:
        view = plan.view(uow(), catalog, plan_id)
        risk = next(i for i in view.included if i.plan_risk.id == plan_risk_id)
        return [c.control_activity for c in risk.controls]

    # Open the risk: its fragment draws the tables.
    panel = page.locator("[data-testid='stExpander']").filter(has_text=item.risk.title).first
    panel.locator("summary").click()
    editor = panel.locator("[data-testid='stDataFrame']").first
    save = panel.get_by_role("button", name="Spara kontrollmoment")
    can_save = panel.get_by_role("button", name="Spara kontrollmoment", disabled=False)
    editor.wait_for()
    _rest(page)
    assert _cell(editor, ACTIVITY_COLUMN, 0) == first.control_activity
    assert save.is_disabled()  # nothing to save before anything is typed

    # Type into the cell: the table keeps the text, and only now can it be saved.
    _type_into_activity(page, editor, rows, NEW_ACTIVITY)
    can_save.wait_for()  # the fragment's rerun took the edit
    _rest(page)
    assert _cell(editor, ACTIVITY_COLUMN, 0) == NEW_ACTIVITY
    assert stored()[0] == first.control_activity  # typing alone saves nothing

    click(page, save)
    assert_no_exception(page, "internkontrollplan, sparat")
    assert panel.get_by_text("Sparat (kontrollmoment): 1 ändrade.").count() == 1
    # After the page's rerun the risk is still open and shows the saved text.
    editor = panel.locator("[data-testid='stDataFrame']").first
    assert _cell(editor, ACTIVITY_COLUMN, 0) == NEW_ACTIVITY
    assert stored() == [NEW_ACTIVITY, *[c.control_activity for c in item.controls[1:]]]

    # Remove the row: the save asks first, and nothing is removed before "Ja".
    editor.scroll_into_view_if_needed()
    left, middle = _row_centre(editor.get_by_test_id("data-grid-canvas"), rows, 0)
    page.mouse.click(left + 12, middle)  # the row marker selects the whole row
    editor.get_by_role("button", name="Delete row(s)").click()
    ask = panel.locator("[data-testid='stPopover']").filter(has_text="Spara kontrollmoment")
    ask.wait_for()
    _rest(page)
    ask.get_by_role("button").click()  # a popover opens in the browser, nothing runs
    question = page.get_by_text("tas bort", exact=False).locator("visible=true")
    question.wait_for()
    # The question names the row that goes and asks before anything is saved.
    asked = question.inner_text()
    assert "1 " in asked and NEW_ACTIVITY in asked and asked.endswith("Vill du spara ändå?")
    page.screenshot(path=str(tmp_path / "bekrafta.png"))
    assert stored()[0] == NEW_ACTIVITY  # asked, not yet saved
    click(page, page.get_by_role("button", name="Ja, spara kontrollmoment"))
    assert_no_exception(page, "internkontrollplan, borttaget")
    assert panel.get_by_text("Sparat (kontrollmoment): 1 borttagna.").count() == 1
    assert stored() == [c.control_activity for c in item.controls[1:]]
