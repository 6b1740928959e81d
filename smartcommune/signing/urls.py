from django.urls import path

from . import views

app_name = "signing"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("crl/<str:key>.crl", views.crl, name="crl"),
]
