"""Input and output shapes of the community JSON API."""

from rest_framework import serializers

from community.models import Photo, Post, Product, Report, Review, TargetType, Topic


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


class CommunitySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    tagline = serializers.CharField()
    description = serializers.CharField()
    accent_color = serializers.CharField()
    is_public = serializers.BooleanField()
    member_count = serializers.IntegerField()


class MembershipSerializer(serializers.Serializer):
    community = serializers.SlugField(source="community.slug")
    role = serializers.CharField()
    joined_at = serializers.DateTimeField()


class TopicInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Topic.Kind.choices)
    title = serializers.CharField(max_length=160)
    body = serializers.CharField(max_length=Post._meta.get_field("body").max_length)


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    author = AuthorSerializer()
    is_locked = serializers.BooleanField()
    reply_count = serializers.IntegerField(required=False)
    accepted_post_id = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()

    def get_accepted_post_id(self, topic) -> int | None:
        acceptance = getattr(topic, "acceptance", None)
        return acceptance.post_id if acceptance else None


class PostInSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Post._meta.get_field("body").max_length)


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    topic_id = serializers.IntegerField()
    author = AuthorSerializer()
    is_opening = serializers.BooleanField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    helpful_count = serializers.IntegerField(default=0)
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class TopicDetailSerializer(TopicSerializer):
    posts = PostSerializer(many=True)


class HelpfulSerializer(serializers.Serializer):
    post_id = serializers.IntegerField()
    voted = serializers.BooleanField()
    helpful_count = serializers.IntegerField()


class AcceptanceSerializer(serializers.Serializer):
    topic_id = serializers.IntegerField()
    post_id = serializers.IntegerField()
    accepted_by = serializers.CharField(source="accepted_by.username")


class ProductSerializer(serializers.ModelSerializer):
    average_rating = serializers.FloatField(allow_null=True)
    review_count = serializers.IntegerField()

    class Meta:
        model = Product
        fields = ["id", "slug", "name", "summary", "description", "average_rating", "review_count"]


class ReviewInSerializer(serializers.Serializer):
    product = serializers.SlugField(help_text="The product's slug in this community.")
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=Review._meta.get_field("body").max_length)


class ReviewSerializer(serializers.ModelSerializer):
    product = serializers.SlugField(source="product.slug")
    author = AuthorSerializer()

    class Meta:
        model = Review
        fields = ["id", "product", "author", "rating", "title", "body", "body_html", "created_at"]


class PhotoInSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG, WebP or HEIC; at most 10 MB, 40 MP.")
    caption = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    product = serializers.SlugField(required=False, help_text="Optional product slug.")
    topic = serializers.IntegerField(required=False, help_text="Optional topic id.")


class PhotoSerializer(serializers.ModelSerializer):
    author = AuthorSerializer()
    image = serializers.ImageField()
    thumbnail = serializers.ImageField()
    product = serializers.SlugField(source="product.slug", allow_null=True, default=None)

    class Meta:
        model = Photo
        fields = [
            "id", "image", "thumbnail", "width", "height", "caption", "author", "product",
            "topic_id", "is_featured", "created_at",
        ]  # fmt: skip


class ReportInSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=TargetType.choices)
    target_id = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "target_type", "target_id", "reason", "status", "created_at"]


class ReasonInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ModeratedSerializer(serializers.Serializer):
    target_type = serializers.CharField()
    target_id = serializers.IntegerField(source="pk")
    is_hidden = serializers.BooleanField()


class QueueReportSerializer(serializers.Serializer):
    reporter = serializers.CharField(source="reporter.username")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class QueueItemSerializer(serializers.Serializer):
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    excerpt = serializers.SerializerMethodField()
    is_hidden = serializers.SerializerMethodField()
    reports = QueueReportSerializer(many=True)

    def get_author(self, item) -> str | None:
        return item["target"].author.username if item["target"] else None

    def get_excerpt(self, item) -> str:
        target = item["target"]
        if target is None:
            return ""
        text = getattr(target, "body", "") or getattr(target, "caption", "")
        return text[:280]

    def get_is_hidden(self, item) -> bool | None:
        return item["target"].is_hidden if item["target"] else None


class AuditEntrySerializer(serializers.Serializer):
    moderator = serializers.CharField(source="moderator.username")
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ModerationQueueSerializer(serializers.Serializer):
    items = QueueItemSerializer(many=True)
    log = AuditEntrySerializer(many=True)
