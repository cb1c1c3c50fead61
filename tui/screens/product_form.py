"""The create / edit product form: a modal that checks every field before anything is sent.

It returns a :class:`ProductDraft` (or None when cancelled); the Products screen saves it
through its worker and, if the server refuses, opens the form again with the draft and the
reason, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from pywats.domains.product import Product
from pywats.domains.product.validation import NAME_MAX, check_part_number, check_text
from pywats.errors import WATSValidationError

__all__ = ["FORM_FIELDS", "ProductDraft", "ProductFormScreen"]

DESCRIPTION_MAX = 2000
# Form fields in order; SDK validation errors name one of these (possibly with a prefix).
FORM_FIELDS = ("part_number", "name", "description", "category")


@dataclass(frozen=True)
class ProductDraft:
    """What the form collected. ``original`` is the product being edited (None: a new one)."""

    part_number: str
    name: str
    description: str
    category: str
    non_serial: bool = False
    active: bool = True
    original: Product | None = None

    @property
    def is_new(self) -> bool:
        return self.original is None

    @classmethod
    def from_product(cls, product: Product) -> ProductDraft:
        return cls(
            part_number=product.part_number,
            name=product.name or "",
            description=product.description or "",
            category=product.product_category_name or "",
            non_serial=bool(product.non_serial),
            active=product.is_active,
            original=product,
        )


def field_of(error: WATSValidationError) -> str | None:
    """The form field an SDK validation error is about ("product.name" -> "name")."""
    name = (error.field or "").rsplit(".", 1)[-1]
    return name if name in FORM_FIELDS else None


class ProductFormScreen(ModalScreen[ProductDraft | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        draft: ProductDraft | None = None,
        *,
        problem: str = "",
        field_problems: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.draft = draft or ProductDraft("", "", "", "")
        self.problem = problem
        self.field_problems = dict(field_problems or {})

    def compose(self) -> ComposeResult:
        draft = self.draft
        title = "New product" if draft.is_new else f"Edit {draft.part_number}"
        with Vertical(id="product-form"):
            yield Static(title, id="form-title", markup=False)
            yield Static("", id="form-problem", markup=False)
            for field, label, value in (
                ("part_number", "Part number", draft.part_number),
                ("name", "Name", draft.name),
                ("description", "Description", draft.description),
                ("category", "Category", draft.category),
            ):
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(
                        value,
                        id=f"form-{field}",
                        compact=True,
                        disabled=field == "part_number" and not draft.is_new,
                    )
                yield Static("", id=f"error-{field}", classes="field-error", markup=False)
            with Horizontal(classes="form-row"):
                yield Checkbox(
                    "Non-serial (no units)", draft.non_serial, id="form-non_serial", compact=True
                )
                yield Checkbox("Active", draft.active, id="form-active", compact=True)
            with Horizontal(id="form-buttons"):
                yield Button("Save ^s", id="form-save", variant="primary", compact=True)
                yield Button("Cancel Esc", id="form-cancel", compact=True)

    def on_mount(self) -> None:
        self._show_problems(self.problem, self.field_problems)
        first = "#form-part_number" if self.draft.is_new else "#form-name"
        wanted = next(iter(self.field_problems), None)
        self.query_one(f"#form-{wanted}" if wanted else first, Input).focus()

    # ----------------------------------------------------------------- reading the form

    def _value(self, field: str) -> str:
        return self.query_one(f"#form-{field}", Input).value

    def collect(self) -> ProductDraft:
        return replace(
            self.draft,
            part_number=self._value("part_number").strip(),
            name=self._value("name").strip(),
            description=self._value("description").strip(),
            category=self._value("category").strip(),
            non_serial=self.query_one("#form-non_serial", Checkbox).value,
            active=self.query_one("#form-active", Checkbox).value,
        )

    def validate(self, draft: ProductDraft) -> dict[str, str]:
        """Problems per field, with the same rules the SDK applies before sending."""
        problems: dict[str, str] = {}
        values = {
            "part_number": draft.part_number,
            "name": draft.name,
            "description": draft.description,
            "category": draft.category,
        }
        for field, value in values.items():
            try:
                if field == "part_number":
                    check_part_number(value)
                else:
                    limit = DESCRIPTION_MAX if field == "description" else NAME_MAX
                    check_text(value, field, limit)
            except WATSValidationError as exc:
                problems[field] = str(exc).removeprefix(f"{exc.field}: ")
        if not draft.name:
            problems.setdefault("name", "enter a name, so people can tell products apart")
        return problems

    def _show_problems(self, problem: str, field_problems: dict[str, str]) -> None:
        banner = self.query_one("#form-problem", Static)
        banner.update(problem)
        banner.set_class(bool(problem), "-shown")
        for field in FORM_FIELDS:
            message = field_problems.get(field, "")
            label = self.query_one(f"#error-{field}", Static)
            label.update(message)
            label.set_class(bool(message), "-shown")
            self.query_one(f"#form-{field}", Input).set_class(bool(message), "-invalid")

    # ----------------------------------------------------------------- actions

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        draft = self.collect()
        problems = self.validate(draft)
        if problems:
            self._show_problems("Fix the marked fields.", problems)
            self.query_one(f"#form-{next(iter(problems))}", Input).focus()
            return
        self.dismiss(draft)

    def action_cancel(self) -> None:
        self.dismiss(None)
