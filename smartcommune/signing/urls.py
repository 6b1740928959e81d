from django.urls import path

from . import views

app_name = "signing"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("crl/<str:key>.crl", views.crl, name="crl"),
]
