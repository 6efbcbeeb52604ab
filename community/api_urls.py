"""JSON API routes of the community app (mounted under /api/v1/)."""

urlpatterns = []
