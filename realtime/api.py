"""JSON API of the realtime app: what a reconnecting client missed."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from realtime import selectors
from realtime.serializers import CatchUpInputSerializer, CatchUpOutputSerializer


class UnreadNotificationsApi(APIView):
    """Unread notifications newer than ``after``, oldest first, a page at a time (``has_more``,
    ``next``): a client pages until ``has_more`` is false, however much it missed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_unread_after",
        summary="Unread notifications since an id (catch up after a reconnect)",
        parameters=[
            OpenApiParameter(
                "after", int, description="Last notification id seen; 0 for all unread."
            ),
            OpenApiParameter("limit", int, description="Page size, 1 to 100 (default 100)."),
        ],
        responses=CatchUpOutputSerializer,
        tags=["notifications"],
    )
    def get(self, request):
        params = CatchUpInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        after = params.validated_data["after"]
        results, has_more = selectors.unread_after(
            request.user, after_id=after, limit=params.validated_data["limit"]
        )
        output = CatchUpOutputSerializer(
            {
                "results": results,
                "unread_count": selectors.unread_count(request.user),
                "has_more": has_more,
                "next": results[-1].pk if results else after,
            },
            context={"toast_choice": selectors.toast_choices([request.user.pk])[request.user.pk]},
        )
        return Response(output.data)
