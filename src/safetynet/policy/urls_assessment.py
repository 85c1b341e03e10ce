from django.urls import path

from safetynet.policy.views.assessment import household_assessment_view

urlpatterns = [
    path("<int:household_id>/", household_assessment_view, name="assessment"),
]
