from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_redirect, name="calendar"),
    path("<int:year>/", views.calendar_year, name="year"),
    path("<int:year>/overrides/<int:pk>/remove/", views.override_remove, name="override_remove"),
]
