from django.contrib import admin

from community.models import ModerationAction, Photo, Product, Report, Review, Topic


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "community", "is_active", "created_at")
    list_filter = ("community", "is_active")
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Read-mostly: content changes go through the site so awards and the audit log follow."""

    list_display = ("title", "community", "kind", "author", "is_locked", "is_hidden", "created_at")
    list_filter = ("community", "kind", "is_locked", "is_hidden")
    search_fields = ("title",)
    readonly_fields = ("community", "author", "kind", "is_hidden", "created_at")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("title", "product", "author", "rating", "is_featured", "is_hidden")
    list_filter = ("community", "rating", "is_hidden")
    readonly_fields = ("community", "product", "author", "rating", "body_html", "is_hidden")


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("__str__", "community", "author", "is_featured", "is_hidden", "created_at")
    list_filter = ("community", "is_featured", "is_hidden")
    readonly_fields = ("community", "author", "image", "thumbnail", "width", "height", "is_hidden")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("target_type", "target_id", "community", "reporter", "status", "created_at")
    list_filter = ("community", "status", "target_type")


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log is append-only: viewable here, never edited."""

    list_display = ("created_at", "community", "moderator", "action", "target_type", "target_id")
    list_filter = ("community", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
