"""Jobs: background work (department imports, scans, report builds) as rows with a status,
progress and a result that the UI and the API poll. A job names a registered task and its JSON
arguments, so the same code runs it in a thread of the web process (the embedded default), on a
worker (`safetynet jobs work`) in production, or inline in tests.
"""
