"""A lot's page with its photos, and the photos themselves, served only to who may see the lot."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.models import User
from entraide.core.numbers import whole_number
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.goods import permissions, services
from entraide.goods.forms import PhotoUploadForm
from entraide.goods.models import Lot, LotPhoto
from entraide.goods.services.photos import MAX_PHOTOS, thumbnail_name


def _visible_lot(request: HttpRequest, pk: int) -> Lot:
    """Return the lot if the person may see it; 404 otherwise (its existence stays private)."""
    lot = get_object_or_404(
        Lot.objects.select_related("category", "donor_organisation", "donor_user"), pk=pk
    )
    if not permissions.can_see_lot(request.user, lot):
        raise Http404
    return lot


def photo_response(photo: LotPhoto, *, thumbnail: bool) -> FileResponse:
    """Return a photo's file (the caller checked who asks), never kept by a shared cache."""
    name = thumbnail_name(photo.image.name) if thumbnail else str(photo.image.name)
    try:
        file = default_storage.open(name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(file, content_type="image/jpeg")
    # Private: a proxy must not hand a donor's photo to somebody else; the browser may keep it.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _serve(request: HttpRequest, pk: int, *, thumbnail: bool) -> FileResponse:
    """Send a photo to who may see its lot; 404 to anybody else."""
    photo = get_object_or_404(LotPhoto.objects.select_related("lot"), pk=pk)
    if not permissions.can_see_lot(request.user, photo.lot):
        raise Http404
    return photo_response(photo, thumbnail=thumbnail)


@require_GET
def lot_photo(request: HttpRequest, pk: int) -> FileResponse:
    """One photo of a lot, in full (at most 1600 px)."""
    return _serve(request, pk, thumbnail=False)


@require_GET
def lot_photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """One photo of a lot, small, for lists."""
    return _serve(request, pk, thumbnail=True)


@login_required
@require_http_methods(["GET", "POST"])
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A lot: what, how much, when, its photos; the donor adds or removes photos."""
    lot = _visible_lot(request, pk)
    can_manage = permissions.can_manage_lot(request.user, lot)
    actor = cast(User, request.user)
    form = PhotoUploadForm()
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if request.POST.get("action") == "remove":
            photo = get_object_or_404(LotPhoto, lot=lot, pk=whole_number(request.POST.get("photo")))
            if run_service(
                request,
                None,
                lambda: services.lot_photo_remove(photo=photo, actor=actor, channel=Channel.WEB),
            ):
                messages.success(request, _("Photo removed."))
            return redirect("goods:lot", pk=lot.pk)
        form = PhotoUploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = form.cleaned_data["photos"]
            if not uploads:
                form.add_error("photos", _("Choose a photo to add."))
            elif run_service(request, form, lambda: _add_photos(lot, uploads, actor)):
                messages.success(request, _("Photos added."))
                return redirect("goods:lot", pk=lot.pk)
    photos = list(lot.photos.all())
    return render(
        request,
        "goods/lot.html",
        {
            "lot": lot,
            "photos": photos,
            "windows": list(lot.windows.all()),
            "can_manage": can_manage,
            "can_add": can_manage and len(photos) < MAX_PHOTOS,
            "form": form,
            "error_summary": error_summary(form),
        },
    )


def _add_photos(lot: Lot, uploads: list[object], actor: User) -> int:
    """Add each photo; all or none (the service refuses the fifth)."""
    with transaction.atomic():
        for upload in uploads:
            services.lot_photo_add(lot=lot, upload=upload, actor=actor, channel=Channel.WEB)
    return len(uploads)
