"""Set-based classification of every household of a region in one pass (ADR 0005 and 0007).

``tables`` fixes the shapes of the engine's input tables; ``extract`` reads the region's
registry facts into them (the scoped household ids in a temporary table, six queries read as
text via COPY on PostgreSQL or joined lines on SQLite); ``engine`` evaluates ADR 0005 over them
in SQL (DuckDB, exact decimals); ``services`` ties them together in ``classify_region`` and
returns per household the proposed and recorded category and per member the proposed category;
``report`` turns the differing households into rows, an Excel export and audit records. The
row-by-row ``assessment.classifier.classify`` and this package must agree exactly;
``tests/test_bulk.py`` proves it on a synthetic county.
"""

from safetynet.policy.bulk.engine import (
    BulkInputs,
    BulkOutputs,
    ClassificationEngine,
    ClassificationSQL,
    DuckDBEngine,
    classification_sql,
)
from safetynet.policy.bulk.extract import extract
from safetynet.policy.bulk.report import (
    DifferenceRow,
    bulk_export_write,
    difference_rows,
    iter_difference_rows,
    result_export,
    result_viewed,
    result_workbook,
)
from safetynet.policy.bulk.services import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    BulkPermissionDenied,
    BulkResult,
    CrossTab,
    classification_region,
    classify_region,
    per_head,
    resolve_standards,
)
from safetynet.policy.bulk.tables import (
    SCHEMAS,
    BulkError,
    standards_table,
    table_from_rows,
    tables_from_facts,
)

__all__ = [
    "CATEGORY_LABELS",
    "CATEGORY_ORDER",
    "SCHEMAS",
    "BulkError",
    "BulkInputs",
    "BulkOutputs",
    "BulkPermissionDenied",
    "BulkResult",
    "ClassificationEngine",
    "ClassificationSQL",
    "CrossTab",
    "DifferenceRow",
    "DuckDBEngine",
    "bulk_export_write",
    "classification_region",
    "classification_sql",
    "classify_region",
    "difference_rows",
    "extract",
    "iter_difference_rows",
    "per_head",
    "resolve_standards",
    "result_export",
    "result_viewed",
    "result_workbook",
    "standards_table",
    "table_from_rows",
    "tables_from_facts",
]
