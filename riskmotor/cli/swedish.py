"""Click's own texts in Swedish: usage lines, help headings, usage errors.

Click marks every text it prints with ``gettext`` (``_("Usage:")``), looked up at the moment
it is printed. :func:`install` points those look-ups, in the click modules that print, at the
table below, so ``riskmotor --help`` and a missing option speak the same language as the
rest of riskmotor without depending on the user's locale or on compiled message catalogs.
A text not in the table is printed as click wrote it.
"""

from __future__ import annotations

import importlib

import click

TRANSLATIONS: dict[str, str] = {
    "Usage:": "Användning:",
    "Options": "Alternativ",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Missing argument": "Argument saknas",
    "Missing option": "Obligatoriskt alternativ saknas",
    "Missing parameter": "Värde saknas",
    "Missing {param_type}": "{param_type} saknas",
    "Missing parameter: {param_name}": "Värde saknas: {param_name}",
    "Missing command.": "Ange ett kommando.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Alternativet {name!r} finns inte.",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du något av: {possibilities}?)",
    "Option {name!r} does not take a value.": "Alternativet {name!r} tar inget värde.",
    "Option {name!r} requires an argument.": "Alternativet {name!r} behöver ett värde.",
    "Option {name!r} requires {nargs} arguments.": "Alternativet {name!r} behöver {nargs} värden.",
    "Got unexpected extra argument ({args})": "Oväntat extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Oväntade extra argument ({args})",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte något av {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} följer inte formatet {format}.",
    "{value!r} does not match the formats {formats}.": (
        "{value!r} följer inte något av formaten {formats}."
    ),
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} är inte ja eller nej. Giltiga värden: {states}"
    ),
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "Could not open file {filename!r}: {message}": "Kan inte öppna filen {filename!r}: {message}",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "required": "obligatoriskt",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "Aborted!": "Avbrutet.",
    "unknown error": "okänt fel",
}

# The noun click puts into "Missing {param_type}" and "is not a valid {number_type}".
TYPE_NAMES: dict[click.ParamType, str] = {click.INT: "heltal", click.FLOAT: "decimaltal"}

CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
)


def gettext(message: str) -> str:
    return TRANSLATIONS.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural)


def install() -> None:
    """Make click print its texts in Swedish (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]  # click's gettext alias
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for param_type, noun in TYPE_NAMES.items():
        param_type.name = noun
