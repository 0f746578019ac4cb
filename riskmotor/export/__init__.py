"""Files for the nämnd, controllers and reviewers, laid out from the read models in
:mod:`riskmotor.reports`: ``xlsx/`` (the styling kit, the internkontrollplan workbook and the
egenkontroll checklist), ``docx/`` (the document kit, the tjänsteutlåtande and the
kvalitetsberättelse), ``rows`` (content every format shares), ``charts`` and ``package``.
Nothing here reads the database or calls a service.
"""
