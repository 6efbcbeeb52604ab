"""JSON API for the social loop: a topic's watch level and ``@`` suggestions for the editor."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from community import selectors
from community.api import ERRORS, readable_community, readable_topic, service_errors, validated
from community.models import TopicWatch
from community.services import social
from core.errors import Invalid
from tenancy.access import require_member

PREFIX_MAX = 30


class WatchSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=TopicWatch.Level.choices,
        help_text="watching: every reply notifies you; normal: only mentions; muted: nothing.",
    )


class MemberSuggestionSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class MemberSuggestionsSerializer(serializers.Serializer):
    results = MemberSuggestionSerializer(many=True)


class TopicWatchApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["topics"], summary="Your watch level for a topic", responses={200: WatchSerializer}
    )
    def get(self, request, pk):
        topic = readable_topic(request, pk)
        return Response({"level": social.watch_level(request.user, topic)})

    @extend_schema(
        tags=["topics"],
        summary="Watch, stop watching or mute a topic",
        request=WatchSerializer,
        responses={200: WatchSerializer, **ERRORS},
    )
    def post(self, request, pk):
        topic = readable_topic(request, pk)
        data = validated(WatchSerializer, request)
        with service_errors("level"):
            watch = social.set_watch_level(user=request.user, topic=topic, level=data["level"])
        return Response({"level": watch.level})


class MemberSuggestionsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["communities"],
        summary="Members whose username starts with q (the editor's @ suggestions; members only)",
        operation_id="communities_members_suggest",
        parameters=[OpenApiParameter("q", str, description="The typed prefix, without the @.")],
        responses={200: MemberSuggestionsSerializer, **ERRORS},
    )
    def get(self, request, slug):
        community = readable_community(request, slug)
        with service_errors():
            require_member(request.user, community)
        prefix = request.query_params.get("q", "").strip().lstrip("@")
        if len(prefix) > PREFIX_MAX:
            raise Invalid(f"Type at most {PREFIX_MAX} characters.", field="q")
        results = selectors.members_starting_with(community, prefix) if prefix else []
        return Response({"results": results})
