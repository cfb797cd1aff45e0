from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from accounts.models import RegionLevel
from accounts.region_search import search_regions


@login_required
@require_GET
def region_search_view(request):
    """JSON for the region picker (static/js/region-picker.js): the regions the user may pick."""
    try:
        min_level = int(request.GET.get("level", RegionLevel.COUNTY))
    except ValueError:
        min_level = RegionLevel.COUNTY
    min_level = min(max(min_level, RegionLevel.PROVINCE), RegionLevel.VILLAGE)
    results = search_regions(request.user, request.GET.get("q", ""), min_level=min_level)
    return JsonResponse({"results": results})
