"""The exchange with the national civil-affairs system (金民工程, 三(一) of 豫政办〔2022〕103号):
a documented, versioned export of the low-income database (households, persons, categories,
changes since the last exchange) as CSV files with a manifest of counts and SHA-256 sums, an
import of the national system's lists in the same format that reports the differences and never
overwrites, and a record of each exchange. The export is the one place ID numbers leave the
platform decrypted (ADR 0015): the ``exchange_jinmin`` capability, audited. Reads registry.
"""
