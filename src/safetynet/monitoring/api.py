"""The monitoring API: one router under /api/monitoring made of the features' routers."""

from ninja import Router

from safetynet.monitoring.alerts.api import router as alerts_router
from safetynet.monitoring.checks.api import router as checks_router
from safetynet.monitoring.watched.api import router as watched_router

router = Router()
router.add_router("", alerts_router)
router.add_router("", checks_router)
router.add_router("", watched_router)
