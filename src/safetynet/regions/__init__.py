"""Regions: the administrative tree of Henan (province → city → county → township → village).

Owns the 12-digit statistical codes, names and urban/rural class, loaded from the National
Bureau of Statistics 2023 division codes committed under ``data/regions/``.
"""
