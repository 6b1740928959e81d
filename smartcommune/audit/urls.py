from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("export.xlsx", views.entry_export, name="export"),
    path("access/", views.access_list, name="access_list"),
]
