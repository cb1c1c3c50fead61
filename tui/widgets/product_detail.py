"""ProductDetail: the right-hand pane of the Products screen.

A summary on top and four tabs: Revisions, BOM (of the highlighted revision), Groups, Tags.
It only displays what it is given; the screen fetches it through its worker. The tabs are
mounted with the first product shown, which keeps opening the screen cheap.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from pywats.domains.product import Product, ProductGroup, ProductRevision
from tui.widgets.state import state_text
from tui.widgets.table import Table

__all__ = ["ProductDetail"]


class _DetailTabs(Vertical):
    def compose(self) -> ComposeResult:
        with TabbedContent(id="product-tabs"):
            with TabPane("Revisions", id="tab-revisions"):
                yield Table(id="product-revisions", cursor_type="row", zebra_stripes=True)
            with TabPane("BOM", id="tab-bom"):
                yield Table(id="product-bom", cursor_type="row", zebra_stripes=True)
            with TabPane("Groups", id="tab-groups"):
                yield Static("", id="product-groups", markup=False)
            with TabPane("Tags", id="tab-tags"):
                yield Static("", id="product-tags", markup=False)

    def on_mount(self) -> None:
        self.query_one("#product-revisions", DataTable).add_columns("Rev", "State", "Name")
        self.query_one("#product-bom", DataTable).add_columns("Number", "Rev", "Qty", "Ref")


class ProductDetail(Vertical):
    """Shows one product; empty until :meth:`show` is called."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.product: Product | None = None
        self.groups: list[ProductGroup] = []
        self._tabs: _DetailTabs | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            "Select a product to see its revisions, BOM, groups and tags.",
            id="product-summary",
            markup=False,
        )

    async def _ensure_tabs(self) -> None:
        if self._tabs is None:
            self._tabs = _DetailTabs(id="product-tabs-pane")
            await self.mount(self._tabs)

    # ----------------------------------------------------------------- showing

    def clear(self, message: str) -> None:
        self.product = None
        self.query_one("#product-summary", Static).update(message)
        if self._tabs is None:
            return
        self.query_one("#product-revisions", DataTable).clear()
        self.query_one("#product-bom", DataTable).clear()
        self.query_one("#product-groups", Static).update("")
        self.query_one("#product-tags", Static).update("")

    async def show(self, product: Product, groups: list[ProductGroup]) -> None:
        await self._ensure_tabs()
        self.product = product
        self.groups = groups
        self._show_summary(product)
        table = self.query_one("#product-revisions", DataTable)
        table.clear()
        for revision in product.revisions:
            table.add_row(
                Text(revision.revision),
                state_text(revision.is_active),
                Text(revision.name or ""),
                key=revision.revision,
            )
        latest = product.revisions[-1] if product.revisions else None
        if latest is not None:
            table.move_cursor(row=len(product.revisions) - 1)
        self.show_revision(latest)
        names = [f"• {group.product_group_name}" for group in groups]
        self.query_one("#product-groups", Static).update("\n".join(names) or "In no product group.")

    def _show_summary(self, product: Product) -> None:
        text = Text()
        text.append(product.part_number, style="bold")
        text.append("  ")
        text.append_text(state_text(product.is_active))
        text.append(f"\n{product.name or '(no name)'}")
        details = [product.product_category_name or "no category"]
        details.append("non-serial" if product.non_serial else "serialised")
        text.append(f"\n{', '.join(details)}", style="dim")
        if product.description:
            text.append(f"\n{product.description}", style="italic")
        self.query_one("#product-summary", Static).update(text)

    def show_revision(self, revision: ProductRevision | None) -> None:
        """The BOM and tags of one revision (the product's tags always come first)."""
        bom_table = self.query_one("#product-bom", DataTable)
        bom_table.clear()
        bom = revision.bom() if revision is not None else None
        for index, component in enumerate(bom.components if bom else []):
            bom_table.add_row(
                Text(component.number),
                Text(component.revision or ""),
                str(component.quantity),
                Text(component.reference or ""),
                key=str(index),
            )
        lines: list[str] = []
        if self.product is not None:
            lines += [f"{tag.key} = {tag.value or ''}" for tag in self.product.tags]
        if revision is not None and revision.tags:
            lines.append(f"Revision {revision.revision}:")
            lines += [f"  {tag.key} = {tag.value or ''}" for tag in revision.tags]
        self.query_one("#product-tags", Static).update("\n".join(lines) or "No tags.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "product-revisions" or self.product is None:
            return
        event.stop()
        key = event.row_key.value
        self.show_revision(self.product.get_revision(key) if key is not None else None)
