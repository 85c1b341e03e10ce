"""Bulk import of households with members from an Excel (.xlsx) or CSV file.

One row per person; rows are grouped into households by 户主身份证号. The whole file is parsed here
and validated by ``services.households_validate`` before anything is written: on any problem
nothing is written and the user gets a row-by-row report (row, column, value, reason) that points
at the spreadsheet row they see. A household whose head already heads a current household with the
same members is "unchanged", so importing the same file twice changes nothing.

One module per part: ``common`` (the result types), ``parsing`` (the file, row by row),
``importing`` (the import itself) and ``workbooks`` (the error report, the template, reports kept
for download). Every public name is re-exported here, so
``from safetynet.registry.imports import X`` and ``imports.X`` keep working.
"""

from __future__ import annotations

from safetynet.registry.import_format import parse_amount
from safetynet.registry.imports.common import (
    ImportResult,
    ParsedFile,
    RowProblem,
)
from safetynet.registry.imports.importing import (
    ALREADY_REGISTERED,
    households_import,
)
from safetynet.registry.imports.parsing import (
    PROGRESS_EVERY,
    parse_file,
)
from safetynet.registry.imports.workbooks import (
    REPORT_MAX_AGE,
    TEMPLATE_ROWS,
    error_report_workbook,
    report_file_name,
    report_path,
    report_save,
    template_downloaded,
    template_workbook,
)

__all__ = [
    "ALREADY_REGISTERED",
    "PROGRESS_EVERY",
    "REPORT_MAX_AGE",
    "TEMPLATE_ROWS",
    "ImportResult",
    "ParsedFile",
    "RowProblem",
    "error_report_workbook",
    "households_import",
    "parse_amount",
    "parse_file",
    "report_file_name",
    "report_path",
    "report_save",
    "template_downloaded",
    "template_workbook",
]
