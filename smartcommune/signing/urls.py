from django.urls import path

from . import views

app_name = "signing"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("crl/<str:key>.crl", views.crl, name="crl"),
]
