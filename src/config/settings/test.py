"""Test settings: the database comes from DATABASE_URL (SQLite file by default)."""

from __future__ import annotations

from config.settings.dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
JOBS_INLINE = True
JOBS_DAILY = []  # a test that wants the daily run sets it
MONITORING_SCAN_AFTER_BATCH = False  # a test that wants it sets it
