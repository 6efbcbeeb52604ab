"""JSON API of the engine: thin views, one per action, reading selectors and calling services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from community.services import recognition
from gamification.selectors import ledger, rules
from gamification.selectors.leaderboard import leaderboard
from gamification.selectors.progress import member_progress
from gamification.serializers import (
    KudosInputSerializer,
    KudosOutputSerializer,
    LeaderboardQuerySerializer,
    LeaderboardSerializer,
    LedgerEntrySerializer,
    LedgerQuerySerializer,
    MemberProgressSerializer,
    ProgressSerializer,
)
from tenancy import access
from tenancy import access as tenancy_access
from tenancy.models import Membership

UNKNOWN_BADGE = "No manual badge with that slug in this community."


def _community(request, slug):
    community = tenancy_access.readable_community(request.user, slug)
    if community is None:
        raise Http404("No such community.")
    return community


class LeaderboardApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[LeaderboardQuerySerializer],
        responses=LeaderboardSerializer,
        summary="A community's leaderboard for a period, with the caller's own rank",
    )
    def get(self, request, slug):
        community = _community(request, slug)
        query = LeaderboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        board = leaderboard(
            community,
            period=query.validated_data["period"],
            viewer=request.user,
            limit=query.validated_data["limit"],
        )
        return Response(LeaderboardSerializer(board).data)


class MemberProgressApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=MemberProgressSerializer,
        summary=(
            "A member's card, and (as their privacy choice allows) points, level, badges and "
            "streak; balance and pending points for the member and the community's staff only"
        ),
    )
    def get(self, request, slug, username):
        community = _community(request, slug)
        membership = get_object_or_404(
            Membership.objects.select_related("user"),
            community=community,
            user__username__iexact=username,
        )
        member = membership.user
        card = {
            "username": member.username,
            "name": member.display_name,
            "role": membership.role,
            "bio": member.bio,
        }
        if not access.sees_activity(request.user, member, community):
            return Response(card)
        data = {**card, **ProgressSerializer(member_progress(member, community)).data}
        if not access.sees_balance(request.user, member, community):
            for private in ProgressSerializer.PRIVATE_FIELDS:
                data.pop(private, None)
        return Response(data)


class MyLedgerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("community", str, required=True, description="Community slug"),
            OpenApiParameter("page", int, required=False),
        ],
        responses=LedgerEntrySerializer(many=True),
        summary="My points history in a community, newest first, with the reason of each row",
    )
    def get(self, request):
        query = LedgerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        community = _community(request, query.validated_data["community"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            ledger.ledger_for(request.user, community), request, view=self
        )
        for entry in page:
            entry.reason = ledger.ledger_label(entry)
        return paginator.get_paginated_response(LedgerEntrySerializer(page, many=True).data)


class KudosApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=KudosInputSerializer,
        responses={201: KudosOutputSerializer},
        summary="Give kudos (moderators and brand managers only)",
    )
    def post(self, request, slug):
        community = _community(request, slug)
        if not tenancy_access.is_staff(request.user, community):
            raise exceptions.PermissionDenied(access.STAFF_ONLY)
        data = KudosInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = None
        if data.validated_data.get("badge"):
            badge = rules.manual_badges(community).filter(slug=data.validated_data["badge"])
            badge = badge.first()
            if badge is None:
                raise exceptions.ValidationError({"badge": [UNKNOWN_BADGE]})
        kudos = recognition.give_kudos(
            giver=request.user,
            community=community,
            recipient_username=data.validated_data["username"],
            message=data.validated_data["message"],
            points=data.validated_data.get("points"),
            badge=badge,
        )
        return Response(KudosOutputSerializer(kudos).data, status=status.HTTP_201_CREATED)
