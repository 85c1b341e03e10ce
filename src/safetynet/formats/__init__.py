"""Locale formats that override Django's for this platform (``FORMAT_MODULE_PATH``).

Django's zh-Hans formats put ``%Y/%m/%d`` first, so every date widget rendered its value as
``2026/12/07``, which ``<input type="date">`` rejects (it shows an empty field and the form then
fails). ISO first here: widgets render ``2026-12-07``; the other spellings are still accepted.
"""
