"""The workshop use cases against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import AnalysisStatus, RiskAnalysis
from riskmotor.errors import ConflictError, DuplicateError, InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.matrix import build_matrix, points
from riskmotor.services import audit, demo, organisation, workshop

UowFactory = Callable[..., UnitOfWork]


@pytest.fixture
def analysis(uow_factory: UowFactory, catalog: Catalog) -> RiskAnalysis:
    namnd = organisation.create_namnd(uow_factory(), "Testkommun", "Socialnämnden")
    assert namnd.id is not None
    return workshop.create_analysis(uow_factory(), catalog, namnd.id, 2027)


def _template_key(catalog: Catalog, index: int = 0) -> str:
    return catalog.templates[index].key


def test_workshop_flow_votes_flag_confirm_and_matrix(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    people = [
        workshop.add_participant(uow_factory(), analysis.id, name, role)
        for name, role in [
            ("Anna", "Förvaltningschef"),
            ("Bo", "Enhetschef"),
            ("Cia", "Controller"),
        ]
    ]
    risk = workshop.add_risk_from_template(
        uow_factory(), catalog, analysis.id, _template_key(catalog)
    )
    assert risk.source == "katalog" and risk.votes == 0 and risk.risk_value is None
    for person, (s, k) in zip(people, [(1, 3), (3, 3), (3, 4)], strict=True):
        assert person.id is not None
        workshop.cast_vote(uow_factory(), catalog, risk.id, person.id, s, k)

    [view] = workshop.list_risks(uow_factory(), catalog, analysis.id)
    assert view.votes == 3
    assert (view.vote_likelihood, view.vote_consequence) == (3, 3)
    assert view.disagreement  # likelihood votes span 1..3
    assert not view.confirmed

    workshop.confirm_assessment(uow_factory(), catalog, risk.id, 3, 4, view.version)
    [confirmed] = workshop.list_risks(uow_factory(), catalog, analysis.id)
    assert (confirmed.likelihood, confirmed.consequence, confirmed.risk_value) == (3, 4, 12)
    assert confirmed.level == "mycket_hog" and confirmed.confirmed

    matrix = build_matrix(catalog.scale(analysis.scale_key), points([confirmed]))
    cell = next(c for row in matrix.rows for c in row if (c.likelihood, c.consequence) == (3, 4))
    assert cell.risk_ids == [risk.id]
    assert cell.colour == catalog.scale().risk_level("mycket_hog").colour
    assert matrix.rows[0][0].likelihood == 4  # highest likelihood drawn on top


def test_changing_a_vote_updates_it_instead_of_adding(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    person = workshop.add_participant(uow_factory(), analysis.id, "Anna")
    risk = workshop.add_risk_from_template(
        uow_factory(), catalog, analysis.id, _template_key(catalog)
    )
    assert person.id is not None
    first = workshop.cast_vote(uow_factory(), catalog, risk.id, person.id, 2, 2)
    second = workshop.cast_vote(
        uow_factory(), catalog, risk.id, person.id, 4, 1, expected_version=first.version
    )
    assert second.id == first.id and second.version == first.version + 1
    assert len(workshop.votes_for_analysis(uow_factory(), analysis.id)) == 1


def test_stale_save_is_refused_with_the_other_persons_values(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    created = workshop.add_risk_from_template(
        uow_factory(), catalog, analysis.id, _template_key(catalog)
    )
    anna_copy = workshop.get_risk(uow_factory("Anna"), created.id)
    bo_copy = workshop.get_risk(uow_factory("Bo"), created.id)

    anna_copy.description = "Annas beskrivning"
    workshop.update_risk(uow_factory("Anna"), catalog, anna_copy)

    bo_copy.description = "Bos beskrivning"
    with pytest.raises(ConflictError) as conflict:
        workshop.update_risk(uow_factory("Bo"), catalog, bo_copy)
    assert conflict.value.current["description"] == "Annas beskrivning"
    # The message names the risk and the person who saved it, not "risk (id 48)".
    assert f"Anna har ändrat ”{created.title}”" in str(conflict.value)
    assert conflict.value.changed_by == "Anna" and conflict.value.changed_at
    assert workshop.get_risk(uow_factory(), created.id).description == "Annas beskrivning"


def test_stale_vote_is_refused(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    person = workshop.add_participant(uow_factory(), analysis.id, "Anna")
    assert person.id is not None
    risk = workshop.add_risk_from_template(
        uow_factory(), catalog, analysis.id, _template_key(catalog)
    )
    first = workshop.cast_vote(uow_factory(), catalog, risk.id, person.id, 2, 2)
    workshop.cast_vote(
        uow_factory(), catalog, risk.id, person.id, 3, 3, expected_version=first.version
    )
    with pytest.raises(ConflictError) as conflict:
        workshop.cast_vote(
            uow_factory(), catalog, risk.id, person.id, 1, 1, expected_version=first.version
        )
    assert conflict.value.current["likelihood"] == 3


def test_every_change_is_in_the_audit_log(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    created = workshop.add_risk_from_template(
        uow_factory("Anna"), catalog, analysis.id, _template_key(catalog)
    )
    risk = workshop.get_risk(uow_factory(), created.id)
    old_title = risk.title
    risk.title = "Ny rubrik"
    workshop.update_risk(uow_factory("Bo"), catalog, risk)

    entries = audit.audit_log(uow_factory(), analysis_id=analysis.id, entity="risk")
    change = next(e for e in entries if e.action == "update" and e.field == "title")
    assert (change.actor, change.old, change.new) == ("Bo", old_title, "Ny rubrik")
    assert change.entity_id == created.id and change.at
    creation = next(e for e in entries if e.action == "create")
    assert creation.actor == "Anna"


def test_duplicate_title_is_refused_and_nothing_is_written(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    draft = {"analysis_id": analysis.id, "title": "Samma titel"}
    workshop.add_risk(uow_factory(), catalog, draft)
    before = len(audit.audit_log(uow_factory()))
    with pytest.raises(DuplicateError, match="Samma titel"):
        workshop.add_risk(uow_factory(), catalog, draft)
    assert len(workshop.list_risks(uow_factory(), catalog, analysis.id)) == 1
    assert len(audit.audit_log(uow_factory())) == before


@pytest.mark.parametrize(("s", "k"), [(5, 1), (0, 2), (2, 9)])
def test_scores_outside_the_scale_write_nothing(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis, s: int, k: int
) -> None:
    assert analysis.id is not None
    with pytest.raises(InvalidInputError, match="utanför skalan"):
        workshop.add_risk(
            uow_factory(),
            catalog,
            {
                "analysis_id": analysis.id,
                "title": "X",
                "inherent_likelihood": s,
                "inherent_consequence": k,
            },
        )
    person = workshop.add_participant(uow_factory(), analysis.id, "Anna")
    risk = workshop.add_risk(uow_factory(), catalog, {"analysis_id": analysis.id, "title": "Y"})
    assert person.id is not None
    with pytest.raises(InvalidInputError, match="utanför skalan"):
        workshop.cast_vote(uow_factory(), catalog, risk.id, person.id, s, k)
    assert workshop.votes_for_analysis(uow_factory(), analysis.id) == []
    assert [r.title for r in workshop.list_risks(uow_factory(), catalog, analysis.id)] == ["Y"]


def test_unknown_scale_and_duplicate_analysis_are_refused(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    with pytest.raises(Exception, match="Okänd skala"):
        workshop.create_analysis(uow_factory(), catalog, analysis.namnd_id, 2028, scale_key="7x7")
    with pytest.raises(DuplicateError, match="2027"):
        workshop.create_analysis(uow_factory(), catalog, analysis.namnd_id, 2027)


def test_adopted_analysis_cannot_be_edited(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    analysis.status = AnalysisStatus.FASTSTALLD
    workshop.update_analysis(uow_factory(), catalog, analysis)
    with pytest.raises(InvalidInputError, match="fastställd"):
        workshop.add_risk(uow_factory(), catalog, {"analysis_id": analysis.id, "title": "Sen"})


def test_demo_is_complete_and_idempotent(uow_factory: UowFactory, catalog: Catalog) -> None:
    first = demo.load_demo(uow_factory(), catalog)
    second = demo.load_demo(uow_factory(), catalog)
    assert second.risks_added == 0 and second.risks_total == first.risks_total >= 30
    enheter = organisation.units_below(uow_factory(), first.namnd_id, demo.UnitKind.ENHET)
    avdelningar = organisation.units_below(uow_factory(), first.namnd_id, demo.UnitKind.AVDELNING)
    assert len(enheter) >= 6 and len(avdelningar) == 3
    assert len(workshop.participants(uow_factory(), first.analysis_id)) == 6
    risks = workshop.list_risks(uow_factory(), catalog, first.analysis_id)
    assert all(r.votes == 6 for r in risks)
    flagged = sum(r.disagreement for r in risks)
    assert 0 < flagged < len(risks) / 2
    assert len({r.risk_value for r in risks if r.risk_value}) >= 5  # a believable spread


def test_demo_adds_synthetic_risks_up_to_n(uow_factory: UowFactory, catalog: Catalog) -> None:
    result = demo.load_demo(uow_factory(), catalog, risks=60)
    assert result.risks_total == 60
    assert demo.load_demo(uow_factory(), catalog, risks=60).risks_added == 0


def test_writer_slipping_in_between_check_and_update_is_caught(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    """Both transactions pass the version check; the database's UPDATE … WHERE version decides."""
    assert analysis.id is not None
    created = workshop.add_risk_from_template(
        uow_factory(), catalog, analysis.id, _template_key(catalog)
    )
    with uow_factory("Anna") as anna:
        mine = anna.risks.get(created.id)  # Anna's session now holds version 1
        workshop.update_risk(
            uow_factory("Bo"),
            catalog,
            workshop.get_risk(uow_factory(), created.id).model_copy(update={"causes": "Bos"}),
        )
        mine.causes = "Annas"
        with pytest.raises(ConflictError) as conflict:
            anna.risks.update(mine)
    assert conflict.value.current["causes"] == "Bos"
    assert workshop.get_risk(uow_factory(), created.id).causes == "Bos"


def test_removing_a_participant_removes_and_logs_their_votes(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    person = workshop.add_participant(uow_factory(), analysis.id, "Anna")
    risk = workshop.add_risk(uow_factory(), catalog, {"analysis_id": analysis.id, "title": "R"})
    assert person.id is not None
    workshop.cast_vote(uow_factory(), catalog, risk.id, person.id, 2, 3)
    workshop.remove_participant(uow_factory("Erik"), person.id, person.version)
    assert workshop.participants(uow_factory(), analysis.id) == []
    assert workshop.votes_for_analysis(uow_factory(), analysis.id) == []
    deleted = [e.entity for e in audit.audit_log(uow_factory()) if e.action == "delete"]
    assert sorted(deleted) == ["participant", "vote"]


def test_consequence_per_area_takes_the_worst_area(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    person = workshop.add_participant(uow_factory(), analysis.id, "Anna")
    risk = workshop.add_risk(uow_factory(), catalog, {"analysis_id": analysis.id, "title": "R"})
    assert person.id is not None
    vote = workshop.cast_vote(
        uow_factory(),
        catalog,
        risk.id,
        person.id,
        2,
        1,
        consequence_by_area={"brukare": 4, "ekonomi": 2},
    )
    assert vote.consequence == 4 and vote.consequence_by_area == {"brukare": 4, "ekonomi": 2}
    with pytest.raises(InvalidInputError, match="Okänt konsekvensområde"):
        workshop.cast_vote(
            uow_factory(), catalog, risk.id, person.id, 2, 1, consequence_by_area={"väder": 2}
        )
    with pytest.raises(InvalidInputError, match="Ekonomi ligger utanför skalan"):
        workshop.cast_vote(
            uow_factory(), catalog, risk.id, person.id, 2, 1, consequence_by_area={"ekonomi": 7}
        )
