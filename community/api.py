"""JSON API views: one per action, thin; rules live in ``community.services``."""

from contextlib import contextmanager

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from community import api_serializers as s
from community import selectors
from community.models import Post, TargetType, Topic
from community.selectors import TOPIC_SORTS
from community.services import catalogue, gate, messages, moderation, votes
from community.services.membership import join_community, leave_community
from community.services.photos import upload_photo
from community.services.topics import accept_answer, create_topic, reply
from core import errors as core_errors

ERROR = OpenApiResponse(description='{"message": "...", "errors": {"field": ["..."]}}')
ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 429: ERROR}


@contextmanager
def service_errors(field: str | None = None):
    """Name the form field a service error is about; ``config.api_errors`` answers it."""
    try:
        yield
    except core_errors.AppError as exc:
        if field and exc.field is None and exc.status == 400:
            exc.field = field
        raise


def readable_community(request, slug):
    return get_object_or_404(selectors.visible_communities(request.user), slug=slug)


def readable_topic(request, pk) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("community"), pk=pk, is_hidden=False)
    readable_community(request, topic.community.slug)
    return topic


def readable_post(request, pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("topic", "topic__community"), pk=pk)
    readable_community(request, post.topic.community.slug)
    return post


def validated(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Communities ----------------------------------------------------------------------------


@extend_schema(tags=["communities"], summary="Communities you can read")
class CommunityListApi(generics.ListAPIView):
    serializer_class = s.CommunitySerializer

    def get_queryset(self):
        return selectors.visible_communities(self.request.user).order_by("name")


@extend_schema(
    tags=["communities"],
    summary="One community",
    responses={200: s.CommunitySerializer, 404: ERROR},
)
class CommunityDetailApi(APIView):
    def get(self, request, slug):
        return Response(s.CommunitySerializer(readable_community(request, slug)).data)


@extend_schema(
    tags=["communities"],
    summary="Join a community",
    request=None,
    responses={200: s.MembershipSerializer, **ERRORS},
)
class JoinApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, slug):
        community = readable_community(request, slug)
        membership = join_community(user=request.user, community=community)
        return Response(s.MembershipSerializer(membership).data)


@extend_schema(
    tags=["communities"], summary="Leave a community", request=None, responses={204: None, **ERRORS}
)
class LeaveApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, slug):
        community = readable_community(request, slug)
        with service_errors():
            leave_community(user=request.user, community=community)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Topics and posts -----------------------------------------------------------------------


class TopicListCreateApi(generics.ListAPIView):
    serializer_class = s.TopicSerializer

    def get_queryset(self):
        sort = self.request.query_params.get("sort", "latest")
        if sort not in selectors.TOPIC_SORTS:
            raise exceptions.ValidationError(
                {"sort": [f"Choose one of: {', '.join(selectors.TOPIC_SORTS)}."]}
            )
        return selectors.topics(readable_community(self.request, self.kwargs["slug"]), sort=sort)

    @extend_schema(
        tags=["topics"],
        summary="Topics of a community, latest activity first unless sorted",
        parameters=[
            OpenApiParameter(
                "sort", str, enum=list(TOPIC_SORTS), description="Default: latest activity."
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["topics"],
        summary="Start a topic (discussion or question)",
        request=s.TopicInSerializer,
        responses={201: s.TopicSerializer, **ERRORS},
    )
    def post(self, request, slug):
        community = readable_community(request, slug)
        data = validated(s.TopicInSerializer, request)
        with service_errors():
            topic = create_topic(user=request.user, community=community, **data)
        return Response(s.TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["topics"],
    summary="A topic with its first page of posts",
    responses={200: s.TopicDetailSerializer, 404: ERROR},
)
class TopicDetailApi(APIView):
    def get(self, request, pk):
        topic = readable_topic(request, pk)
        page = selectors.posts_page(
            topic, viewer=request.user, staff=False, page=request.query_params.get("page")
        )
        data = s.TopicSerializer(topic).data
        data["posts"] = s.PostSerializer(page.object_list, many=True).data
        return Response(data)


@extend_schema(
    tags=["topics"],
    summary="Reply to a topic (an answer, on a question)",
    request=s.PostInSerializer,
    responses={201: s.PostSerializer, **ERRORS},
)
class PostCreateApi(APIView):
    def post(self, request, pk):
        topic = readable_topic(request, pk)
        data = validated(s.PostInSerializer, request)
        with service_errors():
            post = reply(user=request.user, topic=topic, body=data["body"])
        return Response(s.PostSerializer(post).data, status=status.HTTP_201_CREATED)


class HelpfulApi(APIView):
    def _state(self, post, voted: bool) -> Response:
        data = {"post_id": post.pk, "voted": voted, "helpful_count": post.helpful_votes.count()}
        return Response(s.HelpfulSerializer(data).data)

    @extend_schema(
        tags=["topics"],
        summary="Vote a post helpful (once)",
        request=None,
        responses={200: s.HelpfulSerializer, **ERRORS},
    )
    def post(self, request, pk):
        post = readable_post(request, pk)
        with service_errors():
            votes.vote_helpful(user=request.user, post=post)
        return self._state(post, True)

    @extend_schema(
        tags=["topics"],
        summary="Withdraw your helpful vote",
        request=None,
        responses={200: s.HelpfulSerializer, **ERRORS},
    )
    def delete(self, request, pk):
        post = readable_post(request, pk)
        with service_errors():
            votes.unvote_helpful(user=request.user, post=post)
        return self._state(post, False)


@extend_schema(
    tags=["topics"],
    summary="Accept an answer (the asker or a moderator)",
    request=None,
    responses={200: s.AcceptanceSerializer, **ERRORS},
)
class AcceptApi(APIView):
    def post(self, request, pk):
        post = readable_post(request, pk)
        with service_errors():
            acceptance = accept_answer(user=request.user, post=post)
        return Response(s.AcceptanceSerializer(acceptance).data)


# --- Products, reviews, photos --------------------------------------------------------------


@extend_schema(tags=["products"], summary="Products of a community with their rating")
class ProductListApi(generics.ListAPIView):
    serializer_class = s.ProductSerializer

    def get_queryset(self):
        return selectors.products(readable_community(self.request, self.kwargs["slug"]))


@extend_schema(
    tags=["products"],
    summary="Review a product (one review per member)",
    request=s.ReviewInSerializer,
    responses={201: s.ReviewSerializer, **ERRORS},
)
class ReviewCreateApi(APIView):
    def post(self, request, slug):
        community = readable_community(request, slug)
        data = validated(s.ReviewInSerializer, request)
        product = selectors.product_in(community, data.pop("product"))
        if product is None:
            raise exceptions.ValidationError({"product": [messages.CONTENT_NOT_FOUND]})
        with service_errors():
            review = catalogue.write_review(user=request.user, product=product, **data)
        return Response(s.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class PhotoListCreateApi(generics.ListAPIView):
    serializer_class = s.PhotoSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        community = readable_community(self.request, self.kwargs["slug"])
        return selectors.photos(community).order_by("-created_at", "-id")

    @extend_schema(tags=["photos"], summary="The community's gallery, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["photos"],
        summary="Upload a photo (multipart)",
        request=s.PhotoInSerializer,
        responses={201: s.PhotoSerializer, **ERRORS},
    )
    def post(self, request, slug):
        community = readable_community(request, slug)
        data = validated(s.PhotoInSerializer, request)
        product = topic = None
        if data.get("product"):
            product = selectors.product_in(community, data["product"])
            if product is None:
                raise exceptions.ValidationError({"product": [messages.CONTENT_NOT_FOUND]})
        if data.get("topic"):
            topic = selectors.topic_for(community, data["topic"], staff=False)
            if topic is None:
                raise exceptions.ValidationError({"topic": [messages.CONTENT_NOT_FOUND]})
        with service_errors(field="image"):
            photo = upload_photo(
                user=request.user,
                community=community,
                upload=data["image"],
                caption=data["caption"],
                product=product,
                topic=topic,
            )
        return Response(
            s.PhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


# --- Reports and moderation -----------------------------------------------------------------


def target_community(request, target_type: str, target_id: int):
    community = selectors.community_of_target(target_type, target_id)
    if community is None:
        raise exceptions.NotFound(messages.CONTENT_NOT_FOUND)
    return readable_community(request, community.slug)


@extend_schema(
    tags=["moderation"],
    summary="Report a post, review or photo",
    request=s.ReportInSerializer,
    responses={201: s.ReportSerializer, **ERRORS},
)
class ReportCreateApi(APIView):
    def post(self, request):
        data = validated(s.ReportInSerializer, request)
        community = target_community(request, data["target_type"], data["target_id"])
        with service_errors():
            report = moderation.report(user=request.user, community=community, **data)
        return Response(s.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["moderation"],
    summary="Open reports and the moderation log (moderators)",
    responses={200: s.ModerationQueueSerializer, **ERRORS},
)
class ModerationQueueApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, slug):
        community = readable_community(request, slug)
        with service_errors():
            gate.ensure_can_moderate(user=request.user, community=community)
        data = {
            "items": selectors.moderation_queue(community),
            "log": selectors.audit_log(community),
        }
        return Response(s.ModerationQueueSerializer(data).data)


class ModerateApi(APIView):
    """Hide or restore one item; the reason goes to the audit log."""

    service = None

    def post(self, request, target_type, pk):
        if target_type not in TargetType.values:
            raise exceptions.NotFound(messages.CONTENT_NOT_FOUND)
        community = target_community(request, target_type, pk)
        data = validated(s.ReasonInSerializer, request)
        with service_errors():
            target = type(self).service(
                user=request.user,
                community=community,
                target_type=target_type,
                target_id=pk,
                reason=data["reason"],
            )
        target.target_type = target_type
        return Response(s.ModeratedSerializer(target).data)


@extend_schema(
    tags=["moderation"],
    summary="Hide an item and reverse its points (moderators)",
    request=s.ReasonInSerializer,
    responses={200: s.ModeratedSerializer, **ERRORS},
)
class HideApi(ModerateApi):
    service = staticmethod(moderation.hide)


@extend_schema(
    tags=["moderation"],
    summary="Restore a hidden item and its points (moderators)",
    request=s.ReasonInSerializer,
    responses={200: s.ModeratedSerializer, **ERRORS},
)
class RestoreApi(ModerateApi):
    service = staticmethod(moderation.restore)
