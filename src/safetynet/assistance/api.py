"""The assistance API: one router under /api/assistance made of the features' routers."""

from ninja import Router

from safetynet.assistance.referrals.api import router as referrals_router

router = Router()
router.add_router("", referrals_router)
