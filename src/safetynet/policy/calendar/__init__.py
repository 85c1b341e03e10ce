"""The working-day calendar on which every legal deadline is counted: working days from the
`chinese-calendar` package and the administrator's holiday table (``workdays``), edits to that
table (``services``), its .xlsx template and import (``xlsx``), and its page at
/policy/calendar/."""
