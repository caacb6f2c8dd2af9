from django.urls import path

from . import views

app_name = "coding"
urlpatterns = [
    path("", views.index, name="index"),
    path("studie/<int:study>/", views.fragment_list, name="fragments"),
    path("studie/<int:study>/bijwerken/", views.fragments_sync, name="sync"),
    path("studie/<int:study>/namen-nakijken/", views.fragments_check_names, name="check_names"),
    path("studie/<int:study>/codeboek/", views.codebook, name="codebook"),
    path("studie/<int:study>/categorie/", views.category_create, name="category_create"),
    path("studie/<int:study>/export/", views.export_list, name="exports"),
    path("studie/<int:study>/export/aanvragen/", views.export_request, name="export_request"),
    path("studie/<int:study>/import/", views.import_list, name="imports"),
    path("studie/<int:study>/overeenstemming/", views.agreement, name="agreement"),
    path("studie/<int:study>/matrix/", views.matrix, name="matrix"),
    path("studie/<int:study>/samenhang/", views.cooccurrence, name="cooccurrence"),
    path("studie/<int:study>/synthese/", views.synthesis, name="synthesis"),
    path("studie/<int:study>/overeenstemming/verschillen/", views.disagreements,
         name="disagreements"),
    path("import/<int:pk>/", views.import_detail, name="import"),
    path("import/<int:pk>/overnemen/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/annuleren/", views.import_cancel, name="import_cancel"),
    path("fragment/<int:pk>/", views.fragment_detail, name="fragment"),
    path("fragment/<int:pk>/coderen/", views.coding_add, name="coding_add"),
    path("codering/<int:pk>/verwijderen/", views.coding_delete, name="coding_delete"),
    path("code/<int:pk>/", views.code_detail, name="code"),
    path("code/<int:pk>/hernoemen/", views.code_rename, name="code_rename"),
    path("code/<int:pk>/categorie/", views.code_category, name="code_category"),
    path("code/<int:pk>/samenvoegen/", views.code_merge, name="code_merge"),
    path("code/<int:pk>/verwijderen/", views.code_delete, name="code_delete"),
    path("code/<int:pk>/memo/", views.memo_add, name="memo_add"),
    path("categorie/<int:pk>/", views.category_edit, name="category"),
    path("categorie/<int:pk>/verwijderen/", views.category_delete, name="category_delete"),
    path("export/<int:pk>/", views.export_detail, name="export"),
    path("export/<int:pk>/status/", views.export_status, name="export_status"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
]
