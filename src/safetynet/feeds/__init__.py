"""Feeds: the catalogue of department data sources and their columns, imported batches (stored
as Parquet with ID numbers replaced by their keyed hash), quarantined rows, and the household
economic-status verification report (核对报告) assembled from the latest batches.
"""
