from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from docket.web import accounts, documents, entry, views

admin.site.site_header = "Docket"
admin.site.site_title = "Docket"
admin.site.index_title = "Case record"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("persons/", views.persons, name="persons"),
    path("persons/<str:code>/", views.person, name="person"),
    path("chronology/", views.chronology, name="timeline"),
    path("sources/", views.sources, name="sources"),
    re_path(r"^(?P<what>places|organizations|groups|damages)/$", views.listing, name="listing"),
    path("search/", views.search_page, name="search"),
    path("documents/", documents.documents, name="documents"),
    path("records/<str:kind_name>/new/", entry.edit, name="record_new"),
    path("records/<str:kind_name>/<str:code>/edit/", entry.edit, name="record_edit"),
    path("records/<str:kind_name>/<str:code>/verify/", entry.verify, name="record_verify"),
    path(
        "records/<str:kind_name>/<str:code>/restore/<int:seq>/",
        entry.restore,
        name="record_restore",
    ),
    path("review/", entry.review_queue, name="review"),
    path("check/", views.check_page, name="check"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/setup/", accounts.setup, name="two_factor_setup"),
    path("account/two-factor/", accounts.verify, name="two_factor_verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("docket.api.urls")),
]
