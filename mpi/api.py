"""JSON API of the inspection templates: every member of staff reads them, the manager
keeps them."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from flask import Blueprint, g
from pydantic import Field

from dealer.apikit import API_PREFIX, Input, NumberOut, Output, endpoint
from dealer.roles import ALL_STAFF, MANAGER
from mpi import templates
from mpi.vocabulary import ItemGroup, Worse

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
        items=[
            TemplateItemOut(
                id=item.id,
                code=item.code,
                group=item.item_group,
                label=item.label,
                label_zh=item.label_zh,
                unit=item.unit,
                worse=item.worse,
                yellow_at=item.yellow_at,
                red_at=item.red_at,
            )
            for item in found.items
        ],
    )


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
        items=[
            templates.ItemInput(
                code=item.code,
                group=item.group,
                label=item.label,
                label_zh=item.label_zh,
                unit=item.unit,
                worse=item.worse,
                yellow_at=item.yellow_at,
                red_at=item.red_at,
            )
            for item in body.items
        ],
    )
    return template_out(made)
