from django.urls import path

from borderlink.registers import pickers, views

app_name = "registers"

urlpatterns = [
    path("pick/units/", pickers.unit_choices, name="pick-unit"),
    path("import-formats/", views.import_formats, name="import-formats"),
    path("<slug:slug>/", views.list_view, name="list"),
    path("<slug:slug>/new/", views.edit_view, name="new"),
    path("<slug:slug>/import/", views.import_view, name="import"),
    path("<slug:slug>/pick/<str:field>/", pickers.form_choices, name="pick"),
    path("<slug:slug>/pick/<str:field>/filter/", pickers.filter_choices, name="pick-filter"),
    path("<slug:slug>/import/template.<str:fmt>", views.import_template, name="import-template"),
    path("<slug:slug>/import/<int:job>/", views.import_job_view, name="import-job"),
    path("<slug:slug>/<int:pk>/", views.detail_view, name="detail"),
    path("<slug:slug>/<int:pk>/edit/", views.edit_view, name="edit"),
    path("<slug:slug>/<int:pk>/delete/", views.delete_view, name="delete"),
]
