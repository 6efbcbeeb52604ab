"""The search API: ``GET /api/v1/communities/<slug>/search/?q=`` (``community.search``)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from community import search
from community.api import ERRORS, readable_community, service_errors


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["topic", "review", "photo", "product"])
    topic_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    snippet = serializers.CharField(
        help_text="HTML: the text is escaped, the matched words are wrapped in <mark>."
    )
    url = serializers.CharField()


@extend_schema(
    tags=["search"],
    summary="Search a community's topics, replies, reviews, photo captions and products",
    parameters=[
        OpenApiParameter(
            "q", str, required=True, description=f"At most {search.MAX_QUERY_LENGTH} characters."
        )
    ],
    responses={200: SearchHitSerializer(many=True), **ERRORS},
)
class SearchApi(generics.ListAPIView):
    serializer_class = SearchHitSerializer

    def get_queryset(self):
        community = readable_community(self.request, self.kwargs["slug"])
        with service_errors("q"):
            return search.search(
                self.request.user, self.request.query_params.get("q", ""), community=community
            )
