"""The qsales Textual app: header, main screens as modes, quarter, theme, language, help."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal

from qsales_tui.i18n import _, current_language
from qsales_tui.services.session import Session
from qsales_tui.ui.bindings import translate_bindings
from qsales_tui.ui.nav import NavEntry, discover
from qsales_tui.ui.prefs import load_prefs, save_pref
from qsales_tui.ui.themes import DEFAULT_THEME, DOMAIN_DEFAULTS, load_themes

CHANGE_POLL_SECONDS = 1.5
RULES_POLL_SECONDS = 3.0


@dataclass(frozen=True)
class Relaunch:
    """Returned by the app when it must restart, e.g. in another language."""

    lang: str
    mode: str | None


class QsalesApp(App[Relaunch | None]):
    CSS_PATH = "app.tcss"
    TITLE = "qsales"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("left_square_bracket", "shift_quarter(-1)", "Prev quarter", id="quarter.prev"),
        Binding("right_square_bracket", "shift_quarter(1)", "Next quarter", id="quarter.next"),
        Binding("ctrl+t", "next_theme", "Theme", show=False, id="theme.next"),
        Binding("ctrl+g", "toggle_language", "中文/English", show=False, id="language"),
        Binding("ctrl+u", "switch_user", "Switch user", show=False, id="user.switch"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, session: Session, *, demo: bool = False, start_mode: str | None = None):
        self.session = session
        self.demo = demo
        self.nav: list[NavEntry] = discover()
        self._start_mode = start_mode
        super().__init__()
        self.quarter_changed: Signal[str] = Signal(self, "quarter-changed")
        self.data_changed: Signal[str] = Signal(self, "data-changed")
        self.rules_reloaded: Signal[str] = Signal(self, "rules-reloaded")
        self._change_token = ""
        for entry in self.nav:
            self.add_mode(entry.mode, entry.screen)
            self.bind(entry.key, f"open_mode('{entry.mode}')", description=entry.label)
        translate_bindings(self)
        self._theme_problems = self._register_themes()

    # -- start-up -------------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(DOMAIN_DEFAULTS)

    def _register_themes(self) -> list[str]:
        themes, problems = load_themes()
        self._own_themes = [theme.name for theme in themes]
        for theme in themes:
            self.register_theme(theme)
        wanted = load_prefs().get("theme", DEFAULT_THEME)
        names = {theme.name for theme in themes}
        self.theme = (
            wanted
            if wanted in names or wanted in self.available_themes
            else (DEFAULT_THEME if DEFAULT_THEME in names else "textual-dark")
        )
        return problems

    def on_mount(self) -> None:
        self._update_titles()
        if self.nav:
            modes = [entry.mode for entry in self.nav]
            self.switch_mode(self._start_mode if self._start_mode in modes else modes[0])
        for problem in self._theme_problems:
            self.notify(_("Theme skipped: {problem}", problem=problem), severity="warning")
        if self.session.rep is None:
            self.notify(
                _(
                    "No rep is mapped to OS user '{user}': you can browse, but changes are "
                    "refused. Set that rep's os_user, or QSALES_USER.",
                    user=self.session.ctx.os_user,
                ),
                severity="warning",
                timeout=10,
            )
        self._show_rule_problems()
        self._change_token = self.session.store.change_token()
        self.set_interval(CHANGE_POLL_SECONDS, self._poll_changes)
        self.set_interval(RULES_POLL_SECONDS, self._poll_rules)

    def _update_titles(self) -> None:
        session = self.session
        self.title = session.company or "qsales"
        self.sub_title = " · ".join(
            [session.quarter.name, session.today.isoformat(), session.user_label]
            + ([_("DEMO")] if self.demo else [])
            # Stays in the header while a rule file is bad, after the notice has faded.
            + ([_("⚠ rule errors: qsales check-rules")] if not session.rules_result.ok else [])
        )

    def _show_rule_problems(self) -> None:
        result = self.session.rules_result
        lines = [str(problem) for problem in result.problems[:3]] + result.notices()
        if lines:
            self.notify("\n".join(lines), title=_("Rules"), severity="warning", timeout=12)

    def _poll_rules(self) -> None:
        before, rules_before = self.session.rules_result, self.session.rules
        self.session.reload_rules()
        after = self.session.rules_result
        if after.problems != before.problems or after.notices() != before.notices():
            self._show_rule_problems()
            self._update_titles()
            if after.ok:
                self.notify(_("Rules reloaded"), timeout=3)
        if self.session.rules != rules_before:
            self.rules_reloaded.publish("rules")

    def _poll_changes(self) -> None:
        token = self.session.store.change_token()
        if token != self._change_token:
            self._change_token = token
            self.data_changed.publish(token)

    # -- actions --------------------------------------------------------------------------

    def action_open_mode(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_shift_quarter(self, quarters: int) -> None:
        quarter = self.session.shift_quarter(quarters)
        self._update_titles()
        self.quarter_changed.publish(quarter.name)
        self.notify(_("Quarter {quarter}", quarter=quarter.name), timeout=2)

    def action_next_theme(self) -> None:
        names = sorted(self._own_themes) or sorted(self.available_themes)
        self.theme = names[(names.index(self.theme) + 1) % len(names)]
        save_pref("theme", self.theme)
        self.notify(_("Theme: {name}", name=self.theme), timeout=2)

    def action_toggle_language(self) -> None:
        lang = "en" if current_language() == "zh" else "zh"
        self.exit(Relaunch(lang=lang, mode=self.current_mode))

    def action_help(self) -> None:
        from qsales_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_switch_user(self) -> None:
        if not self.demo:
            self.notify(_("Switching user is only possible in the demo."), severity="warning")
            return
        from qsales_tui.ui.screens.switch_user import SwitchUserScreen

        def switched(rep_id: str | None) -> None:
            if rep_id:
                self.session.switch_user(rep_id)
                self._update_titles()
                self.data_changed.publish("user")

        self.push_screen(SwitchUserScreen(self.session), switched)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for entry in self.nav:
            yield SystemCommand(
                _(entry.label),
                _(entry.help) if entry.help else "",
                partial(self.switch_mode, entry.mode),
            )
        yield SystemCommand(_("Previous quarter"), "", partial(self.action_shift_quarter, -1))
        yield SystemCommand(_("Next quarter"), "", partial(self.action_shift_quarter, 1))
        yield SystemCommand(_("Theme"), _("Change the colour theme"), self.action_next_theme)
        yield SystemCommand(
            _("Language"), _("Switch between English and Chinese"), self.action_toggle_language
        )
        if self.demo:
            yield SystemCommand(_("Switch user"), _("Act as another rep"), self.action_switch_user)
        yield SystemCommand(_("Help"), _("Every key of this screen"), self.action_help)
        yield SystemCommand(_("Quit"), "", self.action_quit)
