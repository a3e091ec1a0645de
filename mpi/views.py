"""The manager's pages of inspection templates: the list, and one template with its items
as rows to change, remove or add."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import Translated
from dealer.roles import MANAGER
from mpi import templates
from mpi.models import InspectionTemplate
from mpi.vocabulary import ItemGroup, Worse

bp = Blueprint("mpi", __name__)

BLANK_ROWS = 5
FIELDS = ("code", "group", "label", "label_zh", "unit", "worse", "yellow_at", "red_at")


def _rows(form) -> list[dict]:
    """The item rows as sent, in order: filled rows not marked for removal."""
    count = min(int(form.get("rows", "0") or 0), templates.MAX_ITEMS + BLANK_ROWS)
    rows = []
    for n in range(count):
        row = {name: form.get(f"items-{n}-{name}", "").strip() for name in FIELDS}
        if form.get(f"items-{n}-remove") or not (row["code"] or row["label"]):
            continue
        rows.append(row)
    return rows


def _page(found: InspectionTemplate | None, rows: list[dict], errors: dict | None = None):
    rows = rows + [dict.fromkeys(FIELDS, "") for _ in range(BLANK_ROWS)]
    return render_template(
        "mpi/template.html",
        template=found,
        rows=rows,
        errors=errors or {},
        values=request.form,
        form=EmptyForm(),
        groups=Translated(ItemGroup.labels()),
        worse=Translated(Worse.labels()),
    ), 422 if errors else 200


def _save(found: InspectionTemplate | None):
    rows = _rows(request.form)
    version = request.form.get("version", "")
    try:
        made = templates.save_template(
            current_user,
            current_user.site_id,
            name=request.form.get("name", ""),
            name_zh=request.form.get("name_zh"),
            is_default=bool(request.form.get("is_default")),
            items=[templates.ItemInput(**row) for row in rows],
            template=found,
            version=int(version) if version.isdigit() else None,
        )
    except DomainError as exc:
        db.session.rollback()
        flash(_("The template is not saved: see the marked fields."), "danger")
        return _page(found, rows, {name: str(message) for name, message in exc.errors})
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else changed the template meanwhile. Look again and retry."), "danger")
        return redirect(request.url)
    db.session.commit()
    flash(_("Template saved."), "success")
    return redirect(url_for("mpi.template", template_id=made.id))


def _number(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


@bp.get("/inspection-templates")
@roles_required(MANAGER)
def template_list():
    return render_template("mpi/templates.html", found=templates.templates_of(current_user.site_id))


@bp.route("/inspection-templates/new", methods=["GET", "POST"])
@roles_required(MANAGER)
def new_template():
    if request.method == "POST" and EmptyForm().validate_on_submit():
        return _save(None)
    return _page(None, [])


@bp.route("/inspection-templates/<int:template_id>", methods=["GET", "POST"])
@roles_required(MANAGER)
def template(template_id: int):
    found = db.session.get(InspectionTemplate, template_id)
    if found is None or found.site_id != current_user.site_id:
        abort(404)
    if request.method == "POST" and EmptyForm().validate_on_submit():
        return _save(found)
    rows = [
        {
            "code": item.code,
            "group": item.item_group,
            "label": item.label,
            "label_zh": item.label_zh,
            "unit": item.unit or "",
            "worse": item.worse or "",
            "yellow_at": _number(item.yellow_at),
            "red_at": _number(item.red_at),
        }
        for item in found.items
    ]
    return _page(found, rows)
