"""gunicorn settings of the production start (`gunicorn -c deploy/gunicorn.conf.py`).

Sync workers, one database connection each: 2 × cores + 1 by default (WEB_CONCURRENCY
overrides). Exports, imports and scans never run in a request (they are jobs on
`safetynet jobs work`), so the timeout can stay short.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the application (settings, models, every URLconf and view: config/wsgi.py) in the master
# before forking: workers start warm and share that memory.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle a worker now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The access log carries no query strings: a name searched for stays out of it.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
