"""JSON API of the realtime app: what a reconnecting client missed."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from realtime import selectors
from realtime.serializers import CatchUpInputSerializer, CatchUpOutputSerializer


class UnreadNotificationsApi(APIView):
    """Unread notifications newer than ``after`` (oldest first, 100 at most)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_unread_after",
        summary="Unread notifications since an id (catch up after a reconnect)",
        parameters=[
            OpenApiParameter(
                "after", int, description="Last notification id seen; 0 for all unread."
            )
        ],
        responses=CatchUpOutputSerializer,
        tags=["notifications"],
    )
    def get(self, request):
        params = CatchUpInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = selectors.unread_after(request.user, after_id=params.validated_data["after"])
        output = CatchUpOutputSerializer(
            {"results": results, "unread_count": selectors.unread_count(request.user)},
            context={"toast_choice": selectors.toast_choices([request.user.pk])[request.user.pk]},
        )
        return Response(output.data)
