from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
# Import every URLconf and view module now rather than in a worker's first request: on a busy
# machine that import took longer than gunicorn's timeout, which killed the worker in the middle
# of its first requests (500s at the start of the load test, issue 15). With `preload_app` the
# master does it once and every worker, also one recycled by `max_requests`, starts warm.
get_resolver().url_patterns  # noqa: B018
