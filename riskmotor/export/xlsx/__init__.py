"""Excel workbooks: the styling kit, formula-safe cells, the internkontrollplan workbook and
the egenkontroll checklist."""
