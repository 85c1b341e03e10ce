"""gunicorn settings of the production start (`gunicorn -c deploy/gunicorn.conf.py`).

Threaded workers (``gthread``): cores + 1 processes (WEB_CONCURRENCY overrides) of
GUNICORN_THREADS (4) threads each, one database connection per thread. Unlike sync workers,
threaded ones keep a client's connection open between requests (``keepalive``): an officer's
next click, or the proxy's next request, does not open a new TCP connection and TLS session.
A request spends part of its time waiting for PostgreSQL on the same machine; another thread
of the process serves a request meanwhile. Measured with issue 15's load test on 2 cores
(ADR 0016): 3 processes × 4 threads answered 22–23 requests/s, 5 processes × 2 threads 19 —
more processes only added context switches and database connections on a CPU-bound box.
Exports, imports and scans never run in a request (they are jobs on `safetynet jobs work`), so
the timeout can stay short.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Seconds an idle client connection stays open: longer than an officer's pause between clicks
# on a page, so the next request reuses it.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "30"))
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
