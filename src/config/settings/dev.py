"""Local development and `make demo`: embedded SQLite, debug on, fixed demo keys.

The keys below are public and only protect synthetic data; production refuses to start
without its own (see production.py).
"""

from __future__ import annotations

from config.env import env_bool, env_list, env_str
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-secret-key-for-synthetic-data-0123456789")
FIELD_ENCRYPTION_KEYS = env_list(
    "FIELD_ENCRYPTION_KEYS", ["ZGV2LW9ubHktZmllbGQta2V5LXN5bnRoZXRpYy1kYXQ="]
)
BLIND_INDEX_KEY = env_str("BLIND_INDEX_KEY", "dev-only-blind-index-key")
