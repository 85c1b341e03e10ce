"""Audit: the append-only, hash-chained record of who read, revealed, changed or exported
which personal data, when and from where. Nothing in the platform updates or deletes a record;
the database refuses it too (triggers), and ``safetynet audit verify`` detects tampering.
"""
