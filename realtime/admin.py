from django.contrib import admin

from realtime.models import CommunityMute, ToastPreference


@admin.register(ToastPreference)
class ToastPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "points", "badges", "levels", "streaks", "kudos", "challenges"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(CommunityMute)
class CommunityMuteAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "created_at"]
    list_filter = ["community"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
