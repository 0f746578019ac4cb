"""Export: the plan workbook, the nämnd's approval package and the kvalitetsberättelse draft.

Each button writes its files under RISKMOTOR_EXPORT_DIR and offers them for download; the
result is kept in the session so the download button survives the next rerun.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from riskmotor.services import context, exports, organisation, plan
from streamlit_app.ui import analysis_caption, attempt, catalog, require_analysis, uow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

st.title("Export")
analysis = require_analysis()
analysis_caption(analysis)
cat = catalog()
namnd = next(n for n in organisation.list_namnder(uow()) if n.id == analysis.namnd_id)
year = analysis.year
versions = plan.versions(uow(), analysis.namnd_id, year)
target = exports.export_dir()
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


if versions:
    current = versions[-1]
    st.write(
        f"Internkontrollplan {year} för {namnd.name}: version {current.plan_version}, "
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
if st.button("Skapa Excel", disabled=not versions):
    out = target / f"internkontrollplan-{exports.slug(namnd.name)}-{year}.xlsx"
    written = attempt(
        lambda: exports.export_excel(uow(), cat, namnd.name, year, out), "Excelfilen är skapad."
    )
    if written:
        remember("excel", written, XLSX)
offer("excel", "Ladda ned Excelfilen")

st.subheader("Beslutspaket till nämnden")
st.write(
    "Tjänsteutlåtande i Word, Excelfilen, riskmatrisen som bild och ett manifest med "
    "kontrollsummor som visar att filerna inte har ändrats efteråt. Förvaltningens synpunkter "
    "skrivs på sidan Internkontrollplan."
)
handlaggare = st.text_input("Handläggare", value=context.current_user())
if st.button("Skapa beslutspaket", disabled=not versions):
    folder = target / exports.package_folder_name(namnd.name, year, datetime.now(UTC))
    report = attempt(
        lambda: exports.export_package(
            uow(), cat, namnd.name, year, folder, handlaggare=handlaggare
        ),
        "Beslutspaketet är skapat.",
    )
    if report:
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
        st.caption(f"Ingen PDF ({reason}). Spara vid behov tjänsteutlåtandet som PDF i Word.")

st.subheader("Kvalitetsberättelse")
st.write(
    f"Utkast för {year} enligt de allmänna råden: hur kvalitetsarbetet har bedrivits, vilka "
    "åtgärder som har vidtagits och vilka resultat som har uppnåtts. Gula markeringar fylls i "
    "av förvaltningen."
)
if st.button("Skapa kvalitetsberättelse"):
    out = target / f"kvalitetsberattelse-{exports.slug(namnd.name)}-{year}.docx"
    written = attempt(
        lambda: exports.export_kvalitetsberattelse(uow(), cat, namnd.name, year, out),
        "Kvalitetsberättelsen är skapad.",
    )
    if written:
        remember("kvalitet", written, DOCX)
offer("kvalitet", "Ladda ned kvalitetsberättelsen")
