"""The warranty desk's pages: campaigns (entered, imported, their cars), the campaign job added
from an order's banner, the claims from draft to paid, the old parts on the shelf, the
three-guarantee record of a car and the cars at risk, and the warranty terms."""

import uuid
from decimal import InvalidOperation
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from customers.models import Vehicle
from dealer.auth import roles_required
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import Translated
from dealer.roles import ADVISOR, MANAGER, PARTS, WARRANTY
from dealer.web import (
    accepts_upload,
    act,
    download,
    form_status,
    get_or_404,
    paginate,
    submitted,
    uploaded_csv,
)
from warranty import campaign_csv, campaigns, claims, sanbao
from warranty.forms import (
    AcceptForm,
    CampaignFileForm,
    CampaignForm,
    ClaimForm,
    PayForm,
    RecordForm,
    RejectForm,
    TagForm,
    TermsForm,
    VinsForm,
)
from warranty.models import Campaign, CampaignVin, OldPartTag, WarrantyClaim
from warranty.pdf import claim_response
from warranty.terms import TermsInput, save_terms, terms
from warranty.vocabulary import CampaignKind, ClaimStatus, FaultSystem, TagFate
from workorders.models import WorkOrder
from workorders.queries import visible_to

bp = Blueprint("warranty", __name__)

DESK = (WARRANTY, MANAGER)
READ = (ADVISOR, WARRANTY, MANAGER)
SHELF = (PARTS, WARRANTY, MANAGER)
IMPORTS = "campaign-imports"


def labels() -> dict:
    return {
        "kind_labels": Translated(CampaignKind.labels()),
        "claim_labels": Translated(ClaimStatus.labels()),
        "system_labels": Translated(FaultSystem.labels()),
        "fate_labels": Translated(TagFate.labels()),
    }


@bp.context_processor
def warranty_labels() -> dict:
    return labels()


def _campaign(campaign_id: int) -> Campaign:
    return get_or_404(Campaign, campaign_id, site_id=current_user.site_id)


def _claim(claim_id: int) -> WarrantyClaim:
    return get_or_404(WarrantyClaim, claim_id, site_id=current_user.site_id)


def _parts(text: str):
    return campaign_csv.parse_parts(text or "")


@bp.get("/campaigns")
@roles_required(*READ)
def campaign_list():
    return render_template(
        "warranty/campaigns.html", progress=campaigns.progress(current_user.site_id)
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@roles_required(*DESK)
def new_campaign():
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            parts = _parts(form.parts.data)
        except InvalidOperation:
            form.parts.errors = [_("Write parts as number:quantity, separated by ;.")]
        else:
            with submitted(form) as done:
                made = campaigns.create_campaign(
                    current_user,
                    current_user.site_id,
                    campaigns.CampaignInput(
                        code=form.code.data,
                        kind=form.kind.data,
                        title=form.title.data,
                        title_zh=form.title_zh.data,
                        labor_op=form.labor_op.data,
                        labor_hours=form.labor_hours.data,
                        ends_on=form.ends_on.data,
                        parts=parts,
                    ),
                )
                added = campaigns.add_vins(current_user, made, (form.vins.data or "").split())
            if done:
                flash(
                    _(
                        "Campaign %(code)s entered with %(n)s cars.",
                        code=made.code,
                        n=added.added,
                    ),
                    "success",
                )
                return redirect(url_for("warranty.campaign", campaign_id=made.id))
    return render_template("warranty/campaign_form.html", form=form), form_status()


def _stored_import(token: str) -> Path | None:
    if not token or not token.isalnum() or len(token) != 32:
        return None
    path = Path(current_app.config["STORAGE_DIR"]) / IMPORTS / f"{token}.csv"
    return path if path.is_file() else None


@bp.route("/campaigns/import", methods=["GET", "POST"])
@roles_required(*DESK)
@accepts_upload
def import_campaigns():
    form = CampaignFileForm()
    plan = None
    token = ""
    if request.method == "POST" and request.form.get("token"):
        path = _stored_import(request.form["token"])
        if path is None:
            flash(_("The checked file is gone; upload it again."), "danger")
            return redirect(url_for("warranty.import_campaigns"))
        plan = campaign_csv.plan_import(current_user.site_id, path.read_text("utf-8"))
        if EmptyForm().validate_on_submit():
            with submitted() as done:
                result = campaign_csv.apply_import(current_user, current_user.site_id, plan)
            if done:
                path.unlink(missing_ok=True)
                flash(
                    _(
                        "Imported: %(campaigns)s new campaigns, %(added)s cars added, "
                        "%(already)s named before.",
                        campaigns=result.campaigns,
                        added=result.added,
                        already=result.already,
                    ),
                    "success",
                )
                return redirect(url_for("warranty.campaign_list"))
    elif form.validate_on_submit():
        content = uploaded_csv(form.file.data)
        if content is not None:
            plan = campaign_csv.plan_import(current_user.site_id, content)
            if plan.ok:
                token = uuid.uuid4().hex
                folder = Path(current_app.config["STORAGE_DIR"]) / IMPORTS
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{token}.csv").write_text(content, "utf-8")
    return render_template(
        "warranty/campaign_import.html",
        form=form,
        plan=plan,
        token=token,
        action_form=EmptyForm(),
    ), (422 if plan is not None and plan.errors else 200)


@bp.get("/campaigns/<int:campaign_id>")
@roles_required(*READ)
def campaign(campaign_id: int):
    found = _campaign(campaign_id)
    counts = db.session.execute(
        select(func.count(), func.count(CampaignVin.closed_at)).where(
            CampaignVin.campaign_id == found.id
        )
    ).one()
    return render_template(
        "warranty/campaign.html", campaign=found, vins=counts[0], closed=counts[1], form=VinsForm()
    )


@bp.post("/campaigns/<int:campaign_id>/vins")
@roles_required(*DESK)
def add_vins(campaign_id: int):
    found = _campaign(campaign_id)
    form = VinsForm()
    if not form.validate_on_submit():
        flash(_("Paste the VINs, one per line."), "danger")
        return redirect(url_for("warranty.campaign", campaign_id=found.id))
    result = act(
        campaigns.add_vins, _("The cars are added."), found, (form.vins.data or "").split()
    )
    if result is not None:
        flash(
            _(
                "%(added)s added, %(already)s named before, %(invalid)s not valid VINs.",
                added=result.added,
                already=result.already,
                invalid=len(result.invalid),
            ),
            "info" if not result.invalid else "warning",
        )
    return redirect(url_for("warranty.campaign", campaign_id=found.id))


@bp.post("/work-orders/<int:order_id>/campaign-jobs")
@roles_required(ADVISOR, MANAGER)
def add_campaign_job(order_id: int):
    order = get_or_404(WorkOrder, order_id, site_id=current_user.site_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form expired; try again."), "danger")
        return redirect(url_for("workorders.order", order_id=order.id))
    found = _campaign(request.form.get("campaign_id", 0, type=int))
    act(
        campaigns.add_campaign_job,
        _("The campaign job %(code)s is on the order, paid by warranty.", code=found.code),
        order,
        found,
        version=request.form.get("version", type=int),
    )
    return redirect(url_for("workorders.order", order_id=order.id, tab="jobs"))


@bp.get("/claims")
@roles_required(*DESK)
def claim_list():
    status = request.args.get("status", "")
    if status not in ClaimStatus.values():
        status = ""
    stmt = select(WarrantyClaim).where(WarrantyClaim.site_id == current_user.site_id)
    if status:
        stmt = stmt.where(WarrantyClaim.status == status)
    counts = dict(
        db.session.execute(
            select(WarrantyClaim.status, func.count())
            .where(WarrantyClaim.site_id == current_user.site_id)
            .group_by(WarrantyClaim.status)
        ).all()
    )
    pagination = paginate(stmt.order_by(WarrantyClaim.id.desc()), 25)
    return render_template(
        "warranty/claims.html", pagination=pagination, status=status, counts=counts
    )


@bp.get("/claims/export.csv")
@roles_required(*DESK)
def export_claims():
    status = request.args.get("status", "submitted")
    if status not in ClaimStatus.values():
        status = "submitted"
    return download(
        claims.export_csv(current_user.site_id, status).encode("utf-8"),
        f"claims-{status}.csv",
        "text/csv",
    )


def _claim_page(found: WarrantyClaim, form: ClaimForm | None = None, **forms):
    form = form or ClaimForm(obj=found, formdata=None, version=found.version)
    form.fault_system.data = form.fault_system.data or ""
    return render_template(
        "warranty/claim.html",
        claim=found,
        form=form,
        accept_form=forms.get("accept_form") or AcceptForm(formdata=None, version=found.version),
        reject_form=forms.get("reject_form") or RejectForm(formdata=None, version=found.version),
        pay_form=forms.get("pay_form")
        or PayForm(formdata=None, version=found.version, amount=found.total_claimed),
        tag_form=forms.get("tag_form") or TagForm(formdata=None),
        step_form=EmptyForm(),
        missing=claims.missing(found),
        steps=claims.STEPS,
        attachments=claims.attachments(found),
    ), form_status()


@bp.route("/claims/<int:claim_id>", methods=["GET", "POST"])
@roles_required(*DESK)
def claim(claim_id: int):
    found = _claim(claim_id)
    form = ClaimForm()
    if request.method == "POST" and form.validate_on_submit():
        with submitted(form) as done:
            claims.update_claim(
                current_user,
                found,
                claims.ClaimChanges(
                    labor_op=form.labor_op.data or "",
                    causal_part_number=form.causal_part_number.data or "",
                    failure_code=form.failure_code.data or "",
                    complaint=form.complaint.data or "",
                    cause=form.cause.data or "",
                    correction=form.correction.data or "",
                    fault_system=form.fault_system.data or "",
                ),
                version=form.version_number(),
            )
        if done:
            flash(_("The claim is saved."), "success")
            return redirect(url_for("warranty.claim", claim_id=found.id))
    return _claim_page(found, form if request.method == "POST" else None)


@bp.post("/claims/<int:claim_id>/<any(submit, accept, reject, pay):step>")
@roles_required(*DESK)
def claim_step(claim_id: int, step: str):
    found = _claim(claim_id)
    form = {"submit": EmptyForm, "accept": AcceptForm, "reject": RejectForm, "pay": PayForm}[step]()
    if not form.validate_on_submit():
        return _claim_page(found, **{f"{step}_form": form})
    version = request.form.get("version", type=int)
    with submitted(form) as done:
        if step == "submit":
            claims.submit(current_user, found, version=version)
        elif step == "accept":
            claims.accept(
                current_user,
                found,
                manufacturer_number=form.manufacturer_number.data,
                version=version,
            )
        elif step == "reject":
            claims.reject(current_user, found, form.reason.data, version=version)
        else:
            claims.pay(current_user, found, form.amount.data, form.paid_on.data, version=version)
    if done:
        flash(_("The claim is %(status)s.", status=ClaimStatus.labels()[found.status]), "success")
        return redirect(url_for("warranty.claim", claim_id=found.id))
    db.session.refresh(found)
    return _claim_page(found, **{f"{step}_form": form})


@bp.post("/claims/<int:claim_id>/tags")
@roles_required(*SHELF)
def tag_part(claim_id: int):
    found = _claim(claim_id)
    form = TagForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            tag = claims.tag_old_part(
                current_user,
                found,
                part_number=form.part_number.data,
                shelf=form.shelf.data,
                quantity=form.quantity.data or 1,
                keep_until=form.keep_until.data,
            )
        if done:
            flash(_("Tag %(tag)s: write it on the part.", tag=tag.tag_number), "success")
            return redirect(url_for("warranty.claim", claim_id=found.id))
    return _claim_page(found, tag_form=form)


@bp.get("/claims/<int:claim_id>/claim.pdf")
@roles_required(*DESK)
def claim_pdf(claim_id: int):
    return claim_response(_claim(claim_id), str(get_locale() or "").startswith("zh"))


@bp.get("/old-parts")
@roles_required(*SHELF)
def old_parts():
    return render_template(
        "warranty/old_parts.html",
        tags=claims.tags_on_shelf(current_user.site_id),
        due=claims.site_today(current_user.site_id),
        form=EmptyForm(),
    )


@bp.post("/old-parts/<int:tag_id>/<any(returned, scrapped):fate>")
@roles_required(*SHELF)
def settle_tag(tag_id: int, fate: str):
    tag = get_or_404(OldPartTag, tag_id, site_id=current_user.site_id)
    if EmptyForm().validate_on_submit():
        act(claims.settle_tag, _("Tag %(tag)s is settled.", tag=tag.tag_number), tag, fate)
    return redirect(url_for("warranty.old_parts"))


@bp.route("/vehicles/<int:vehicle_id>/sanbao", methods=["GET"])
@roles_required(*READ)
def sanbao_record(vehicle_id: int):
    vehicle = get_or_404(Vehicle, vehicle_id, site_id=current_user.site_id)
    watch = sanbao.watch_of(vehicle)
    records = {
        visit["work_order_id"]: sanbao.record_of(db.session.get(WorkOrder, visit["work_order_id"]))
        for visit in watch.visits
    }
    return render_template(
        "warranty/sanbao_vehicle.html",
        vehicle=vehicle,
        watch=watch,
        records=records,
        settings=terms(current_user.site_id),
    )


@bp.route("/work-orders/<int:order_id>/sanbao", methods=["GET", "POST"])
@roles_required(*READ)
def repair_record(order_id: int):
    order = get_or_404(WorkOrder, order_id, site_id=current_user.site_id)
    if not visible_to(current_user, order):
        return redirect(url_for("workorders.orders"))
    record = sanbao.record_of(order)
    form = RecordForm(obj=record) if request.method == "GET" else RecordForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            sanbao.save_record(
                current_user,
                order,
                loaner_days=form.loaner_days.data,
                loaner_plate=form.loaner_plate.data,
                transport_compensation=form.transport_compensation.data,
                note=form.note.data,
            )
        if done:
            flash(_("The repair record is saved."), "success")
            return redirect(url_for("warranty.sanbao_record", vehicle_id=order.vehicle_id))
    return render_template("warranty/repair_record.html", order=order, form=form), form_status()


@bp.get("/sanbao")
@roles_required(*READ)
def at_risk():
    return render_template(
        "warranty/sanbao.html",
        cars=sanbao.at_risk(current_user.site_id),
        settings=terms(current_user.site_id),
    )


@bp.route("/warranty/settings", methods=["GET", "POST"])
@roles_required(*DESK)
def settings():
    current = terms(current_user.site_id)
    if request.method == "GET":
        form = TermsForm(obj=current, version=current.version)
        form.parts_handling.data = current.parts_handling * 100
    else:
        form = TermsForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            save_terms(
                current_user,
                current_user.site_id,
                TermsInput(
                    labor_rate=form.labor_rate.data,
                    parts_handling=(
                        form.parts_handling.data / 100
                        if form.parts_handling.data is not None
                        else None
                    ),
                    **{
                        name: getattr(form, name).data
                        for name in TermsInput.__dataclass_fields__
                        if name not in ("labor_rate", "parts_handling")
                    },
                ),
                version=form.version_number(),
            )
        if done:
            flash(_("The warranty terms are saved."), "success")
            return redirect(url_for("warranty.settings"))
    return render_template("warranty/settings.html", form=form), form_status()
