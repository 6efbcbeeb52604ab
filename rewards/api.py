"""JSON API of the rewards app: the catalog and redeeming (idempotent by header)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from rewards import selectors, services
from rewards.models import Reward
from rewards.serializers import RedeemInputSerializer, RedemptionSerializer, RewardSerializer
from tenancy import access

ERROR = OpenApiResponse(description='{"message": "...", "errors": {}}')
IDEMPOTENCY_HEADER = "Idempotency-Key"


@extend_schema(tags=["rewards"], summary="A community's rewards catalog")
class RewardListApi(generics.ListAPIView):
    serializer_class = RewardSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        community = access.readable_community(self.request.user, self.kwargs["slug"])
        if community is None:
            raise Http404("No such community.")
        return selectors.catalog(community)


class RedeemApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["rewards"],
        summary="Redeem a reward; the same Idempotency-Key redeems once",
        parameters=[
            OpenApiParameter(IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=True)
        ],
        request=RedeemInputSerializer,
        responses={
            201: RedemptionSerializer,
            200: RedemptionSerializer,
            400: ERROR,
            404: ERROR,
            409: ERROR,
        },
    )
    def post(self, request, pk):
        reward = get_object_or_404(Reward.objects.select_related("community"), pk=pk)
        if access.readable_community(request.user, reward.community.slug) is None:
            raise Http404("No such reward.")
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        if not key.strip() or len(key.strip()) > 100:
            raise exceptions.ValidationError({"non_field_errors": [services.KEY_REQUIRED]})
        data = RedeemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        redemption, created = services.redeem(
            member=request.user,
            reward=reward,
            idempotency_key=f"api:{key.strip()}",
            shipping_note=data.validated_data["shipping_note"],
        )
        return Response(
            RedemptionSerializer(redemption).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
