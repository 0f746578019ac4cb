"""Export: the plan workbook, the nämnd's approval package and the kvalitetsberättelse draft.

Each button writes its files under RISKMOTOR_EXPORT_DIR and offers them for download; the
result is kept in the session so the download button survives the next rerun.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from riskmotor.reports.export import Signatories
from riskmotor.services import exports
from streamlit_app.ui import (
    analysis_caption,
    app,
    attempt,
    catalog,
    require_analysis,
    uow,
)

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


def remember(key: str, path: Path, mime: str, data: bytes | None = None) -> None:
    st.session_state[f"export_{key}"] = {
        "name": path.name,
        "data": data if data is not None else path.read_bytes(),
        "mime": mime,
    }


def offer(key: str, label: str) -> None:
    result = st.session_state.get(f"export_{key}")
    if result:
        st.download_button(
            label,
            result["data"],
            file_name=result["name"],
            mime=result["mime"],
            key=f"download_{key}",
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
if st.button("Skapa Excel", disabled=current is None):
    out = target / f"internkontrollplan-{exports.slug(namnd)}-{year}.xlsx"
    written = attempt(
        lambda: exports.export_excel(uow(), cat, namnd, year, out), "Excelfilen är skapad."
    )
    if written:
        remember("excel", written, XLSX)
offer("excel", "Ladda ned Excelfilen")

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
            email=right.text_input("E-post", value=preset.email),
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
if st.button("Skapa beslutspaket", disabled=current is None):
    report = attempt(
        lambda: exports.export_package(
            uow(),
            cat,
            namnd,
            year,
            target,
            signatories=people,
            new_folder=True,
            with_kvalitetsberattelse=with_quality,
        ),
        "Beslutspaketet är skapat.",
    )
    if report:
        folder = report.folder
        remember(
            "package", folder.with_suffix(".zip"), "application/zip", exports.zip_folder(folder)
        )
        st.session_state["export_manifest"] = report.manifest
offer("package", "Ladda ned beslutspaketet (zip)")
manifest = st.session_state.get("export_manifest")
if manifest:
    st.dataframe(
        [{"Fil": f["name"], "SHA-256": f["sha256"], "Byte": f["bytes"]} for f in manifest["files"]],
        hide_index=True,
        width="stretch",
    )
    if str(manifest["pdf"]).startswith("skipped"):
        reason = str(manifest["pdf"]).removeprefix("skipped: ")
        st.caption(f"Inga PDF-filer: {reason}.")

st.subheader("Kvalitetsberättelse")
st.write(
    f"Utkast för {year} enligt de allmänna råden: hur kvalitetsarbetet har bedrivits, vilka "
    "åtgärder som har vidtagits och vilka resultat som har uppnåtts. Gula markeringar fylls i "
    "av förvaltningen."
)
if st.button("Skapa kvalitetsberättelse"):
    out = target / f"kvalitetsberattelse-{exports.slug(namnd)}-{year}.docx"
    written = attempt(
        lambda: exports.export_kvalitetsberattelse(
            uow(), cat, namnd, year, out, signatories=people
        ),
        "Kvalitetsberättelsen är skapad.",
    )
    if written:
        remember("kvalitet", written, DOCX)
offer("kvalitet", "Ladda ned kvalitetsberättelsen")
