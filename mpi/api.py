"""JSON API of the multi-point inspection: the templates (every member of staff reads them,
the manager keeps them) and the inspection of an order, item by item, with photos, until it
is completed and its recommendations become jobs."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from flask import Blueprint, g, request
from pydantic import Field
from werkzeug.exceptions import NotFound

from dealer.apikit import API_PREFIX, Input, NumberOut, Output, endpoint
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.roles import ADVISOR, ALL_STAFF, INSPECTOR, MANAGER, TECHNICIAN
from mpi import inspecting, templates
from mpi.models import InspectionTemplate, MpiInspection, MpiItem
from mpi.pdf import report_response
from mpi.vocabulary import Condition, ItemGroup, Worse
from workorders.api import load_order

bp = Blueprint("mpi_api", __name__, url_prefix=API_PREFIX)


class TemplateItemIn(Input):
    code: str = Field(max_length=40)
    group: Literal[ItemGroup.values()]
    label: str = Field(max_length=200)
    label_zh: str = Field(max_length=200)
    unit: str | None = Field(default=None, max_length=12)
    worse: Literal[Worse.values()] | None = None
    yellow_at: Decimal | None = Field(default=None, ge=0, le=100000, decimal_places=2)
    red_at: Decimal | None = Field(default=None, ge=0, le=100000, decimal_places=2)


class TemplateIn(Input):
    name: str = Field(max_length=120)
    name_zh: str | None = Field(default=None, max_length=120)
    is_default: bool = False
    items: list[TemplateItemIn] = Field(min_length=1, max_length=templates.MAX_ITEMS)


class TemplateItemOut(Output):
    id: int
    code: str
    group: str
    label: str
    label_zh: str
    unit: str | None
    worse: str | None
    yellow_at: NumberOut | None
    red_at: NumberOut | None


class TemplateOut(Output):
    id: int
    version: int
    name: str
    name_zh: str | None
    is_default: bool
    updated_at: datetime
    items: list[TemplateItemOut]


class TemplateList(Output):
    items: list[TemplateOut]


def template_out(found) -> TemplateOut:
    return TemplateOut(
        id=found.id,
        version=found.version,
        name=found.name,
        name_zh=found.name_zh,
        is_default=found.is_default,
        updated_at=found.updated_at,
        items=[TemplateItemOut(id=item.id, **_facts(item)) for item in found.items],
    )


def _facts(item) -> dict:
    """An item's facts as the API names them."""
    facts = item.facts()
    del facts["position"]
    facts["group"] = facts.pop("item_group")
    return facts


@endpoint(
    bp,
    "/inspection-templates",
    roles=ALL_STAFF,
    summary="The site's inspection templates, the default first",
    response=TemplateList,
)
def get_templates():
    return TemplateList(items=[template_out(t) for t in templates.templates_of(g.actor.site_id)])


@endpoint(
    bp,
    "/inspection-templates",
    roles=(MANAGER,),
    method="POST",
    status=201,
    summary="A new inspection template with its items",
    body=TemplateIn,
    response=TemplateOut,
)
def post_template(body: TemplateIn):
    made = templates.save_template(
        g.actor,
        g.actor.site_id,
        name=body.name,
        name_zh=body.name_zh,
        is_default=body.is_default,
        items=[templates.ItemInput(**item.model_dump()) for item in body.items],
    )
    return template_out(made)


INSPECTORS = (TECHNICIAN, ADVISOR, MANAGER)


class StartIn(Input):
    template_id: int | None = None


class RecommendationIn(Input):
    title: str = Field(max_length=200)
    labor_hours: Decimal = Field(gt=0, le=100, decimal_places=2)
    canned_job_id: int | None = None
    part_numbers: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=20
    )


class ItemPatch(Input):
    condition: Literal[Condition.values()] | None = None
    measurement: Decimal | None = Field(default=None, ge=0, le=100000, decimal_places=2)
    note: str | None = Field(default=None, max_length=2000)
    recommendation: RecommendationIn | None = None


class RecommendationOut(Output):
    title: str
    labor_hours: NumberOut
    canned_job_id: int | None
    part_numbers: list[str]


class FindingPhotoOut(Output):
    id: int
    content_type: str
    size: int


class MpiItemOut(TemplateItemOut):
    condition: str
    measurement: NumberOut | None
    note: str | None
    photos: list[FindingPhotoOut]
    recommendation: RecommendationOut | None
    job_id: int | None


class MpiOut(Output):
    id: int
    version: int
    work_order_id: int
    template_id: int | None
    status: str
    items: list[MpiItemOut]


class PhotoUploadIn(Input):
    """The multipart body of a finding's photo."""

    file: bytes = Field(
        description="A JPEG, PNG or WebP image (at most 8 MB) or an MP4 or WebM video (15 MB)"
    )


def item_out(item) -> MpiItemOut:
    wanted = item.recommendation
    recommended = None
    if wanted:
        recommended = RecommendationOut(**{**wanted, "labor_hours": Decimal(wanted["labor_hours"])})
    return MpiItemOut(
        id=item.id,
        **_facts(item),
        condition=item.condition,
        measurement=item.measurement,
        note=item.note,
        photos=[FindingPhotoOut.model_validate(p, from_attributes=True) for p in item.photos],
        recommendation=recommended,
        job_id=item.job.id if item.job is not None else None,
    )


def mpi_out(found) -> MpiOut:
    return MpiOut(
        id=found.id,
        version=found.version,
        work_order_id=found.work_order_id,
        template_id=found.template_id,
        status=found.status,
        items=[item_out(item) for item in found.items],
    )


def _inspection(inspection_id: int) -> MpiInspection:
    found = db.session.get(MpiInspection, inspection_id)
    if found is None:
        raise NotFound("No such inspection.")
    load_order(found.work_order_id)
    return found


def _item(inspection_id: int, item_id: int) -> MpiItem:
    inspection = _inspection(inspection_id)
    found = db.session.get(MpiItem, item_id)
    if found is None or found.inspection_id != inspection.id:
        raise NotFound("No such item.")
    return found


@endpoint(
    bp,
    "/work-orders/<int:order_id>/mpi",
    roles=INSPECTORS,
    method="POST",
    status=201,
    summary="Start the order's multi-point inspection from a template (the default if none)",
    body=StartIn,
    response=MpiOut,
)
def post_mpi(order_id: int, body: StartIn):
    order = load_order(order_id)
    template = None
    if body.template_id is not None:
        template = db.session.get(InspectionTemplate, body.template_id)
        if template is None or template.site_id != order.site_id:
            raise DomainError("No such template.", "template_id")
    return mpi_out(inspecting.start(g.actor, order, template))


@endpoint(
    bp,
    "/work-orders/<int:order_id>/mpi",
    roles=ALL_STAFF,
    summary="The order's multi-point inspection",
    response=MpiOut,
)
def get_mpi(order_id: int):
    found = inspecting.inspection_of(load_order(order_id))
    if found is None:
        raise NotFound("The order has no inspection yet.")
    return mpi_out(found)


@endpoint(
    bp,
    "/mpi/<int:inspection_id>/items/<int:item_id>",
    roles=INSPECTORS,
    method="PATCH",
    summary="What was found of an item: colour, measurement, note, recommended work",
    body=ItemPatch,
    response=MpiItemOut,
)
def patch_item(inspection_id: int, item_id: int, body: ItemPatch):
    found = _item(inspection_id, item_id)
    recommendation = body.recommendation.model_dump() if body.recommendation else None
    inspecting.record(
        g.actor,
        found,
        condition=body.condition,
        measurement=body.measurement,
        note=body.note,
        recommendation=recommendation,
    )
    return item_out(found)


@endpoint(
    bp,
    "/mpi/<int:inspection_id>/items/<int:item_id>/photos",
    roles=INSPECTORS,
    method="POST",
    status=201,
    summary="Add a photo or a short video of what was found on an item (multipart: file)",
    response=FindingPhotoOut,
    upload=PhotoUploadIn,
)
def post_item_photo(inspection_id: int, item_id: int):
    found = _item(inspection_id, item_id)
    upload = request.files.get("file")
    if upload is None:
        raise DomainError("Send the photo as multipart field 'file'.", "file")
    photo = inspecting.add_photo(g.actor, found, upload.read())
    return FindingPhotoOut.model_validate(photo, from_attributes=True)


@endpoint(
    bp,
    "/mpi/<int:inspection_id>/complete",
    roles=INSPECTORS,
    method="POST",
    summary="Complete the inspection: each yellow or red item's recommendation becomes a job",
    response=MpiOut,
)
def post_complete(inspection_id: int):
    found = _inspection(inspection_id)
    inspecting.complete(g.actor, found)
    return mpi_out(found)


@endpoint(
    bp,
    "/work-orders/<int:order_id>/documents/inspection.pdf",
    roles=(ADVISOR, INSPECTOR, MANAGER),
    summary="The printed inspection report, in the customer's language",
    content_type="application/pdf",
)
def get_inspection_pdf(order_id: int):
    order = load_order(order_id)
    found = inspecting.inspection_of(order)
    if found is None:
        raise NotFound("The order has no inspection yet.")
    return report_response(found)
