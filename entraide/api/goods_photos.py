"""Lot photos over the API: list them, upload one (multipart), remove one."""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user, id_or_404
from entraide.api.goods import CHANNEL, _errors, _row_or_404
from entraide.api.parsers import JSONParser, MultiPartParser
from entraide.goods import permissions, services
from entraide.goods.models import Lot, LotPhoto
from entraide.goods.photo_views import photo_response
from entraide.goods.services.photos import MAX_BYTES


class PhotoUploadParser(MultiPartParser):
    """One photo of up to 8 MB, and the few bytes of the multipart envelope around it."""

    max_body_bytes = MAX_BYTES + 64 * 1024


class LotPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = LotPhoto
        fields = ["id", "position", "width", "height", "url", "thumbnail_url", "created_at"]

    def _absolute(self, photo: LotPhoto, query: str = "") -> str:
        path = reverse("api:goods_lot_photo", args=[photo.lot_id, photo.pk]) + query
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, photo: LotPhoto) -> str:
        """Return where the API serves the photo (with the same log-in)."""
        return self._absolute(photo)

    def get_thumbnail_url(self, photo: LotPhoto) -> str:
        """Return where the API serves the small photo."""
        return self._absolute(photo, "?size=small")


class LotPhotoInput(serializers.Serializer):
    photo = serializers.FileField(
        help_text=_("A JPEG, PNG or WebP picture of at most 8 MB and 40 megapixels.")
    )


def _visible_lot_or_404(request: Request, lot_id: str) -> Lot:
    """Return the lot if the caller may see it; 404 otherwise, as for a lot that does not exist."""
    lot: Lot = _row_or_404(Lot, lot_id)
    if not permissions.can_see_lot(request.user, lot):
        raise Http404
    return lot


def _photo_or_404(request: Request, lot_id: str, photo_id: str) -> LotPhoto:
    """Return the photo of a lot the caller may see, or raise Http404."""
    lot = _visible_lot_or_404(request, lot_id)
    photo = LotPhoto.objects.filter(lot=lot, pk=id_or_404(photo_id)).first()
    if photo is None:
        raise Http404
    return photo


class PhotoSizeQuery(serializers.Serializer):
    size = serializers.ChoiceField(choices=[("full", "full"), ("small", "small")], default="full")


class LotPhotoListView(ApiView):
    """A lot's photos: the donor, staff, operators and the associations shown the lot see them."""

    permission_classes = [IsAuthenticated]
    # JSON too, so that a client sending JSON learns which field is missing, not only a 415.
    parser_classes = [PhotoUploadParser, JSONParser]

    @extend_schema(
        operation_id="goods_lot_photo_list",
        responses={200: LotPhotoSerializer(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, lot_id: str) -> Response:
        """Return the lot's photos in order."""
        lot = _visible_lot_or_404(request, lot_id)
        photos = LotPhoto.objects.filter(lot=lot).order_by("position", "created_at")
        return Response(LotPhotoSerializer(photos, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="goods_lot_photo_add",
        request={"multipart/form-data": LotPhotoInput},
        responses={201: LotPhotoSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, lot_id: str) -> Response:
        """Add a photo (at most four per lot); it is stored upright, shrunk, without metadata."""
        lot = _visible_lot_or_404(request, lot_id)
        data = LotPhotoInput(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.lot_photo_add(
            lot=lot,
            upload=data.validated_data["photo"],
            actor=current_user(request),
            channel=CHANNEL,
        )
        output = LotPhotoSerializer(photo, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class LotPhotoDetailView(ApiView):
    """One photo of a lot."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_lot_photo_get",
        parameters=[
            OpenApiParameter(
                "size", str, enum=["full", "small"], required=False, description=_("small: 320 px")
            )
        ],
        responses={
            (200, "image/jpeg"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The photo, a JPEG without metadata.")
            ),
            **_errors(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, lot_id: str, photo_id: str) -> FileResponse:
        """Return the photo itself (at most 1600 px), or its thumbnail with size=small."""
        data = PhotoSizeQuery(data=request.query_params)
        data.is_valid(raise_exception=True)
        return photo_response(
            _photo_or_404(request, lot_id, photo_id),
            thumbnail=data.validated_data["size"] == "small",
        )

    @extend_schema(
        operation_id="goods_lot_photo_remove",
        responses={204: OpenApiResponse(description=_("Removed.")), **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, lot_id: str, photo_id: str) -> Response:
        """Remove the photo (the donor, staff or an operator)."""
        photo = _photo_or_404(request, lot_id, photo_id)
        services.lot_photo_remove(photo=photo, actor=current_user(request), channel=CHANNEL)
        return Response(status=status.HTTP_204_NO_CONTENT)
