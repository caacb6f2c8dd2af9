from django.urls import path

from . import views

app_name = "coding"
urlpatterns = [
    path("", views.index, name="index"),
    path("studie/<id:study>/", views.fragment_list, name="fragments"),
    path("studie/<id:study>/bijwerken/", views.fragments_sync, name="sync"),
    path("studie/<id:study>/namen-nakijken/", views.fragments_check_names, name="check_names"),
    path("studie/<id:study>/codeboek/", views.codebook, name="codebook"),
    path("studie/<id:study>/categorie/", views.category_create, name="category_create"),
    path("studie/<id:study>/export/", views.export_list, name="exports"),
    path("studie/<id:study>/export/aanvragen/", views.export_request, name="export_request"),
    path("studie/<id:study>/import/", views.import_list, name="imports"),
    path("studie/<id:study>/overeenstemming/", views.agreement, name="agreement"),
    path("studie/<id:study>/matrix/", views.matrix, name="matrix"),
    path("studie/<id:study>/samenhang/", views.cooccurrence, name="cooccurrence"),
    path("studie/<id:study>/synthese/", views.synthesis, name="synthesis"),
    path("studie/<id:study>/overeenstemming/verschillen/", views.disagreements,
         name="disagreements"),
    path("import/<id:pk>/", views.import_detail, name="import"),
    path("import/<id:pk>/overnemen/", views.import_confirm, name="import_confirm"),
    path("import/<id:pk>/annuleren/", views.import_cancel, name="import_cancel"),
    path("fragment/<id:pk>/", views.fragment_detail, name="fragment"),
    path("fragment/<id:pk>/coderen/", views.coding_add, name="coding_add"),
    path("codering/<id:pk>/verwijderen/", views.coding_delete, name="coding_delete"),
    path("code/<id:pk>/", views.code_detail, name="code"),
    path("code/<id:pk>/hernoemen/", views.code_rename, name="code_rename"),
    path("code/<id:pk>/categorie/", views.code_category, name="code_category"),
    path("code/<id:pk>/samenvoegen/", views.code_merge, name="code_merge"),
    path("code/<id:pk>/verwijderen/", views.code_delete, name="code_delete"),
    path("code/<id:pk>/memo/", views.memo_add, name="memo_add"),
    path("categorie/<id:pk>/", views.category_edit, name="category"),
    path("categorie/<id:pk>/verwijderen/", views.category_delete, name="category_delete"),
    path("export/<id:pk>/", views.export_detail, name="export"),
    path("export/<id:pk>/status/", views.export_status, name="export_status"),
    path("export/<id:pk>/download/", views.export_download, name="export_download"),
]
