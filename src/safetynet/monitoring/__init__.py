"""Dynamic monitoring and early warning (policy 三(一)–(三), 二(二)): who is watched and in which
group, the indicators civil affairs edits, the province-wide set-based scan of department batches
against the registry, alerts with their evidence, home checks, visits and their outcomes.

Features: ``indicators`` (versioned by region like the standards), ``watched`` (the watched
population), ``scan`` (DuckDB engine and its per-person reference), ``alerts`` (lists, export,
figures), ``checks`` (home checks, random surveys, contracted visits, outcomes). Shared pieces in
``common``. The app sits above registry, policy and feeds; of determination it calls only the
public services (an application, a termination).
"""
