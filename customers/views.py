"""Pages of the front desk: find, register and edit customers and vehicles."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from customers import privacy, services
from customers.forms import (
    CustomerForm,
    EraseForm,
    NewVehicleForm,
    OdometerForm,
    TransferForm,
    VehicleForm,
)
from customers.models import Customer, Vehicle
from customers.vocabulary import ContactChannel, OdometerSource, VehicleClass
from dealer.auth import roles_required
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import current_settings
from dealer.roles import ADVISOR, CALLBACK, MANAGER, TECHNICIAN
from dealer.web import (
    download,
    form_data,
    form_status,
    get_or_404,
    paginate,
    searchable,
    searched_text,
    submitted,
)

bp = Blueprint("customers", __name__)


@bp.context_processor
def labels() -> dict:
    """Display names of the customer and vehicle codes."""
    return {
        "channel_labels": ContactChannel.labels(),
        "class_labels": VehicleClass.labels(),
        "source_labels": OdometerSource.labels(),
    }


READ = (ADVISOR, CALLBACK, MANAGER)
WRITE = (ADVISOR, MANAGER)
VEHICLE_READ = (ADVISOR, TECHNICIAN, MANAGER)


def _customer(customer_id: int) -> Customer:
    return get_or_404(Customer, customer_id, site_id=current_user.site_id)


def _vehicle(vehicle_id: int) -> Vehicle:
    return get_or_404(Vehicle, vehicle_id, site_id=current_user.site_id)


@bp.route("/customers", methods=["GET", "POST"])
@roles_required(*READ)
@searchable
def search():
    q = searched_text(100)
    settings = current_settings()
    stmt = services.customer_search(current_user.site_id, q, settings.phone_region)
    pagination = paginate(stmt, 25)
    return render_template("customers/search.html", pagination=pagination, q=q)


@bp.route("/customers/new", methods=["GET", "POST"])
@roles_required(*WRITE)
def new_customer():
    form = CustomerForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            customer = services.create_customer(
                current_user,
                current_user.site_id,
                form_data(services.CustomerInput, form),
                current_settings().phone_region,
            )
        if done:
            flash(_("Customer %(name)s registered.", name=customer.name), "success")
            return redirect(url_for("customers.new_vehicle", customer_id=customer.id))
    return render_template("customers/customer_form.html", form=form, customer=None), form_status()


@bp.get("/customers/<int:customer_id>")
@roles_required(*READ)
def customer(customer_id: int):
    found = _customer(customer_id)
    return render_template(
        "customers/customer.html", customer=found, revealed=False, action_form=EmptyForm()
    )


@bp.post("/customers/<int:customer_id>/phone")
@roles_required(*READ)
def reveal_phone(customer_id: int):
    found = _customer(customer_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("customers.customer", customer_id=found.id))
    privacy.reveal_phone(current_user, found)
    db.session.commit()
    return render_template(
        "customers/customer.html", customer=found, revealed=True, action_form=EmptyForm()
    )


@bp.post("/customers/<int:customer_id>/export")
@roles_required(MANAGER)
def export_customer(customer_id: int):
    found = _customer(customer_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("customers.customer", customer_id=found.id))
    archive = privacy.export_archive(current_user, found)
    db.session.commit()
    return download(archive, f"customer-{found.id}.zip", "application/zip")


@bp.route("/customers/<int:customer_id>/erase", methods=["GET", "POST"])
@roles_required(MANAGER)
def erase_customer(customer_id: int):
    found = _customer(customer_id)
    form = EraseForm()
    if form.validate_on_submit():
        if form.confirm.data.strip() != "ERASE":
            form.confirm.errors.append(_("Type ERASE in capitals to confirm."))
        else:
            with submitted() as done:
                privacy.erase_customer(current_user, found)
            if done:
                flash(_("The customer's personal data is erased."), "success")
            return redirect(url_for("customers.customer", customer_id=found.id))
    return render_template("customers/erase.html", customer=found, form=form), form_status()


@bp.route("/customers/<int:customer_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE)
def edit_customer(customer_id: int):
    found = _customer(customer_id)
    region = current_settings().phone_region
    form = CustomerForm(obj=services.customer_input(found, region))
    if request.method == "GET":
        form.version.data = found.version
    if form.validate_on_submit():
        with submitted(form) as done:
            services.update_customer(
                current_user,
                found,
                form_data(services.CustomerInput, form),
                region,
                version=form.version_number(),
            )
        if done:
            flash(_("Saved."), "success")
            return redirect(url_for("customers.customer", customer_id=found.id))
    return render_template("customers/customer_form.html", form=form, customer=found), form_status()


@bp.route("/customers/<int:customer_id>/vehicles/new", methods=["GET", "POST"])
@roles_required(*WRITE)
def new_vehicle(customer_id: int):
    owner = _customer(customer_id)
    form = NewVehicleForm()
    if form.validate_on_submit():
        data = form_data(services.VehicleInput, form)
        with submitted(form) as done:
            vehicle = services.register_vehicle(current_user, owner, data)
        if done:
            for warning in data.warnings:
                flash(warning, "warning")
            flash(_("Vehicle %(plate)s registered.", plate=vehicle.plate), "success")
            return redirect(url_for("customers.customer", customer_id=owner.id))
    return render_template(
        "customers/vehicle_form.html", form=form, customer=owner, vehicle=None
    ), form_status()


@bp.route("/vehicles", methods=["GET", "POST"])
@roles_required(*VEHICLE_READ)
@searchable
def vehicles():
    q = searched_text(100)
    stmt = services.vehicle_search(current_user.site_id, q)
    pagination = paginate(stmt, 25)
    return render_template("customers/vehicles.html", pagination=pagination, q=q)


@bp.get("/vehicles/<int:vehicle_id>")
@roles_required(*VEHICLE_READ)
def vehicle(vehicle_id: int):
    found = _vehicle(vehicle_id)
    return render_template("customers/vehicle.html", vehicle=found, odometer_form=OdometerForm())


@bp.route("/vehicles/<int:vehicle_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE)
def edit_vehicle(vehicle_id: int):
    found = _vehicle(vehicle_id)
    form = VehicleForm(obj=found)
    if form.validate_on_submit():
        data = form_data(services.VehicleInput, form)
        with submitted(form) as done:
            services.update_vehicle(current_user, found, data, version=form.version_number())
        if done:
            for warning in data.warnings:
                flash(warning, "warning")
            flash(_("Saved."), "success")
            return redirect(url_for("customers.vehicle", vehicle_id=found.id))
    return render_template(
        "customers/vehicle_form.html", form=form, customer=found.customer, vehicle=found
    ), form_status()


@bp.post("/vehicles/<int:vehicle_id>/odometer")
@roles_required(*WRITE)
def record_odometer(vehicle_id: int):
    found = _vehicle(vehicle_id)
    form = OdometerForm()
    if form.validate_on_submit():
        with submitted(form, {"odometer_km": "reading_km"}) as done:
            services.record_odometer(
                current_user,
                found,
                form.reading_km.data,
                correction=form.correction.data,
                reason=form.reason.data,
            )
        if done:
            flash(_("Odometer reading recorded."), "success")
            return redirect(url_for("customers.vehicle", vehicle_id=found.id))
    return render_template("customers/vehicle.html", vehicle=found, odometer_form=form), 422


@bp.route("/vehicles/<int:vehicle_id>/transfer", methods=["GET", "POST"])
@roles_required(*WRITE)
@searchable
def transfer(vehicle_id: int):
    found = _vehicle(vehicle_id)
    form = TransferForm()
    if form.validate_on_submit():
        new_owner = _customer(form.customer_id.data)
        with submitted() as done:
            services.transfer_vehicle(current_user, found, new_owner, form.note.data)
        if done:
            flash(_("The vehicle now belongs to %(name)s.", name=new_owner.name), "success")
            return redirect(url_for("customers.vehicle", vehicle_id=found.id))
    q = searched_text(100)
    candidates = []
    if q:
        stmt = services.customer_search(current_user.site_id, q, current_settings().phone_region)
        candidates = db.session.scalars(stmt.limit(20)).all()
    return render_template(
        "customers/transfer.html", vehicle=found, q=q, candidates=candidates, form=form
    )
