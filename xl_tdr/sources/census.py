"""The Census sources as xl_tdr reads them: the API's endpoints and column names, and the bulk
file's columns — the one place these names are written (the tests' loopback Census reads them
here too)."""

from __future__ import annotations

#: API endpoints and value columns per flow: total exports F.A.S., general imports (customs value).
ENDPOINT = {"X": "exports/hs", "M": "imports/hs"}
VALUE = {"X": "ALL_VAL_MO", "M": "GEN_VAL_MO"}
#: The HS commodity column per flow, and the commodity level of chapters.
COMMODITY = {"X": "E_COMMODITY", "M": "I_COMMODITY"}
LEVEL, CHAPTER_LEVEL = "COMM_LVL", "HS2"
#: Partner code and name, and the period (``time`` as ``YYYY-MM``, or ``YEAR`` and ``MONTH``).
CODE, NAME, TIME, YEAR, MONTH = "CTY_CODE", "CTY_NAME", "time", "YEAR", "MONTH"
#: Exports by chapter need the other dimensions of the exports endpoint set to "-".
EXPORT_DIMENSIONS = {"DF": "-", "DISTRICT": "-"}

#: The bulk file ``country.xlsx``: year, code, name, then ``I``/``E`` + a month (imports,
#: exports), ``IYR``/``EYR`` for the year.
BULK_YEAR, BULK_CODE, BULK_NAME = "year", "CTY_CODE", "CTYNAME"
BULK_FLOW = {"M": "I", "X": "E"}
#: The maintainers' files of annual exports by chapter (USITC DataWeb) and of chapter names.
FILE_CHAPTER, FILE_EXPORTS, FILE_DESCRIPTION = "HS2", "exports_usd", "I_COMMODITY_LDESC"
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
