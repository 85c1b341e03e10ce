"""Settings shared by every environment. Secrets and hosts come from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
VAR_DIR = BASE_DIR / "var"
DATA_DIR = BASE_DIR / "data"

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "safetynet.regions",
    "safetynet.accounts",
    "safetynet.audit",
    "safetynet.jobs",
    "safetynet.registry",
    "safetynet.policy",
    "safetynet.feeds",
    "safetynet.determination",
    "safetynet.changes",
    "safetynet.monitoring",
    "safetynet.oversight",
    "safetynet.jinmin",
    "safetynet.assistance",
    "safetynet.web",
    "safetynet.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safetynet.web.middleware.MaintenanceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safetynet.web.middleware.SessionTouchMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safetynet.accounts.staff.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safetynet.jobs.middleware.DailyJobsMiddleware",
    "safetynet.web.middleware.SecurityHeadersMiddleware",
    "safetynet.accounts.second_factor.SecondFactorMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# The API explorer loads Swagger UI from its CDN with an inline script: no CSP there.
CSP_EXEMPT_PATHS = ["/api/docs"]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "safetynet.web.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "safetynet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safetynet.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safetynet.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while an import writes; the busy timeout avoids spurious
    # "database is locked" errors when the dev server and a console command overlap.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "safetynet.accounts.validators.CharacterClassValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes and with the browser: these are shared office machines.
# The session row is not rewritten on every request: SessionTouchMiddleware saves it at most once
# per SESSION_TOUCH_SECONDS of activity, so a session ends between 25 and 30 idle minutes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag instead

# Login throttling: five failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Password spray: failures for this many different usernames from one address within the
# cool-off time stop logins from that address (safetynet.accounts.login). 示例 figure.
AXES_SPRAY_USERNAMES = env_int("AXES_SPRAY_USERNAMES", 10)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SRC_DIR / "safetynet" / "locale"]
# ISO dates first, so that <input type="date"> gets values it accepts (safetynet/formats).
FORMAT_MODULE_PATH = ["safetynet.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles"))
# Development and tests: Django's plain storages. Production (production.py) serves the collected
# files through WhiteNoise with hashed, pre-compressed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MEDIA_ROOT = env_str("MEDIA_ROOT", str(VAR_DIR / "media"))
# Department batches as Parquet (ID numbers replaced by their blind index) and quarantined rows.
FEEDS_DIR = env_str("FEEDS_DIR", str(VAR_DIR / "feeds"))

# Personal-data keys. FIELD_ENCRYPTION_KEYS is a comma-separated list of Fernet keys, newest first
# (older keys still decrypt during rotation). BLIND_INDEX_KEY keys the HMAC used to look up and
# join ID numbers; changing it requires re-indexing every person.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
BLIND_INDEX_KEY = env_str("BLIND_INDEX_KEY", "")
# Index keys replaced by `safetynet keys rotate`, kept for lookups of data still hashed under them
# (department batch rows of people outside the registry, audit records); ADR 0017.
BLIND_INDEX_PREVIOUS_KEYS = env_list("BLIND_INDEX_PREVIOUS_KEYS", [])
# "standard" (Fernet, HMAC-SHA256) or "national" (SM4-GCM, HMAC-SM3, 商用密码): the algorithms new
# ciphertexts and hashes are made with; switching is a key rotation (ADR 0017).
ID_ALGORITHMS = env_str("ID_ALGORITHMS", "standard")
# While this file exists (key rotation, restore) every page and API call answers 503 and the
# job worker waits.
MAINTENANCE_FILE = env_str("MAINTENANCE_FILE", str(VAR_DIR / "maintenance"))

# Second factor (TOTP) for accounts with the second_factor capability (administrators, county
# officers), enrolled on their first sign-in; off here (demo, tests), on in production. Password
# age in days before a forced change (0: never; production 90 示例). ADR 0017.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", False)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)

# The scope root: the province this deployment serves.
PROVINCE_CODE = env_str("PROVINCE_CODE", "410000000000")

# Where publicity lists (公示名单) tell people to object; empty: the township office's social
# assistance window, and no phone line printed.
DETERMINATION_OBJECTION_ADDRESS = env_str("DETERMINATION_OBJECTION_ADDRESS", "")
DETERMINATION_OBJECTION_PHONE = env_str("DETERMINATION_OBJECTION_PHONE", "")

# Working days the township has to check a reported change of a family's situation (示例:
# the provincial text asks for a timely check without a figure; set the local rule here).
CHANGES_CHECK_WORKING_DAYS = env_int("CHANGES_CHECK_WORKING_DAYS", 10)

# Submissions of each public page (self-declaration, tip-off, follow-up) one address may make
# in an hour (示例 figure; safetynet.oversight).
OVERSIGHT_PUBLIC_LIMIT_PER_HOUR = env_int("OVERSIGHT_PUBLIC_LIMIT_PER_HOUR", 5)
# Days a confirmed dibao or destitute household stays on the public notice board after its
# decision (示例: the national rules ask for the name, members and amount to be posted without a
# period we could cite; set the local rule here).
OVERSIGHT_PUBLIC_CONFIRMED_DAYS = env_int("OVERSIGHT_PUBLIC_CONFIRMED_DAYS", 365)
# Where the national exchange (金民工程) files are written and kept (safetynet.jinmin).
JINMIN_DIR = env_str("JINMIN_DIR", str(VAR_DIR / "jinmin"))

# Behind a reverse proxy, the client address comes from this header (set it only when the
# proxy overwrites it); otherwise REMOTE_ADDR is used for audit records.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "")

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Decompression limits of uploaded ZIP containers (safetynet.zipcheck): an .xlsx (department
# batches, household import, registers) and a case archive being verified. A 100,000-row sheet
# inflates to some 30 MB.
UPLOAD_XLSX_MAX_MEMBER_MB = env_int("UPLOAD_XLSX_MAX_MEMBER_MB", 256)
UPLOAD_XLSX_MAX_TOTAL_MB = env_int("UPLOAD_XLSX_MAX_TOTAL_MB", 512)
ARCHIVE_MAX_MEMBER_MB = env_int("ARCHIVE_MAX_MEMBER_MB", 100)
ARCHIVE_MAX_TOTAL_MB = env_int("ARCHIVE_MAX_TOTAL_MB", 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50

# What `safetynet seed --county` adds after the households: work to practise on (issue 11).
SEED_DEMO_WORK = "safetynet.web.demo.demo_work_seed"
# What `safetynet seed --province` adds after the register: cases in every step and the annual
# reviews, set-based (issue 15).
SEED_PROVINCE_WORK = "safetynet.web.province_work.province_work_seed"

# Audited reads are buffered and chained in batches instead of each locking the chain head
# (ADR 0016); False chains every record at once.
AUDIT_BUFFER_READS = env_bool("AUDIT_BUFFER_READS", True)

# Background jobs (safetynet.jobs): inline runs them at once in the request (tests); otherwise
# they run in a thread of the web process, unless JOBS_WORKER leaves them to `safetynet jobs work`.
JOBS_INLINE = False
JOBS_WORKER = env_bool("JOBS_WORKER", False)
# Files a job made for its creator to download (exports); removed by the daily purge after
# JOBS_FILES_KEPT_HOURS.
JOBS_FILES_DIR = env_str("JOBS_FILES_DIR", str(VAR_DIR / "job-files"))
JOBS_FILES_KEPT_HOURS = env_int("JOBS_FILES_KEPT_HOURS", 24)
# Tasks queued once a local day (a job row of that task created today is the record): by the
# worker, or without one by the first request of the day (safetynet.jobs.middleware).
JOBS_DAILY = [
    "safetynet.registry.tasks.statuses_apply_due_task",
    "safetynet.retention.uploads_purge_task",
    "safetynet.monitoring.scan.tasks.daily_task",
    # After the statuses due are applied: the monthly roll-ups of the dashboards (ADR 0014).
    "safetynet.reports.tasks.refresh_task",
]
# Dynamic monitoring (ADR 0012): scan the indicators reading a source after each stored batch,
# and the whole province once a month (from the daily task).
MONITORING_SCAN_AFTER_BATCH = env_bool("MONITORING_SCAN_AFTER_BATCH", True)
MONITORING_MONTHLY_SCAN = env_bool("MONITORING_MONTHLY_SCAN", True)
# 二(二): periodic checks (定期核查) of near-dibao and expenditure-hardship households every this
# many months from their determination (示例 value: set by the province).
MONITORING_PERIODIC_CHECK_MONTHS = 6
# Assistance (ADR 0013): working days a department has to acknowledge a referral and to answer
# it. 示例 figures: the provincial text sets none; each county may set its own.
ASSISTANCE_ACKNOWLEDGE_WORKING_DAYS = env_int("ASSISTANCE_ACKNOWLEDGE_WORKING_DAYS", 3)
ASSISTANCE_ANSWER_WORKING_DAYS = env_int("ASSISTANCE_ANSWER_WORKING_DAYS", 20)
# 四(三) 急难 先行救助: the per-case amount a township may grant at once, by residence (yuan), and
# the working days to complete the paperwork after. 示例 figures: local standards set them.
ASSISTANCE_TOWNSHIP_EMERGENCY_LIMIT = {"urban": "3000.00", "rural": "2000.00"}
ASSISTANCE_EMERGENCY_PAPERWORK_WORKING_DAYS = env_int(
    "ASSISTANCE_EMERGENCY_PAPERWORK_WORKING_DAYS", 5
)
AXES_VERBOSE = False
