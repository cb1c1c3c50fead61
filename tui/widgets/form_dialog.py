"""FormDialog: a small modal form (text fields and choices) that only collects input.

    fields = [FormField("assignee", "Assignee", required=True),
              FormField("status", "Status", choices=[("Open", "1"), ("Solved", "8")])]
    self.app.push_screen(FormDialog("Change ticket #12", fields), self._on_form)

It returns ``{key: value}`` (strings, stripped) or None when cancelled. Enter moves to the next
field and saves from the last one; ctrl+s saves from anywhere; Escape cancels. A required field
left empty is marked and nothing is returned. The screen beneath then asks for confirmation
(:class:`tui.widgets.confirm.ConfirmDialog`) and makes the server call through its worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

__all__ = ["FormDialog", "FormField"]


@dataclass(frozen=True)
class FormField:
    """One row of a form. With ``choices`` (label, value) it is a selector, else a text field.

    ``check`` returns a problem to show under the field (or None) for a non-empty value.
    """

    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    required: bool = False
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)
    check: Callable[[str], str | None] | None = None
    password: bool = False


class FormDialog(ModalScreen[dict[str, str] | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        *,
        detail: str = "",
        save_label: str = "Save",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.detail = detail
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog-panel"):
            yield Static(Text(self.title_text), id="form-dialog-title")
            if self.detail:
                yield Static(Text(self.detail), id="form-dialog-detail")
            for spec in self.fields:
                with Horizontal(classes="form-dialog-row"):
                    yield Label(spec.label, classes="form-dialog-label")
                    if spec.choices:
                        yield Select(
                            list(spec.choices),
                            value=spec.value or spec.choices[0][1],
                            allow_blank=False,
                            id=f"form-{spec.key}",
                            compact=True,
                        )
                    else:
                        yield Input(
                            spec.value,
                            placeholder=spec.placeholder,
                            id=f"form-{spec.key}",
                            password=spec.password,
                            compact=True,
                        )
                yield Static("", id=f"form-{spec.key}-error", classes="form-dialog-error")
            with Horizontal(id="form-dialog-buttons"):
                yield Button(
                    f"{self.save_label} (ctrl+s)",
                    id="form-dialog-save",
                    variant="primary",
                    compact=True,
                )
                yield Button("Cancel (Esc)", id="form-dialog-cancel", compact=True)

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#form-{self.fields[0].key}").focus()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for spec in self.fields:
            if spec.choices:
                out[spec.key] = str(self.query_one(f"#form-{spec.key}", Select).value)
            else:
                out[spec.key] = self.query_one(f"#form-{spec.key}", Input).value.strip()
        return out

    def _problems(self, values: dict[str, str]) -> dict[str, str]:
        problems: dict[str, str] = {}
        for spec in self.fields:
            value = values[spec.key]
            if spec.required and not value:
                problems[spec.key] = f"{spec.label} is required."
            elif value and spec.check is not None:
                problem = spec.check(value)
                if problem:
                    problems[spec.key] = problem
        return problems

    def action_save(self) -> None:
        values = self.values()
        problems = self._problems(values)
        for spec in self.fields:
            error = self.query_one(f"#form-{spec.key}-error", Static)
            problem = problems.get(spec.key, "")
            error.update(Text(problem))
            error.set_class(bool(problem), "-shown")
            self.query_one(f"#form-{spec.key}").set_class(bool(problem), "-invalid")
        if problems:
            first = next(spec for spec in self.fields if spec.key in problems)
            self.query_one(f"#form-{first.key}").focus()
            return
        self.dismiss(values)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        keys = [f"form-{spec.key}" for spec in self.fields]
        index = keys.index(event.input.id or "") if event.input.id in keys else len(keys) - 1
        if index + 1 < len(keys):
            self.query_one(f"#{keys[index + 1]}").focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#form-dialog-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-dialog-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
