"""Redoc's bundle (drf-spectacular-sidecar) as the app serves it: without the Redocly logo its
sidebar would fetch from cdn.redoc.ly, a load from another site that the CSP refuses and the app
promises not to make. An empty address makes the bundle's logo component show nothing."""

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
CDN_LOGO = '"https://cdn.redoc.ly/redoc/logo-mini.svg"'


@functools.cache
def _bundle():
    return Path(finders.find(BUNDLE)).read_text(encoding="utf-8").replace(CDN_LOGO, '""')


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def bundle(request):
    return HttpResponse(_bundle(), content_type="text/javascript; charset=utf-8")
