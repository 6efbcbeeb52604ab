from rest_framework import serializers

from rewards.models import Redemption, Reward


class RewardSerializer(serializers.ModelSerializer):
    min_level = serializers.CharField(source="min_level.name", allow_null=True, default=None)

    class Meta:
        model = Reward
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "cost",
            "stock",
            "limit_per_member",
            "valid_from",
            "valid_until",
            "min_level",
            "flair",
            "early_access_hours",
            "early_access_days",
        ]


class RedeemInputSerializer(serializers.Serializer):
    shipping_note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )


class RedemptionSerializer(serializers.ModelSerializer):
    reward = serializers.CharField(source="reward.name")
    kind = serializers.CharField(source="reward.kind")
    flair = serializers.CharField(source="reward.flair")

    class Meta:
        model = Redemption
        fields = [
            "id",
            "reward",
            "kind",
            "flair",
            "cost",
            "code",
            "status",
            "shipping_note",
            "created_at",
            "handled_at",
        ]
