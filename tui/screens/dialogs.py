"""Dialoger: fel, hjälp, bekräftelse, formulär med fel vid fältet, och att spara en fil."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Select, Static

from bemanning.errors import UserError
from bemanning.model.errors import ValidationError


class ErrorDialog(ModalScreen[None]):
    """Ett fel som användaren kan handla efter. Enter eller Escape stänger."""

    BINDINGS = [
        Binding("escape", "dismiss", "Stäng", id="fel-stang", tooltip="Stäng felmeddelandet"),
        Binding("enter", "dismiss", "Stäng", show=False, id="fel-stang-enter"),
    ]

    def __init__(self, title: str, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.message = message
        self.details = list(details)

    def compose(self) -> ComposeResult:
        with Vertical(id="fel", classes="dialog error-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, id="fel-meddelande", classes="dialog-message")
            if self.details:
                with VerticalScroll(id="fel-detaljer"):
                    yield Static("\n".join(self.details), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stäng", id="stang", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#stang", Button).focus()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)

    @on(Button.Pressed, "#stang")
    def _close(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "svar(False)", "Nej", id="bekrafta-nej"),
        Binding("j", "svar(True)", "Ja", id="bekrafta-ja", show=False),
        Binding("n", "svar(False)", "Nej", id="bekrafta-n", show=False),
    ]

    def __init__(self, question: str, yes: str = "Ja", no: str = "Avbryt") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="ja", variant="primary")
                yield Button(self.no, id="nej")

    def on_mount(self) -> None:
        self.query_one("#ja", Button).focus()

    def action_svar(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "ja")


class HelpScreen(ModalScreen[None]):
    """F1: hjälp för skärmen som visas, och dess tangenter."""

    BINDINGS = [
        Binding("escape", "dismiss", "Stäng", id="hjalp-stang"),
        Binding("f1", "dismiss", "Stäng", show=False, id="hjalp-stang-f1"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.text = text

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpScreen:
        title = getattr(screen, "TITLE_SV", "") or "bemanning"
        body = getattr(screen, "HELP", "") or ""
        keys = []
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                keys.append(f"| `{_key_name(binding.key)}` | {binding.description} |")
        general = [
            "| `1`–`6` | Byt skärm: Översikt, Beslut, Matchning, Schema, Rapporter, Resurser |",
            "| `Ctrl+P` | Kommandopaletten: alla kommandon med sök |",
            "| `Ctrl+O` | Importera filer |",
            "| `Ctrl+T` | Ljust eller mörkt tema |",
            "| `Tab`, `Skift+Tab` | Nästa eller föregående fält |",
            "| `<`, `>` | Förra eller nästa flik (Schema, Matchning, Resurser) |",
            "| `F1` | Den här hjälpen |",
            "| `Ctrl+Q` | Avsluta |",
        ]
        text = body.strip() + "\n\n## Tangenter här\n\n| Tangent | Gör |\n|---|---|\n"
        text += "\n".join(keys or ["| – | – |"])
        text += "\n\n## Överallt\n\n| Tangent | Gör |\n|---|---|\n" + "\n".join(general)
        return cls(f"Hjälp: {title}", text)

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it och pygments: först när hjälpen visas

        with Vertical(classes="dialog help-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(id="hjalp-text"):
                yield Markdown(self.text)
            yield Static("Escape eller F1 stänger.", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#hjalp-text").focus()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


#: Tangenternas namn som de står på tangentbordet (svenska där det finns ett).
TANGENTNAMN = {
    "escape": "Esc", "enter": "Enter", "delete": "Delete", "space": "Mellanslag", "tab": "Tab",
    "backspace": "Backsteg", "up": "↑", "down": "↓", "left": "←", "right": "→", "home": "Home",
    "end": "End", "pageup": "Page Up", "pagedown": "Page Down", "insert": "Insert",
}
MODIFIERARE = {"ctrl": "Ctrl", "shift": "Skift", "alt": "Alt", "meta": "Meta"}


def _key_name(key: str) -> str:
    """Tangenten som den står tryckt: "left_square_bracket" → "[", "ctrl+o" → "Ctrl+O"."""
    from textual.keys import format_key, key_to_character

    parts = []
    for k in key.split(","):
        *mods, base = k.strip().split("+")
        if base in TANGENTNAMN:
            name = TANGENTNAMN[base]
        elif base.startswith("f") and base[1:].isdigit():
            name = base.upper()
        else:
            char = key_to_character(base)
            name = char if char and char.isprintable() and not char.isspace() else format_key(base)
            if mods and len(name) == 1:
                name = name.upper()
        parts.append("+".join([*(MODIFIERARE.get(m, m.capitalize()) for m in mods), name]))
    return " / ".join(parts)


@attrs.frozen
class Falt:
    """Ett fält i ett formulär. `kind` är text, datum eller val."""

    name: str
    label: str
    kind: str = "text"
    value: str = ""
    options: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""
    hint: str = ""
    #: Visas inte i klartext (personnummer): skrivs som i ett lösenordsfält.
    secret: bool = False
    #: Kan inte ändras (t.ex. id när en befintlig person ändras).
    locked: bool = False


class FormErrors(Exception):
    """Flera fel på en gång: {fält: mening}. Fel utan känt fält visas under rubriken."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


class FormDialog(ModalScreen[Any]):
    """Ett formulär. `submit(values)` sparar; ett `ValidationError` visas vid sitt fält (klassen
    `error`), ett `UserError` under rubriken. Felen försvinner när fältet ändras."""

    BINDINGS = [
        Binding("escape", "avbryt", "Avbryt", id="form-avbryt", tooltip="Stäng utan att spara"),
        Binding("ctrl+s", "spara", "Spara", id="form-spara", tooltip="Spara formuläret"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Falt],
        submit: Callable[[dict[str, str]], Any],
        *,
        intro: str = "",
        save_label: str = "Spara",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.fields = list(fields)
        self.submit = submit
        self.intro = intro
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="dialog-intro")
            yield Static("", id="form-fel", classes="form-error")
            with VerticalScroll(classes="form-fields"):
                for field in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(field.label, classes="form-label")
                        if field.kind == "val":
                            yield Select(
                                list(field.options), value=field.value or Select.NULL, allow_blank=not field.value,
                                id=f"f-{field.name}", compact=True, prompt="Välj",
                            )
                        else:
                            yield Input(
                                field.value, placeholder=field.placeholder or ("ÅÅÅÅ-MM-DD" if field.kind == "datum" else ""),
                                id=f"f-{field.name}", compact=True, password=field.secret, disabled=field.locked,
                            )
                    yield Static(field.hint, id=f"fel-{field.name}",
                                 classes="field-message hint" if field.hint else "field-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.save_label, id="spara", variant="primary")
                yield Button("Avbryt", id="avbryt")

    def on_mount(self) -> None:
        editable = [f for f in self.fields if not f.locked]
        if editable:
            self.query_one(f"#f-{editable[0].name}").focus()

    def values(self) -> dict[str, str]:
        result = {}
        for field in self.fields:
            widget = self.query_one(f"#f-{field.name}")
            if isinstance(widget, Select):
                value = widget.value
                result[field.name] = "" if value is Select.NULL or value is None else str(value)
            else:
                result[field.name] = widget.value.strip()  # type: ignore[attr-defined]
        return result

    def show_field_error(self, name: str, message: str, *, focus: bool = True) -> None:
        names = [f.name for f in self.fields]
        if name not in names:
            self.show_error(message)
            return
        widget = self.query_one(f"#f-{name}")
        widget.add_class("error")
        label = self.query_one(f"#fel-{name}", Static)
        label.update(message)
        label.add_class("error")
        if focus:
            widget.focus()
            widget.scroll_visible()

    def show_field_errors(self, errors: dict[str, str]) -> None:
        """Alla fel på en gång; markören till det första felaktiga fältet i formulärets ordning."""
        order = {f.name: i for i, f in enumerate(self.fields)}
        first = True
        for name in sorted(errors, key=lambda n: order.get(n, -1)):
            self.show_field_error(name, errors[name], focus=first and name in order)
            first = first and name not in order

    def show_error(self, message: str) -> None:
        box = self.query_one("#form-fel", Static)
        box.update(message)
        box.add_class("visible")

    def clear_errors(self) -> None:
        for field in self.fields:
            self.query_one(f"#f-{field.name}").remove_class("error")
            label = self.query_one(f"#fel-{field.name}", Static)
            label.remove_class("error")
            label.update(field.hint)
        self.query_one("#form-fel", Static).remove_class("visible")

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Select.Changed) -> None:
        widget = event.control
        if widget.has_class("error") and widget.id:
            widget.remove_class("error")
            name = widget.id.removeprefix("f-")
            label = self.query_one(f"#fel-{name}", Static)
            label.remove_class("error")
            label.update(next((f.hint for f in self.fields if f.name == name), ""))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = [f for f in self.fields if f.kind != "val"]
        if inputs and event.input.id == f"f-{inputs[-1].name}":
            self.action_spara()
        else:
            self.focus_next()

    @on(Button.Pressed, "#spara")
    def _save(self) -> None:
        self.action_spara()

    @on(Button.Pressed, "#avbryt")
    def _cancel(self) -> None:
        self.action_avbryt()

    def action_avbryt(self) -> None:
        self.dismiss(None)

    def action_spara(self) -> None:
        self.clear_errors()
        try:
            result = self.submit(self.values())
        except ValidationError as exc:
            self.show_field_error(exc.field, exc.message)
            return
        except FormErrors as exc:
            self.show_field_errors(exc.errors)
            return
        except UserError as exc:
            self.show_error("\n".join([exc.message, *exc.details]))
            return
        self.dismiss(result if result is not None else True)


FORMAT_TEXT = {
    "docx": "Word (docx)",
    "xlsx": "Excel (xlsx)",
    "csv": "CSV för Excel",
    "md": "Markdown",
    "txt": "Text",
}


class FileSaveDialog(FormDialog):
    """Spara bytes i en fil. Skriver aldrig över en befintlig fil utan att fråga."""

    def __init__(
        self,
        title: str,
        default_dir: Path | None,
        default_name: str,
        formats: Sequence[str],
        produce: Callable[[str], bytes],
    ) -> None:
        stem = Path(default_name).stem
        self.produce = produce
        # Användarens hemkatalog, inte katalogen programmet råkade startas i.
        default_dir = default_dir if default_dir is not None else Path.home()
        self.default_dir = default_dir
        fields = [
            Falt("katalog", "Katalog", value=str(default_dir)),
            Falt("namn", "Filnamn", value=stem, hint="Filändelsen sätts efter formatet."),
        ]
        if len(formats) > 1:
            fields.append(Falt("format", "Format", kind="val", value=formats[0],
                               options=tuple((FORMAT_TEXT.get(f, f), f) for f in formats)))
        self.formats = list(formats)
        super().__init__(title, fields, self._write, save_label="Spara fil")
        self._force = False

    def target(self, values: dict[str, str]) -> Path:
        fmt = values.get("format") or self.formats[0]
        name = values["namn"]
        if not name:
            raise ValidationError("namn", "Skriv ett filnamn.")
        if "/" in name:
            raise ValidationError("namn", "Filnamnet får inte innehålla /; välj katalog i fältet ovan.")
        folder = Path(values["katalog"] or ".").expanduser()
        if not folder.is_dir():
            raise ValidationError(
                "katalog", f"Katalogen {folder} finns inte. Skriv en katalog som finns, t.ex. {Path.home()}.")
        path = folder / name
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        return path

    def _write(self, values: dict[str, str]) -> Path:
        path = self.target(values)
        if path.exists() and not self._force:
            raise ValidationError("namn", f"{path.name} finns redan. Ändra namnet, eller tryck Ctrl+S igen för att skriva över.")
        fmt = values.get("format") or self.formats[0]
        from bemanning.io.exporter import write_new_file

        return write_new_file(path, self.produce(fmt), force=self._force)

    def action_spara(self) -> None:
        values = self.values()
        try:
            path = self.target(values)
            if path.exists() and self.query_one("#f-namn").has_class("error"):
                self._force = True  # andra försöket efter varningen: skriv över
        except ValidationError:
            pass
        super().action_spara()
        self._force = False
