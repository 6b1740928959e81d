from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("read-all/", views.message_read_all, name="read_all"),
    path("<uuid:public_id>/read/", views.message_read, name="read"),
]
