"""A minimal page for load balancers and for the benchmark's floor."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def session_status(request: HttpRequest) -> JsonResponse:
    """Whether the browser's session is still logged in (the autosave script asks)."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False}, status=401)
    return JsonResponse({"authenticated": True})
