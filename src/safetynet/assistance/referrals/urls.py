from django.urls import path

from safetynet.assistance.coordination import views as coordination
from safetynet.assistance.emergency import views as emergency
from safetynet.assistance.payments import views as payments
from safetynet.assistance.referrals import views

urlpatterns = [
    path("", views.referral_list, name="index"),
    path("referrals/send/", views.referrals_send, name="send"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("households/<int:household_pk>/", views.household_assistance, name="household"),
    path("report/", views.record_report, name="report"),
    path("import/", views.feedback_import, name="import"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("payments/", payments.payment_roll, name="payments"),
    path("payments/issue/", payments.payment_roll_issue, name="payments_issue"),
    path("delivery/", views.delivery, name="delivery"),
    path("coordination/", coordination.case_list, name="coordination_list"),
    path("coordination/<int:pk>/", coordination.case_detail, name="coordination"),
    path("coordination/new/<int:household_pk>/", coordination.case_new, name="coordination_new"),
    path("emergency/", emergency.grant_list, name="emergency_list"),
    path("emergency/<int:pk>/", emergency.grant_detail, name="emergency"),
    path("emergency/new/<int:household_pk>/", emergency.grant_new, name="emergency_new"),
]
