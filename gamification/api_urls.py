"""JSON API routes of the gamification app (mounted under /api/v1/)."""

urlpatterns = []
