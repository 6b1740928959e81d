from django.urls import path

from . import views

app_name = "dossiers"

# Fixed paths first: a dossier code never equals one of them, but the patterns would match it.
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("mine/", views.my_worklist, name="mine"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("feedback/", views.feedback_list, name="feedback"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("ledger.pdf", views.ledger_pdf, name="ledger_pdf"),
    path("receipts.pdf", views.receipts_pdf, name="receipts_pdf"),
    path("new/", views.intake_start, name="intake_start"),
    path("new/<str:code>/", views.intake, name="intake"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/slip.pdf", views.notice_pdf, name="notice_pdf"),
    path("<str:code>/", views.dossier_detail, name="detail"),
    path("<str:code>/files/<uuid:public_id>/", views.dossier_file, name="file"),
    path("<str:code>/receipt.pdf", views.dossier_receipt_pdf, name="receipt_pdf"),
    path("<str:code>/apology.pdf", views.dossier_apology_pdf, name="apology_pdf"),
    path("<str:code>/control-slip.pdf", views.dossier_control_slip_pdf, name="control_slip_pdf"),
    path("<str:code>/sign-result/", views.dossier_sign_result, name="sign_result"),
    path("<str:code>/<slug:action>/", views.dossier_act, name="act"),
]
