"""Web routes of the gamification app (mounted under /c/, next to the community pages)."""

app_name = "gamification"

urlpatterns = []
