"""The Users screen: WATS users as SCIM provisions them.

A list (user name, name, active, e-mail) searched as you type (user name, display name or
e-mail, through a SCIM filter) beside an all / active / inactive selector; the highlighted
user's details below. Keys: n create a user, t deactivate or activate the highlighted one
(asking first, Cancel focused), k show a provisioning token for an identity provider,
r reload.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, DataTable, Input, Select, Static

from pywats.domains.scim import ScimToken, ScimUser, user_filter
from tui.errors import describe_error
from tui.navigation import register_screen
from tui.screen import WATSScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form_dialog import FormDialog, FormField
from tui.widgets.table import Table
from tui.widgets.ticket_views import when

__all__ = ["TokenDialog", "UsersScreen", "search_filter"]

SEARCH_DELAY = 0.3
_STATES = [("All users", "all"), ("Active", "true"), ("Inactive", "false")]


def search_filter(text: str, state: str) -> str | None:
    """The SCIM filter for what is typed and the state chosen (None: everyone)."""
    parts = []
    if text:
        parts.append(
            "("
            + " or ".join(
                user_filter(attribute, "co", text)
                for attribute in ("userName", "displayName", "emails")
            )
            + ")"
        )
    if state in ("true", "false"):
        parts.append(f"active eq {state}")
    return " and ".join(parts) or None


def _check_email(text: str) -> str | None:
    return None if "@" in text and "." in text.rsplit("@", 1)[-1] else "Not an e-mail address."


def _check_days(text: str) -> str | None:
    return None if text.isdigit() and 1 <= int(text) <= 3650 else "A number of days, 1 to 3650."


def _active_text(active: bool) -> Text:
    return Text("active", style="green") if active else Text("inactive", style="bold red")


class TokenDialog(ModalScreen[None]):
    """The provisioning token, in a field it can be copied from, with where it goes."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, token: ScimToken, tenant_url: str) -> None:
        super().__init__()
        self.token = token
        self.tenant_url = tenant_url

    def compose(self) -> ComposeResult:
        with Vertical(id="token-panel"):
            yield Static(Text("SCIM provisioning token"), id="token-title")
            yield Static(
                Text(
                    f"Tenant URL: {self.tenant_url}\n"
                    f"Valid for {self.token.duration_days or '?'} days, until "
                    f"{when(self.token.expires_utc) or 'unknown'}.\n"
                    "Give both to the identity provider (Azure AD: Provisioning > Admin "
                    "credentials). Anyone holding the token can provision users."
                ),
                id="token-detail",
            )
            yield Input(self.token.token, id="token-value", compact=True)
            with Horizontal(id="token-buttons"):
                yield Button("Close (Esc)", id="token-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#token-value", Input).focus()

    @on(Button.Pressed, "#token-close")
    def action_close(self) -> None:
        self.dismiss(None)


@register_screen(
    key="0",
    title="Users",
    label="Users",
    short="Usrs",
    description="WATS users provisioned over SCIM: create, deactivate, provisioning token",
)
class UsersScreen(WATSScreen):
    AUTO_FOCUS = "#users-table"
    FILTERS = ("#users-search",)  # Enter or Down moves to the list
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="users-search", show=False),
        Binding("n", "new_user", "New user", id="users-new"),
        Binding("t", "toggle_active", "Active/inactive", id="users-toggle"),
        Binding("k", "token", "Token", id="users-token"),
        Binding("r", "reload", "Reload", id="users-reload"),
    ]
    PALETTE_LOOKUPS = {"Find user": "find_user"}

    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, ScimUser] = {}
        self._search_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="users-filter-bar"):
            yield Input(
                placeholder="/ Search user name, name or e-mail", id="users-search", compact=True
            )
            yield Select(_STATES, value="all", allow_blank=False, id="users-state", compact=True)
        with Vertical(id="users-main"):
            yield Table(id="users-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="users-count", markup=False)
            yield Static("No user is selected.", id="user-detail")

    def on_mount(self) -> None:
        table = self.query_one("#users-table", DataTable)
        table.add_column("User name", key="user_name")
        table.add_column("State", key="state")
        table.add_column("Name", key="name")
        table.add_column("E-mail", key="email")
        self.action_reload()

    # ----------------------------------------------------------------- the list

    @property
    def query_filter(self) -> str | None:
        text = self.query_one("#users-search", Input).value.strip()
        return search_filter(text, str(self.query_one("#users-state", Select).value))

    def action_reload(self) -> None:
        wanted = self.query_filter
        self.run_task(
            "list",
            lambda: self.wats.scim.get_users(wanted),
            self.show_users,
            on_error=self._list_failed,
            controls=["reload"],
            loading="#users-table",
            description="Loading users",
            supersede=True,
        )

    def show_users(self, users: list[ScimUser]) -> None:
        table = self.query_one("#users-table", DataTable)
        keep = self.current_key
        table.clear()
        self.users = {}
        for user in users:
            key = user.id or user.user_name
            self.users[key] = user
            table.add_row(
                Text(user.user_name),
                _active_text(user.active),
                Text(user.label if user.label != user.user_name else ""),
                Text(user.primary_email or ""),
                key=key,
            )
        inactive = sum(not user.active for user in users)
        self.query_one("#users-count", Static).update(
            f"{len(users)} user{'s' if len(users) != 1 else ''}, {inactive} inactive"
        )
        if keep in self.users:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_current()

    def _list_failed(self, error: Exception) -> None:
        friendly = describe_error(error)
        self.query_one("#users-table", DataTable).clear()
        self.users = {}
        self.query_one("#users-count", Static).update("The users could not be loaded.")
        self.query_one("#user-detail", Static).update(Text(f"{friendly.title}: {friendly.message}"))
        self.notify(
            friendly.message, title=friendly.title, severity="error", timeout=10, markup=False
        )

    @on(Input.Changed, "#users-search")
    def _search_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.action_reload)

    @on(Input.Submitted, "#users-search")
    def _search_submitted(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self.action_reload()
        self.query_one("#users-table", DataTable).focus()

    @on(Select.Changed, "#users-state")
    def _state_changed(self) -> None:
        self.action_reload()

    def action_focus_search(self) -> None:
        self.query_one("#users-search", Input).focus()

    def find_user(self, text: str) -> None:
        """From the command palette."""
        self.query_one("#users-state", Select).value = "all"
        self.query_one("#users-search", Input).value = text
        self.action_reload()

    # ----------------------------------------------------------------- the detail

    @property
    def current_key(self) -> str | None:
        table = self.query_one("#users-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    @property
    def current(self) -> ScimUser | None:
        key = self.current_key
        return self.users.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#users-table")
    def _show_current(self) -> None:
        user = self.current
        detail = self.query_one("#user-detail", Static)
        if user is None:
            detail.update(
                Text(
                    "No user matches." if not self.users else "No user is selected.", style="italic"
                )
            )
            return
        text = Text()
        text.append(user.label, style="bold")
        text.append("  ")
        text.append_text(_active_text(user.active))
        text.append(f"\n{user.user_name}  {user.primary_email or 'no e-mail'}", style="dim")
        facts = [f"id {user.id}"]
        if user.external_id:
            facts.append(f"external id {user.external_id}")
        if user.meta is not None and user.meta.created is not None:
            facts.append(f"created {when(user.meta.created)}")
        if user.meta is not None and user.meta.last_modified is not None:
            facts.append(f"changed {when(user.meta.last_modified)}")
        text.append("\n" + " · ".join(facts), style="dim")
        detail.update(text)

    # ----------------------------------------------------------------- actions

    def _write(self, description: str, work: object, done: object) -> None:
        self.run_task(
            "change",
            work,  # type: ignore[arg-type]
            done,  # type: ignore[arg-type]
            controls=["new_user", "toggle_active"],
            loading="#users-table",
            description=description,
        )

    def action_toggle_active(self) -> None:
        user = self.current
        if user is None or user.id is None:
            self.notify("No user is selected.", timeout=3)
            return
        user_id, verb = user.id, "Deactivate" if user.active else "Activate"
        detail = (
            f"{user.label} can no longer sign in to WATS; their data stays."
            if user.active
            else f"{user.label} can sign in to WATS again."
        )

        def run(yes: bool | None) -> None:
            if not yes:
                return
            service = self.wats.scim
            self._write(
                f"{verb[:-1]}ing {user.user_name}",
                lambda: service.deactivate(user_id) if user.active else service.activate(user_id),
                self._changed,
            )

        self.app.push_screen(
            ConfirmDialog(f"{verb} the user {user.user_name}?", detail, confirm=verb), run
        )

    def _changed(self, user: ScimUser) -> None:
        self.notify(f"{user.user_name} is {'active' if user.active else 'inactive'}.", timeout=3)
        self.action_reload()

    def action_new_user(self) -> None:
        fields = [
            FormField("user_name", "User name", required=True, placeholder="e.g. ola.nordmann"),
            FormField("given_name", "Given name"),
            FormField("family_name", "Family name"),
            FormField("email", "E-mail", check=_check_email),
        ]

        def ask(values: dict[str, str] | None) -> None:
            if values is None:
                return
            display = " ".join(p for p in (values["given_name"], values["family_name"]) if p)

            def created(user: ScimUser) -> None:
                self.notify(f"Created {user.user_name}.", timeout=3)
                self.query_one("#users-search", Input).value = ""
                self.action_reload()

            def run(yes: bool | None) -> None:
                if yes:
                    self._write(
                        f"Creating {values['user_name']}",
                        lambda: self.wats.scim.create_user(
                            values["user_name"],
                            display_name=display or None,
                            given_name=values["given_name"] or None,
                            family_name=values["family_name"] or None,
                            email=values["email"] or None,
                        ),
                        created,
                    )

            self.app.push_screen(
                ConfirmDialog(
                    f"Create the user {values['user_name']}?",
                    f"{display or 'No name'}, {values['email'] or 'no e-mail'}; active",
                    confirm="Create",
                ),
                run,
            )

        self.app.push_screen(FormDialog("New user", fields, save_label="Continue"), ask)

    def action_token(self) -> None:
        fields = [FormField("days", "Valid days", "90", required=True, check=_check_days)]

        def fetch(values: dict[str, str] | None) -> None:
            if values is None:
                return
            days = int(values["days"])
            tenant = f"{self.wats.base_url}/api/SCIM/v2"
            self.run_task(
                "token",
                lambda: self.wats.scim.get_token(days),
                lambda token: self.app.push_screen(TokenDialog(token, tenant)),
                controls=["token"],
                description="Getting a provisioning token",
            )

        self.app.push_screen(
            FormDialog(
                "Provisioning token",
                fields,
                detail="WATS advises the default of 90 days.",
                save_label="Get token",
            ),
            fetch,
        )
