from django.urls import path

from safetynet.policy.assessment.views import household_assessment_view

urlpatterns = [
    path("<int:household_id>/", household_assessment_view, name="assessment"),
]
