"""Direct inclusion of existing registers (二, 不再重复排查认定): one household or a batch
(``services``), a whole register file validated and included at once, by the page, the
console command or a job (``registers``), at /determination/inclusion/."""

from safetynet.determination.inclusion.registers import (
    CAPABILITIES,
    EXTRA_COLUMNS,
    INCLUSION_JOB_KIND,
    UPLOAD_KEPT,
    UPLOADS_DIR,
    InclusionResult,
    RegisterKind,
    RowProblem,
    inclusion_job_result,
    registers_include,
    registers_include_submit,
    registers_include_task,
    require_inclusion,
    upload_save,
)

# A queued job names its task by the dotted path ``safetynet.determination.inclusion.
# registers_include_task`` as well as by its module's: both resolve.
__all__ = [
    "CAPABILITIES",
    "EXTRA_COLUMNS",
    "INCLUSION_JOB_KIND",
    "UPLOADS_DIR",
    "UPLOAD_KEPT",
    "InclusionResult",
    "RegisterKind",
    "RowProblem",
    "inclusion_job_result",
    "registers_include",
    "registers_include_submit",
    "registers_include_task",
    "require_inclusion",
    "upload_save",
]
