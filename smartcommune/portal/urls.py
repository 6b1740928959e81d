from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("procedures/", views.procedure_list, name="procedures"),
    path("procedures/<str:code>/", views.procedure_detail, name="procedure"),
    path("procedures/<str:code>/forms/<int:pk>/", views.blank_form, name="blank_form"),
    path("procedures/<str:code>/start/", views.draft_start, name="draft_start"),
    path("procedures/<str:code>/for-someone/", views.draft_start_for, name="draft_start_for"),
    path("lookup/", views.lookup, name="lookup"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/oidc/", views.oidc_start, name="oidc_start"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/<uuid:public_id>/", views.sign_up_confirm, name="sign_up_confirm"),
    path("sign-in/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("drafts/<uuid:public_id>/", views.draft_edit, name="draft"),
    path("my/", views.my_dossiers, name="my_dossiers"),
    path("my/<str:code>/", views.my_dossier, name="my_dossier"),
    path("my/<str:code>/receipt.pdf", views.my_receipt, name="my_receipt"),
    path("my/<str:code>/files/<uuid:public_id>/", views.my_dossier_file, name="my_file"),
    path("my/<str:code>/rate/", views.my_dossier_rate, name="rate"),
    path("my/<str:code>/feedback/", views.my_dossier_feedback, name="feedback"),
    path("my/<str:code>/<slug:action>/", views.my_dossier_act, name="act"),
]
