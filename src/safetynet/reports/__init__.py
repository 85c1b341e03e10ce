"""Statistics, dashboards, maps and exports (design.md: ``reports``; policy 三(一), 五(四)).

The app owns the monthly roll-ups (``rollups``: counts of households and persons by region,
month, category and residence with inflows and outflows, refreshed set-based from the registry's
dated category history, ADR 0014), the registry of dashboard figures (``figures``: each figure
one row, with its drill-down to the households or records behind it), the dashboard and map
pages per level, the monthly statistical report in the civil-affairs layout (``monthly``) and
the performance assessment of counties and townships (``assessment``). It reads every app below
it in the README's order and nothing imports it.
"""
