"""The cases API (/api/cases): the procedure's endpoints (``procedure.api``) with those after the
decision mounted under /reviews (``after.api``)."""

from safetynet.determination.after.api import router as reviews_router
from safetynet.determination.procedure.api import router

router.add_router("/reviews", reviews_router)

__all__ = ["router"]
