from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<uuid:public_id>/", views.verify, name="verify"),
    path("<uuid:public_id>/file", views.document_file, name="file"),
]
