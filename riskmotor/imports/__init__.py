"""Reading user files (case lists, deviation reports) and pseudonymising personal data on import.

Typical use::

    from riskmotor.imports import Column, parse_date, read_table

    table = read_table(path, path.name, [Column("case_id", "Ärende-id", ("ärendenummer",))])
    table.raise_for_errors()  # or show table.errors and import table.rows
"""

from riskmotor.imports.errors import HostileInputError
from riskmotor.imports.personnummer import PersonalField, PersonnummerScrubber, is_personnummer
from riskmotor.imports.pseudonym import (
    Pseudonymiser,
    PseudonymSecretError,
    key_fingerprint,
    normalise_personnummer,
    parse_personnummer_with,
)
from riskmotor.imports.pseudonym_key import KeyLocation, load_or_create_secret
from riskmotor.imports.tabular import (
    ROW_KEY,
    Column,
    RowError,
    SensitiveValueError,
    Table,
    TableFormatError,
    TableRowsError,
    TableStream,
    normalise_header,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_optional_text,
    parse_text,
    read_table,
    stream_table,
)

__all__ = [
    "ROW_KEY",
    "Column",
    "HostileInputError",
    "KeyLocation",
    "PersonalField",
    "PersonnummerScrubber",
    "PseudonymSecretError",
    "Pseudonymiser",
    "RowError",
    "SensitiveValueError",
    "Table",
    "TableFormatError",
    "TableRowsError",
    "TableStream",
    "is_personnummer",
    "key_fingerprint",
    "load_or_create_secret",
    "normalise_header",
    "normalise_personnummer",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_optional_text",
    "parse_personnummer_with",
    "parse_text",
    "read_table",
    "stream_table",
]
