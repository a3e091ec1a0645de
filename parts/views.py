"""The parts counter's pages: the stock list, low stock, a part's ledger, receiving, stocktake."""

from decimal import Decimal

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from dealer.auth import roles_required
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import Translated
from dealer.roles import ADVISOR, MANAGER, PARTS
from dealer.web import (
    accepts_upload,
    act,
    form_status,
    get_or_404,
    page_number,
    submitted,
    uploaded_csv,
)
from parts import stock
from parts.catalogue_csv import apply_import, export_csv, plan_import
from parts.forms import AdjustForm, EditPartForm, ImportForm, PartForm, ReceiveForm
from parts.models import Part, StockMovement
from parts.vocabulary import MovementKind, Unit

bp = Blueprint("parts", __name__)


@bp.app_context_processor
def unit_labels() -> dict:
    """The units' display names, for every page that shows a quantity of a part."""
    return {"unit_labels": Translated(Unit.labels())}


READ = (PARTS, MANAGER, ADVISOR)
WRITE = (PARTS, MANAGER)


def suggested_order(part: Part) -> Decimal:
    """How many to order so that available stock is back above the reorder point."""
    wanted = max(part.reorder_quantity, part.reorder_point * 2 - part.available)
    return max(wanted, Decimal("0"))


@bp.get("/parts")
@roles_required(*READ)
def stock_list():
    q = request.args.get("q", "").strip()[:60]
    low = request.args.get("low") == "1"
    stmt = select(Part).where(Part.site_id == current_user.site_id)
    if q:
        stmt = stmt.where(
            or_(
                Part.number_key.contains(stock.part_number_key(q), autoescape=True),
                func.lower(Part.name).contains(q.lower(), autoescape=True),
                Part.name_zh.contains(q, autoescape=True),
            )
        )
    if low:
        stmt = stmt.where(Part.active.is_(True), Part.on_hand - Part.reserved < Part.reorder_point)
    pagination = db.paginate(
        stmt.order_by(Part.number_key), page=page_number(), per_page=50, error_out=False
    )
    return render_template(
        "parts/parts.html", pagination=pagination, q=q, low=low, suggested_order=suggested_order
    )


@bp.route("/parts/new", methods=["GET", "POST"])
@roles_required(*WRITE)
def new_part():
    form = PartForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            part = stock.create_part(
                current_user,
                current_user.site_id,
                part_number=form.part_number.data,
                name=form.name.data,
                name_zh=form.name_zh.data,
                brand=form.brand.data,
                genuine=form.genuine.data,
                unit_price=form.unit_price.data,
                unit_cost=form.unit_cost.data or Decimal("0"),
                reorder_point=form.reorder_point.data or Decimal("0"),
                reorder_quantity=form.reorder_quantity.data or Decimal("0"),
                bin_location=form.bin_location.data,
            )
        if done:
            flash(_("Part %(number)s added.", number=part.part_number), "success")
            return redirect(url_for("parts.part", part_id=part.id))
    return render_template("parts/part_form.html", form=form, part=None), form_status()


@bp.get("/parts/<int:part_id>")
@roles_required(*READ)
def part(part_id: int):
    found = get_or_404(Part, part_id, site_id=current_user.site_id)
    movements = db.paginate(
        select(StockMovement)
        .where(StockMovement.part_id == found.id)
        .order_by(StockMovement.id.desc()),
        page=page_number(),
        per_page=50,
        error_out=False,
    )
    return render_template(
        "parts/part.html",
        part=found,
        movements=movements,
        kinds=Translated(MovementKind.labels()),
        receive_form=ReceiveForm(),
        adjust_form=AdjustForm(),
        suggested_order=suggested_order,
    )


@bp.post("/parts/<int:part_id>/receive")
@roles_required(*WRITE)
def receive(part_id: int):
    found = get_or_404(Part, part_id, site_id=current_user.site_id)
    form = ReceiveForm()
    if form.validate_on_submit():
        act(
            stock.receive,
            _("Received into stock."),
            found,
            form.quantity.data,
            form.unit_cost.data,
            form.note.data or "",
            supplier=form.supplier.data,
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for("parts.part", part_id=found.id))


@bp.post("/parts/<int:part_id>/adjust")
@roles_required(*WRITE)
def adjust(part_id: int):
    found = get_or_404(Part, part_id, site_id=current_user.site_id)
    form = AdjustForm()
    if form.validate_on_submit():
        act(
            stock.adjust,
            _("Stock corrected."),
            found,
            form.change.data,
            form.reason.data,
            write_off=form.write_off.data,
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for("parts.part", part_id=found.id))


@bp.route("/parts/import", methods=["GET", "POST"])
@roles_required(*WRITE)
@accepts_upload
def import_parts():
    form = ImportForm()
    plan = None
    content = ""
    if request.method == "POST" and request.form.get("content"):
        content = request.form["content"]
        plan = plan_import(current_user.site_id, content)
        if request.form.get("apply") and EmptyForm().validate_on_submit():
            with submitted() as done:
                apply_import(current_user, current_user.site_id, plan)
            if done:
                flash(
                    _(
                        "Imported: %(new)s new, %(updated)s updated.",
                        new=plan.new,
                        updated=plan.updated,
                    ),
                    "success",
                )
                return redirect(url_for("parts.stock_list"))
    elif form.validate_on_submit():
        text = uploaded_csv(form.file.data)
        if text is not None:
            content = text
            plan = plan_import(current_user.site_id, content)
    return render_template(
        "parts/parts_import.html", form=form, plan=plan, content=content, action_form=EmptyForm()
    ), (422 if plan is not None and plan.errors else 200)


@bp.get("/parts/export.csv")
@roles_required(*READ)
def export_parts():
    return Response(
        export_csv(current_user.site_id),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=parts.csv"},
    )


@bp.route("/parts/<int:part_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE)
def edit_part(part_id: int):
    found = get_or_404(Part, part_id, site_id=current_user.site_id)
    form = EditPartForm(obj=found)
    if form.validate_on_submit():
        with submitted(form) as done:
            stock.update_part(
                current_user,
                found,
                name=form.name.data,
                name_zh=form.name_zh.data,
                brand=form.brand.data,
                genuine=form.genuine.data,
                unit_price=form.unit_price.data,
                unit_cost=form.unit_cost.data or Decimal("0"),
                reorder_point=form.reorder_point.data or Decimal("0"),
                reorder_quantity=form.reorder_quantity.data or Decimal("0"),
                bin_location=form.bin_location.data,
                active=form.active.data,
                version=form.version_number(),
            )
        if done:
            flash(_("Saved."), "success")
            return redirect(url_for("parts.part", part_id=found.id))
    return render_template("parts/part_form.html", form=form, part=found), form_status()
