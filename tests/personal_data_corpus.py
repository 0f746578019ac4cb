"""Generator of the messy import files in tests/data/personal_data/ (run it to rewrite them).

Every number is a fake personnummer or samordningsnummer with a computed Luhn check digit,
written in each spelling staff use (10 or 12 digits, '-', '+' or no separator) and put into
every column of both import types and into free text. ``python -m tests.personal_data_corpus``
rewrites the files; a test checks that the committed files are what this module makes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "data" / "personal_data"


def check_digit(nine: str) -> int:
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value // 10 + value % 10
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class FakeNumber:
    """A fake number: century, ÅÅMMDD (day + 60 for a samordningsnummer) and NNN."""

    century: str
    date: str
    serial: str

    @property
    def last_four(self) -> str:
        return self.serial + str(check_digit(self.date + self.serial))

    @property
    def ten(self) -> str:
        return self.date + self.last_four

    @property
    def twelve(self) -> str:
        return self.century + self.ten

    def forms(self) -> list[str]:
        """Every spelling a scan looks for (the 10 digits are inside the 12-digit forms)."""
        return [
            self.ten,
            f"{self.date}-{self.last_four}",
            f"{self.date}+{self.last_four}",
            f"{self.date} {self.last_four}",
        ]


NUMBERS = [
    FakeNumber("19", "990723", "597"),  # 10 digits with '-'
    FakeNumber("20", "120315", "238"),  # 12 digits with '-'
    FakeNumber("19", "850101", "443"),  # 10 digits, no separator
    FakeNumber("20", "030630", "116"),  # 12 digits, no separator
    FakeNumber("19", "810278", "552"),  # samordningsnummer (day 18 + 60), 10 digits
    FakeNumber("19", "640985", "007"),  # samordningsnummer (day 25 + 60), 12 digits with '-'
    FakeNumber("19", "120512", "391"),  # '+': 100 years or older
    FakeNumber("19", "770404", "884"),  # in free text
    FakeNumber("20", "101111", "606"),  # in free text, 12 digits
    FakeNumber("19", "580868", "212"),  # samordningsnummer (day 8 + 60), 12 digits
    FakeNumber("19", "930217", "765"),  # in an XLSX number cell
    FakeNumber("19", "761130", "345"),  # in the Personnummer column itself
]
N = NUMBERS


def spellings() -> list[str]:
    """How each number is written in the files, in the order of NUMBERS."""
    return [
        f"{N[0].date}-{N[0].last_four}",
        f"{N[1].century}{N[1].date}-{N[1].last_four}",
        N[2].ten,
        N[3].twelve,
        N[4].ten,
        f"{N[5].century}{N[5].date}-{N[5].last_four}",
        f"{N[6].date}+{N[6].last_four}",
        f"{N[7].date}-{N[7].last_four}",
        N[8].twelve,
        f"{N[9].century}{N[9].date}-{N[9].last_four}",
        N[10].ten,
        f"{N[11].date}-{N[11].last_four}",
    ]


def case_list_csv() -> str:
    s = spellings()
    rows = [
        "Ärendenummer;Avslutat datum;Enhet;Ärendetyp;Handläggare;Personnummer",
        f"{s[0]};2027-01-10;Enhet A;Utredning;Handläggare 1;{s[11]}",
        f"ÄR-2;2027-01-11;{s[1]};Utredning;Handläggare 2;",
        f"ÄR-3;2027-01-12;Enhet A;Utredning om {s[2]};Handläggare 3;",
        f"ÄR-4;2027-01-13;Enhet B;Utredning;{s[3]};",
        f"ÄR-5;2027-01-14;Enhet B;Utredning;Handläggare ({s[4]});",
        f"Akt {s[5]};2027-01-15;Enhet A;Utredning;Handläggare 1;",
        f"ÄR-7;2027-01-16;Enhet A;Utredning;Handläggare 1;{s[6]}",
        f"ÄR-8;2027-01-17;Enhet B;Barnet {s[7]} och syskon {s[8]};Handläggare 2;",
        f"ÄR-9;2027-01-18;Enhet B;Utredning;Handläggare 2;{s[9]}",
    ]
    return "\n".join(rows) + "\n"


def deviations_csv() -> str:
    s = spellings()
    rows = [
        "Datum;Avdelning;Enhet;Kategori;Anmäld till;Allvarlig;Orsak;Process;Beskrivning;Löpnummer",
        f"2027-02-01;{s[0]};Enhet A;Övrigt;;Nej;Brister;Utredning;Text;AV-1",
        f"2027-02-02;IFO;{s[1]};Övrigt;;Nej;Brister;Utredning;Text;AV-2",
        f"2027-02-03;IFO;Enhet A;Övrigt;;Nej;Orsak {s[2]};Utredning;Text;AV-3",
        f"2027-02-04;IFO;Enhet A;Övrigt;;Nej;Brister;Process {s[3]};Text;AV-4",
        f"2027-02-05;IFO;Enhet A;Övrigt;;Nej;Brister;Utredning;Barnet {s[4]} ({s[5]});AV-5",
        f"2027-02-06;IFO;Enhet A;Övrigt;;Nej;Brister;Utredning;Text;{s[6]}",
        f'2027-02-07;IFO;Enhet A;Övrigt;;Nej;"=HYPERLINK(""http://x"",""{s[7]}"")";Utredning;'
        f'"Flerradig\ntext {s[8]}";AV-7',
        f"{s[9]};IFO;Enhet A;Övrigt;;Nej;Brister;Utredning;Fel datum;AV-8",
        f"2027-02-09;IFO;Enhet A;{s[10]};;Nej;Brister;Utredning;Fel kategori;AV-9",
        f"2027-02-10;IFO;Enhet A;Övrigt;;{s[0]};Brister;Utredning;Fel ja/nej;AV-10",
    ]
    return "\n".join(rows) + "\n"


def case_list_xlsx() -> bytes:
    """The case list as a workbook, with a number typed into a number cell."""
    from openpyxl import Workbook

    s = spellings()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ärende-id", "Avslutad", "Enhet", "Ärendetyp", "Handläggare", "Personnummer"])
    sheet.append(["X-1", "2027-01-10", "Enhet A", "Utredning", int(NUMBERS[10].ten), s[11]])
    sheet.append([int(NUMBERS[3].twelve), "2027-01-11", "Enhet A", s[2], "H", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILES = {
    "arendelista.csv": lambda: case_list_csv().encode("utf-8"),
    "arendelista-cp1252.csv": lambda: case_list_csv().encode("cp1252"),
    "avvikelser.csv": lambda: deviations_csv().encode("utf-8-sig"),
    "nul.csv": lambda: deviations_csv().replace("Text;AV-2", "Te\x00xt;AV-2").encode("utf-8"),
    "binar.csv": lambda: bytes(range(256)) * 4,
}


def write_corpus(folder: Path = FOLDER) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (folder / name).write_bytes(make())


if __name__ == "__main__":
    write_corpus()
