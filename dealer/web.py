"""Helpers the pages of every package share."""

import dataclasses
import secrets
from datetime import timedelta
from functools import wraps

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import IntegerConverter

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import SavedSearch
from dealer.types import utcnow


class RecordId(IntegerConverter):
    """``<int:...>`` in a URL: an id no larger than the database's integer, so an id past
    it is a missing page (404), never a query the database refuses."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


SEARCH_KEPT = timedelta(days=1)


def searchable(view):
    """A list page searched through a POSTed form: the text is kept server-side and the
    page is shown under ``?search=<token>``, so what was typed (a name, a phone number, a
    plate) never shows in the address bar, the browser's history or an access log."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if request.method == "POST" and "q" in request.form:
            return _save_search()
        return view(*args, **kwargs)

    return wrapped


def _save_search() -> Response:
    text = request.form["q"].strip()[:200]
    arguments = {k: v for k, v in request.args.items() if k not in ("q", "search", "page")}
    arguments |= {k: v for k, v in request.form.items() if k not in ("q", "csrf_token")}
    if text:
        token = secrets.token_urlsafe(18)
        db.session.execute(
            db.delete(SavedSearch).where(
                SavedSearch.user_id == current_user.id, SavedSearch.at < utcnow() - SEARCH_KEPT
            )
        )
        db.session.add(SavedSearch(user_id=current_user.id, token=token, text=text))
        db.session.commit()
        arguments["search"] = token
    return redirect(url_for(request.endpoint, **(request.view_args or {}), **arguments), 303)


def searched_text(max_length: int) -> str:
    """The text a list page searches for: the one saved under ``?search=`` by its form, or a
    ``?q=`` typed into the address."""
    token = request.args.get("search", "")
    if token:
        text = db.session.scalar(
            select(SavedSearch.text).where(
                SavedSearch.token == token[:32], SavedSearch.user_id == current_user.id
            )
        )
        return (text or "")[:max_length]
    return request.args.get("q", "").strip()[:max_length]


def search_arguments() -> dict:
    """The arguments that keep a list's search on its other pages."""
    if request.args.get("search"):
        return {"search": request.args["search"]}
    if request.args.get("q"):
        return {"q": request.args["q"]}
    return {}


_MENUS: dict[tuple, Markup] = {}


def main_menu() -> Markup:
    """The links of the main menu for the signed-in person: the same for everyone holding
    the same roles in the same language, so each worker renders each such menu once."""
    roles = current_user.roles
    key = (roles, str(get_locale()), request.script_root)
    menu = _MENUS.get(key)
    if menu is None:
        html = render_template("_menu.html", holds=lambda *wanted: not roles.isdisjoint(wanted))
        # The output of an autoescaping template, whose only values are our own labels.
        menu = _MENUS[key] = Markup(html)  # nosec B704
    return menu


def csrf_field() -> Markup:
    """The hidden CSRF input of a form without a prefix, made once per request: a list
    with a small form on every row would otherwise render the same input again per row."""
    if "csrf_field" not in g:
        g.csrf_field = Markup(
            '<input id="csrf_token" name="csrf_token" type="hidden" value="{}">'
        ).format(generate_csrf())
    return g.csrf_field


def options_by_selection(pairs) -> dict:
    """The ``<option>`` tags of ``(value, label)`` pairs, rendered once for each value that
    may be the selected one: a list with the same choice on every row picks its row's
    rendering instead of building the options again."""
    pairs = [(value, str(label)) for value, label in pairs]
    tags = [Markup('<option value="{}">{}</option>').format(v, label) for v, label in pairs]
    chosen = [
        Markup('<option value="{}" selected>{}</option>').format(v, label) for v, label in pairs
    ]
    return {
        value: Markup("").join([*tags[:index], chosen[index], *tags[index + 1 :]])
        for index, (value, _label) in enumerate(pairs)
    }


def accepts_upload(view):
    """Mark a view (placed next to ``def``) as taking a file upload: its body may be as large
    as ``MAX_UPLOAD_BYTES``; every other route's is held to a form's or a JSON body's size."""
    view.accepts_upload = True
    return view


def uploaded_csv(file) -> str | None:
    """An uploaded CSV file's text (UTF-8, with or without the mark spreadsheets put first);
    ``None``, with the reason flashed, when it is not UTF-8."""
    try:
        return file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        flash(_("The file must be CSV in UTF-8."), "danger")
        return None


def body_limit() -> int:
    """How large the current request's body may be, by the kind of route."""
    config = current_app.config
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "accepts_upload", False):
        return config["MAX_UPLOAD_BYTES"]
    if request.endpoint == "dealer.login":
        return config["MAX_SIGN_IN_BYTES"]
    if request.path.startswith("/api/"):
        return config["MAX_JSON_BYTES"]
    return config["MAX_FORM_BYTES"]


def limit_body_size() -> None:
    """Refuse a body larger than the route takes with 413, before any of it is read."""
    limit = min(body_limit(), current_app.config["MAX_CONTENT_LENGTH"])
    request.max_content_length = limit
    if (request.content_length or 0) > limit:
        abort(413)


def refuse_nul_characters() -> None:
    """A query or form value with a NUL character is refused (400): no text field holds one,
    and PostgreSQL refuses it in a query."""
    for values in (request.args, request.form):
        for name, value in values.items(multi=True):
            if "\x00" in value or "\x00" in name:
                abort(400, description=f"{name}: text may not contain NUL characters.")


def show_errors(form: FlaskForm, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put an operation's ``(field, message)`` pairs on the form's fields, or flash them (a
    hidden field, such as the record's version, shows nothing: its message is flashed)."""
    aliases = aliases or {}
    for field_name, message in exc.errors:
        name = aliases.get(field_name, field_name).split(".")[0]
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors") and field.type != "HiddenField":
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.append(str(message))
        else:
            flash(str(message), "danger")


def get_or_404(model, ident, *, site_id: int | None = None):
    """Load a record by id, or answer 404 (also for a record of another site)."""
    obj = db.session.get(model, ident)
    if obj is None or (site_id is not None and getattr(obj, "site_id", site_id) != site_id):
        abort(404)
    return obj


def page_number() -> int:
    """The ``page`` query parameter, at least 1."""
    return max(1, min(request.args.get("page", 1, type=int) or 1, 100000))


PAGES_COUNTED_AHEAD = 40
"""How many pages past the one shown a list counts; beyond that it says "more than"."""


def paginate(stmt, per_page: int):
    """One page of ``stmt`` for a list page. A first page with room to spare holds all the
    rows there are, so only a full page or a later one costs a second query to count them,
    and that count stops a few pages ahead: ten years of orders are not counted to show
    page one. ``pagination.more`` says whether rows lie beyond those counted."""
    page = page_number()
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    pagination.more = False
    if page == 1 and len(pagination.items) < per_page:
        pagination.total = len(pagination.items)
    else:
        ceiling = (page + max(PAGES_COUNTED_AHEAD, 1)) * per_page
        counted = select(func.count()).select_from(
            stmt.order_by(None).limit(ceiling + 1).subquery()
        )
        total = db.session.execute(counted).scalar()
        pagination.more = total > ceiling
        pagination.total = min(total, ceiling)
    return pagination


def form_status() -> int:
    """The status of a form page: a POST that shows its form again was refused (422)."""
    return 422 if request.method == "POST" else 200


def form_data(cls, form: FlaskForm):
    """An operation's input dataclass, filled from the form fields of the same names."""
    names = [f.name for f in dataclasses.fields(cls) if f.name in form._fields]
    return cls(**{name: form[name].data for name in names})


def pdf_response(data: bytes, name: str) -> Response:
    """A PDF shown in the browser and never cached: it carries a customer's personal data."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def download(data: bytes, name: str, mimetype: str) -> Response:
    """A file to save, never cached."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def stored_file(path, mimetype: str, name: str) -> Response:
    """A file people uploaded, as an attachment (never shown as a page of this site, whatever
    is inside) and never cached."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


class submitted:
    """A form's operation as one transaction: on leaving the block the session commits; a
    ``DomainError`` raised inside rolls everything back, its messages go on the form's fields
    (or are flashed), and the block is left quietly. ``done`` is true when it committed.

        with submitted(form) as done:
            customer = services.create_customer(...)
        if done:
            flash(...)
            return redirect(...)
    """

    def __init__(self, form: FlaskForm | None = None, aliases: dict[str, str] | None = None):
        self.form, self.aliases, self.ok = form, aliases, False

    def __enter__(self) -> "submitted":
        return self

    def __exit__(self, kind, exc, traceback) -> bool:
        if kind is None:
            db.session.commit()
            self.ok = True
            return False
        if not issubclass(kind, DomainError):
            return False
        db.session.rollback()
        if self.form is None:
            for _field, message in exc.errors:
                flash(str(message), "danger")
        else:
            show_errors(self.form, exc, self.aliases)
        return True

    def __bool__(self) -> bool:
        return self.ok


def act(operation, done: str, *args, **kwargs):
    """Run an operation for the signed-in user: commit and say so, or roll back and say why."""
    try:
        result = operation(current_user, *args, **kwargs)
    except DomainError as exc:
        db.session.rollback()
        for _field, message in exc.errors:
            flash(str(message), "danger")
        return None
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(
            _("Someone else changed the same record at the same moment. Look again and retry."),
            "danger",
        )
        return None
    db.session.commit()
    flash(done, "success")
    return result
