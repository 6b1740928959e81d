from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("export.xlsx", views.catalog_export, name="export"),
    path("import/", views.catalog_import, name="import"),
    path("<str:code>/", views.procedure_detail, name="detail"),
    path("<str:code>/forms/<int:pk>/", views.blank_form, name="blank_form"),
]
