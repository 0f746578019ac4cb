"""Export: the plan workbook, the nämnd's approval package and the kvalitetsberättelse draft.

One click per file: each download button makes its file when it is clicked (Streamlit's
deferred download data), writes it under RISKMOTOR_EXPORT_DIR as well and records the export
in the Ändringslogg — nothing is made, written or logged just by opening the page.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from riskmotor.domain.terms import label
from riskmotor.reports.export import Signatories
from riskmotor.services import exports
from streamlit_app.ui import analysis_caption, app, catalog, require_analysis, uow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

st.title("Export")
analysis = require_analysis()
analysis_caption(analysis)
cat = catalog()
overview = exports.export_overview(uow(), analysis.namnd_id, analysis.year)
namnd, year, current = overview.namnd, overview.year, overview.current_plan
target = app().export_dir
st.caption(f"Filerna sparas också i mappen {target.resolve()}.")


def download(label: str, make: Callable[[], bytes], name: str, mime: str, key: str) -> None:
    """A download button that makes the file only when clicked, without rerunning the page."""
    st.download_button(
        label,
        data=make,
        file_name=name,
        mime=mime,
        key=key,
        on_click="ignore",
        type="primary",
        icon=":material/download:",
        disabled=current is None and key != "kvalitet",
    )


if current is not None:
    st.write(
        f"Internkontrollplan {year} för {namnd}: version {current.plan_version}, "
        f"status **{current.status.value}**."
    )
else:
    st.info(
        f"Det finns ingen internkontrollplan för {year} ännu. Föreslå en på sidan "
        "Internkontrollplan; kvalitetsberättelsen går att skapa ändå."
    )
    st.page_link("views/internkontrollplan.py", label="Till Internkontrollplan")

st.subheader("Internkontrollplanen i Excel")
st.write(
    "Arbetsbok för controller och revisorer: sammanfattning, plan, behandlingsplaner, hela "
    "riskanalysen, riskmatrisen, egenkontroll, uppföljning och skalor."
)
excel_name = f"internkontrollplan-{exports.slug(namnd)}-{year}.xlsx"


def make_excel() -> bytes:
    return exports.export_excel(uow(), cat, namnd, year, target / excel_name).read_bytes()


download("Ladda ned Excelfilen", make_excel, excel_name, XLSX, "excel")

st.subheader("Beslutspaket till nämnden")
st.write(
    "Tjänsteutlåtande i Word, Excelfilen, riskmatrisen som bild, PDF-kopior (när LibreOffice "
    "finns) och ett manifest med "
    "kontrollsummor som visar att filerna inte har ändrats efteråt. Förvaltningens synpunkter "
    "skrivs på sidan Internkontrollplan."
)


def signatories_form() -> Signatories:
    """Who the documents name, prefilled from the settings (RISKMOTOR_HANDLAGGARE_*)."""
    preset = app().signatories
    with st.expander("Handläggare och underskrifter", expanded=not preset.handlaggare):
        left, right = st.columns(2)
        return Signatories(
            handlaggare=left.text_input("Handläggarens namn", value=preset.handlaggare),
            title=right.text_input("Titel", value=preset.title),
            phone=left.text_input("Telefon", value=preset.phone),
            email=right.text_input(label("email"), value=preset.email),
            forvaltningschef=left.text_input(
                "Förvaltningschef",
                value=preset.forvaltningschef,
                help="Tomt: deltagaren med rollen förvaltningschef i riskanalysen.",
            ),
            avdelningschef=right.text_input(
                "Avdelningschef",
                value=preset.avdelningschef,
                help="Tomt: deltagaren med rollen avdelningschef, om det bara finns en.",
            ),
        )


people = signatories_form()
with_quality = st.checkbox("Ta med kvalitetsberättelsen i paketet")


def make_package() -> bytes:
    report = exports.export_package(
        uow(),
        cat,
        namnd,
        year,
        target,
        signatories=people,
        new_folder=True,
        with_kvalitetsberattelse=with_quality,
    )
    return exports.zip_folder(report.folder)


download(
    "Ladda ned beslutspaketet (zip)",
    make_package,
    f"beslutspaket-{exports.slug(namnd)}-{year}.zip",
    "application/zip",
    "package",
)
st.caption(
    "Paketet innehåller manifest.json med kontrollsumman (SHA-256) för varje fil; "
    "`riskmotor export verify MAPP` visar om någon fil har ändrats."
)

st.subheader("Kvalitetsberättelse")
st.write(
    f"Utkast för {year} enligt de allmänna råden: hur kvalitetsarbetet har bedrivits, vilka "
    "åtgärder som har vidtagits och vilka resultat som har uppnåtts. Gula markeringar fylls i "
    "av förvaltningen."
)
quality_name = f"kvalitetsberattelse-{exports.slug(namnd)}-{year}.docx"


def make_quality_story() -> bytes:
    out = target / quality_name
    return exports.export_kvalitetsberattelse(
        uow(), cat, namnd, year, out, signatories=people
    ).read_bytes()


download("Ladda ned kvalitetsberättelsen", make_quality_story, quality_name, DOCX, "kvalitet")
