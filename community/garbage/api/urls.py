from django.urls import path

from . import views

urlpatterns = [
    path("districts/", views.DistrictListView.as_view(), name="districts"),
    path("categories/", views.CategoryListView.as_view(), name="categories"),
    path("collections/", views.CollectionsView.as_view(), name="collections"),
    path("items/", views.ItemSearchView.as_view(), name="items"),
]
