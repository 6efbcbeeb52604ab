from rest_framework import serializers

from realtime import selectors


class CatchUpInputSerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0,
        max_value=2**63 - 1,
        default=0,
        help_text="The last notification id the client saw; only newer ones are returned.",
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=selectors.CATCH_UP_PAGE,
        default=selectors.CATCH_UP_PAGE,
        help_text="Page size.",
    )


class NotificationSerializer(serializers.Serializer):
    """A stored recognition, in the same shape the socket pushed it."""

    id = serializers.IntegerField()
    type = serializers.CharField(help_text="Event type, e.g. badge.earned.")
    title = serializers.CharField()
    body = serializers.CharField(allow_blank=True)
    community_id = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(allow_blank=True)
    unread = serializers.BooleanField()
    timestamp = serializers.DateTimeField()
    toast = serializers.BooleanField(help_text="Whether the member's settings pop a toast for it.")

    def to_representation(self, instance):
        data = instance.data if isinstance(instance.data, dict) else {}
        preference, muted = self.context["toast_choice"]
        return {
            "id": instance.pk,
            "type": data.get("type", "notification"),
            "title": data.get("title") or instance.verb,
            "body": data.get("body") or instance.description or "",
            "community_id": data.get("community_id"),
            "url": data.get("url", ""),
            "unread": instance.unread,
            "timestamp": serializers.DateTimeField().to_representation(instance.timestamp),
            "toast": selectors.wants_toast(
                {"type": data.get("type"), "community_id": data.get("community_id")},
                preference,
                muted,
            ),
        }


class CatchUpOutputSerializer(serializers.Serializer):
    results = NotificationSerializer(many=True)
    unread_count = serializers.IntegerField()
    has_more = serializers.BooleanField(help_text="More follow: ask again with after=next.")
    next = serializers.IntegerField(
        help_text="The cursor for the next page: the last id of this page (or the given after)."
    )
