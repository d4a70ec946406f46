from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from docket.api.views import PATHS, StatusView, viewset_for

router = SimpleRouter()
for _path, _kind in PATHS.items():
    router.register(_path, viewset_for(_path, _kind), basename=f"api-{_kind.name}")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("status/", StatusView.as_view(), name="api-status"),
    *router.urls,
]
