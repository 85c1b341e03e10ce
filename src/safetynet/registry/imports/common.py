"""What the import's parts share: the result types, a parsed row and household, a parsed file."""

from __future__ import annotations

from dataclasses import dataclass, field

from safetynet.registry import identity
from safetynet.registry.import_format import (
    COLUMN_BY_KEY,
)
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import Household


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # the spreadsheet row number the user sees; None for the file as a whole
    column: str
    value: str
    reason: str

    def __post_init__(self) -> None:
        # Reports, result pages and job results are kept and shown past the upload: a problem never
        # carries a whole ID number (the row number points the user at the cell).
        object.__setattr__(self, "value", identity.mask_ids_in_text(str(self.value)))
        object.__setattr__(self, "reason", identity.mask_ids_in_text(str(self.reason)))

    @property
    def row_label(self) -> str:
        return "" if self.row is None else str(self.row)


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    rows: int = 0
    households_in_file: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    created: list[Household] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)  # ids of households already registered
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    number: int
    raw: dict[str, str]  # column key -> the cell as the user sees it
    head_id: str | None
    id_number: str | None
    member: MemberInput
    region_code: str
    residence: str
    address: str
    phone: str


@dataclass
class _Group:
    head_id: str
    rows: list[_Row]
    head_row: _Row | None = None


@dataclass
class ParsedFile:
    """What the parser made of a file: rows grouped into households, and every problem found."""

    rows: int = 0
    groups: list[_Group] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header as in the file
    ignored_columns: list[str] = field(default_factory=list)

    def header(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        column = COLUMN_BY_KEY.get(key)
        return column.header if column else key
