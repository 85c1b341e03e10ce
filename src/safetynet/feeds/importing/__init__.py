"""Importing department batches (ADR 0008): the source catalogue's administration, reading and
validating a whole file column-wise, storing it as Parquet with the ID replaced by its blind
index, the import as a background job, the batch pages, the API, and the audited downloads of a
batch's error report and quarantine."""
