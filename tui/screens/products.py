"""The Products screen: the catalog a page at a time, filtered live on the server.

Left: the products matching the filter (part number or name, any case) and state, one page of
``PAGE_SIZE`` at a time, so a catalog of any size opens at once. Right: the highlighted
product's revisions, BOM, groups and tags. Keys: / filter, a add, e edit, t active/inactive,
n / p next and previous page, r reload; Escape cancels a load.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from pywats.domains.product import Product, ProductGroup, ProductState, ProductSummary
from pywats.errors import WATSError, WATSStatusError, WATSValidationError
from tui.errors import describe_error
from tui.navigation import register_screen
from tui.paging import PagedScreen
from tui.screens.product_form import ProductDraft, ProductFormScreen, field_of
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.product_detail import ProductDetail
from tui.widgets.state import state_text
from tui.widgets.table import Table

__all__ = ["PAGE_SIZE", "ProductsScreen"]

PAGE_SIZE = 200
# Typing pauses this long before the list is asked for again, and arrowing through rows
# this long before the detail is: one request per pause, not per key.
FILTER_DELAY = 0.3
DETAIL_DELAY = 0.15

_STATES: list[tuple[str, str]] = [("All states", "all"), ("Active", "1"), ("Inactive", "0")]


@dataclass(frozen=True)
class _Detail:
    part_number: str
    product: Product | None
    groups: list[ProductGroup]


@register_screen(
    key="2",
    title="Products",
    label="Products",
    description="Product catalog: revisions, BOMs, groups and tags",
)
class ProductsScreen(PagedScreen):
    AUTO_FOCUS = "#products-table"  # letter keys are commands, not filter text, at first
    FILTERS = ("#products-filter",)  # Enter or Down moves to the list
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="products-filter"),
        Binding("a", "add", "Add", id="products-add"),
        Binding("e", "edit", "Edit", id="products-edit"),
        Binding("t", "toggle_state", "Active/inactive", id="products-toggle"),
        Binding("n", "next_page", "Next page", id="products-next"),
        Binding("p", "previous_page", "Prev page", id="products-prev"),
        Binding("r", "reload", "Reload", id="products-reload"),
    ]

    def __init__(self) -> None:
        super().__init__(PAGE_SIZE)
        self.rows: dict[str, ProductSummary] = {}
        self._filter_timer: Timer | None = None
        self._detail_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="products-filter-bar"):
            yield Input(
                placeholder="/ Filter by part number or name", id="products-filter", compact=True
            )
            yield Select(_STATES, value="all", allow_blank=False, id="products-state", compact=True)
        with Horizontal(id="products-main"):
            with Vertical(id="products-list"):
                yield Table(id="products-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="products-page", markup=False)
            yield ProductDetail(id="product-detail")

    def on_mount(self) -> None:
        table = self.query_one("#products-table", DataTable)
        table.add_column("Part number", key="part_number")
        table.add_column("State", key="state")
        table.add_column("Name", key="name")  # last: a long name is cut, not the state
        self.load_page(0)

    # ----------------------------------------------------------------- the list

    @property
    def filter_text(self) -> str:
        return self.query_one("#products-filter", Input).value.strip()

    @property
    def state_filter(self) -> ProductState | None:
        value = self.query_one("#products-state", Select).value
        return None if value == "all" else ProductState(int(str(value)))

    def load_page(self, page: int) -> None:
        text, state = self.filter_text, self.state_filter
        self.run_task(
            "list",
            lambda: self.wats.product.search_products(
                text, state=state, top=self.pager.fetch_count, skip=self.pager.skip(page)
            ),
            lambda rows: self.show_page(page, rows),
            controls=["reload", "next_page", "previous_page"],
            loading="#products-table",
            description="Loading products",
            supersede=True,  # the newest filter wins
        )

    def show_page(self, page: int, rows: list[ProductSummary]) -> None:
        rows = self.pager.accept(page, rows)
        table = self.query_one("#products-table", DataTable)
        table.clear()
        self.rows = {row.part_number: row for row in rows}
        for row in rows:
            # Text, not str: DataTable reads str cells as markup, and names are free text.
            table.add_row(
                Text(row.part_number),
                state_text(row.is_active),
                Text(row.name or ""),
                key=row.part_number,
            )
        self._show_page_line(len(rows))
        if not rows:
            self.query_one(ProductDetail).clear("No product matches the filter.")

    def _show_page_line(self, count: int) -> None:
        text = self.pager.describe(count, "Products", nothing="No products match.")
        self.query_one("#products-page", Static).update(text)

    @on(Input.Changed, "#products-filter")
    def _filter_changed(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, lambda: self.load_page(0))

    @on(Input.Submitted, "#products-filter")
    def _filter_submitted(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.load_page(0)
        self.query_one("#products-table", DataTable).focus()

    @on(Select.Changed, "#products-state")
    def _state_changed(self) -> None:
        self.load_page(0)

    def action_focus_filter(self) -> None:
        self.query_one("#products-filter", Input).focus()

    # ----------------------------------------------------------------- the detail

    @property
    def current_part_number(self) -> str | None:
        table = self.query_one("#products-table", DataTable)
        if table.row_count == 0 or table.cursor_row < 0:
            return None
        return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value

    @on(DataTable.RowHighlighted, "#products-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        part_number = event.row_key.value
        if part_number is None:
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, lambda: self.load_detail(part_number))

    def load_detail(self, part_number: str) -> None:
        self.run_task(
            "detail",
            lambda: self._fetch_detail(part_number),
            self.show_detail,
            loading="#product-detail",
            description=f"Loading {part_number}",
            supersede=True,
        )

    async def _fetch_detail(self, part_number: str) -> _Detail:
        product = await self.wats.product.get_product(part_number)
        groups = (
            await self.wats.product.get_product_groups_for_product(part_number)
            if product is not None
            else []
        )
        return _Detail(part_number, product, groups)

    async def show_detail(self, detail: _Detail) -> None:
        pane = self.query_one(ProductDetail)
        if detail.product is None:
            pane.clear(f"{detail.part_number} no longer exists on the server; press r to reload.")
            return
        await pane.show(detail.product, detail.groups)

    # ----------------------------------------------------------------- create and edit

    def action_add(self) -> None:
        self.app.push_screen(ProductFormScreen(), self._save_draft)

    def action_edit(self) -> None:
        product = self._shown_product()
        if product is not None:
            self.app.push_screen(
                ProductFormScreen(ProductDraft.from_product(product)), self._save_draft
            )

    def _shown_product(self) -> Product | None:
        """The product in the detail pane, if it is the highlighted one."""
        product = self.query_one(ProductDetail).product
        part_number = self.current_part_number
        if part_number is None:
            self.notify("No product is selected.", timeout=3)
            return None
        if product is None or product.part_number != part_number:
            self.notify(
                f"{part_number} is still loading; try again in a moment.", timeout=3, markup=False
            )
            return None
        return product

    def _save_draft(self, draft: ProductDraft | None) -> None:
        if draft is None:
            return
        self.run_task(
            "save",
            lambda: self._save(draft),
            self._saved,
            lambda exc: self._save_failed(draft, exc),
            controls=["add", "edit", "toggle_state"],
            description=f"Saving {draft.part_number}",
        )

    async def _save(self, draft: ProductDraft) -> Product:
        state = ProductState.ACTIVE if draft.active else ProductState.INACTIVE
        if draft.original is None:
            return await self.wats.product.create_product(
                draft.part_number,
                draft.name,
                draft.description or None,
                non_serial=draft.non_serial,
                state=state,
                category=draft.category or None,
            )
        product = draft.original.model_copy(deep=True)
        product.name = draft.name
        product.description = draft.description or None
        product.product_category_name = draft.category or None
        if draft.category != (draft.original.product_category_name or ""):
            product.product_category_id = None  # the name decides; the server resolves it
        product.non_serial = draft.non_serial
        product.state = state
        return await self.wats.product.save_product(product)

    async def _saved(self, product: Product) -> None:
        self.notify(f"Saved {product.part_number}.", timeout=3, markup=False)
        groups = self.query_one(ProductDetail).groups
        await self.show_detail(_Detail(product.part_number, product, groups))
        self._update_row(product)

    def _update_row(self, product: Product) -> None:
        table = self.query_one("#products-table", DataTable)
        if product.part_number in self.rows:
            table.update_cell(product.part_number, "name", Text(product.name or ""))
            table.update_cell(product.part_number, "state", state_text(product.is_active))
        else:
            # A new product: reload the page so it appears where the sort order puts it.
            self.load_page(self.pager.page)

    def _save_failed(self, draft: ProductDraft, exc: Exception) -> None:
        """Open the form again with what was typed and why the save was refused."""
        field_problems: dict[str, str] = {}
        problem = describe_error(exc).message
        if isinstance(exc, WATSValidationError) and field_of(exc) is not None:
            field = field_of(exc)
            assert field is not None
            field_problems[field] = str(exc).removeprefix(f"{exc.field}: ")
            problem = "The server did not accept this product."
        elif isinstance(exc, WATSStatusError) and exc.server_message:
            problem = f"The server refused it: {exc.server_message}"
        elif not isinstance(exc, WATSError):
            raise exc
        self.app.push_screen(
            ProductFormScreen(draft, problem=problem, field_problems=field_problems),
            self._save_draft,
        )

    # ----------------------------------------------------------------- active / inactive

    def action_toggle_state(self) -> None:
        part_number = self.current_part_number
        if part_number is None:
            self.notify("No product is selected.", timeout=3)
            return
        row = self.rows[part_number]
        target = ProductState.INACTIVE if row.is_active else ProductState.ACTIVE
        verb = "Deactivate" if target is ProductState.INACTIVE else "Activate"
        detail = (
            "Inactive products cannot get new units or test reports."
            if target is ProductState.INACTIVE
            else "Active products can get new units and test reports."
        )
        self.app.push_screen(
            ConfirmDialog(f"{verb} {part_number}?", detail, confirm=verb),
            lambda yes: self._set_state(part_number, target) if yes else None,
        )

    def _set_state(self, part_number: str, state: ProductState) -> None:
        self.run_task(
            "state",
            lambda: self.wats.product.set_product_state(part_number, state),
            self._state_set,
            controls=["toggle_state", "edit"],
            description=f"Updating {part_number}",
        )

    async def _state_set(self, product: Product) -> None:
        if product.part_number in self.rows:
            self.rows[product.part_number] = ProductSummary(
                part_number=product.part_number,
                name=product.name,
                category=product.product_category_name,
                non_serial=product.non_serial,
                state=product.state,
            )
        word = "active" if product.is_active else "inactive"
        self.notify(f"{product.part_number} is now {word}.", timeout=3, markup=False)
        self._update_row(product)
        if self.current_part_number == product.part_number:
            groups = self.query_one(ProductDetail).groups
            await self.show_detail(_Detail(product.part_number, product, groups))
