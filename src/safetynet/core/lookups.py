"""``AnyOf(F("field"), ids)``: ``field IN ids`` bound as ONE parameter.

``field__in=ids`` binds every id as its own parameter: for the export's chunks (a county is
100,000 households, several queries per chunk) Django's per-element preparation and psycopg's
client-side splitting of a query with thousands of placeholders cost more than the queries
themselves. Here PostgreSQL gets ``field = ANY(%s)`` with the ids as one array, SQLite
``field IN (SELECT value FROM json_each(%s))`` with them as one JSON text. Use as a filter
expression: ``Membership.objects.filter(AnyOf(F("household_id"), ids))``.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(ids)]
