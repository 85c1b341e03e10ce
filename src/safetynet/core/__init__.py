"""Small helpers every app shares, each written once: ``chunked`` (bounded ``IN (…)`` lists and
bulk batches), ``dates.parse_date`` (the ways people write a date), ``uploads.UploadField`` (a
spreadsheet upload's checks). Lowest layer of the README's map: imports no app."""
