"""Les exports CSV, lisibles tels quels par un Excel français : séparateur « ; », virgule décimale, UTF-8 avec BOM.
Les nombres arrivent en texte décimal exact (Decimal ou texte de l'API) ; seul leur point devient une virgule."""

import csv
import io
import re
from collections.abc import Iterable

_DECIMAL = re.compile(r"^-?\d+\.\d+$")
BOM = "\ufeff"


def excel_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.replace(".", ",") if _DECIMAL.match(text) else text


def french_csv(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([excel_cell(value) for value in row] for row in rows)
    return out.getvalue()
