"""Service Desk: the after-sales service system of a car dealership.

``dealer`` is the base every department stands on (see the README's architecture). Its
``create_app`` builds the application: configuration, extensions, every package's
blueprints and commands, error handlers, request hooks, and the hooks by which a lower
floor lets a higher one react. It is the one module that imports upward.
"""

from dealer.config import INSTANCE, ROOT, Config, from_environment, secret_key_from_instance
from dealer.web import RecordId

__all__ = ["create_app"]


def create_app(config: dict | None = None):
    """Build the Flask application; ``config`` overrides everything (tests)."""
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.url_map.converters["int"] = RecordId
    app.config.from_object(Config)
    app.config.update(from_environment(INSTANCE))
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key_from_instance(INSTANCE)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_pdf_font(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    register_hooks()
    return app


def register_hooks() -> None:
    """Connect the explicit hooks by which a lower floor lets a higher one react (see
    ``dealer.hooks``); this is the one place where they are connected:

    - stock arriving at the parts counter goes to the workshop's jobs waiting for it;
    - a delivery refreshes the customer's VIP figures and plans the callbacks (care);
    - an order's move tells its customer by message, with the order's link (care);
    - a booking made, moved or missed tells its customer, with the booking's link (care);
    - an inspection released by the advisor tells the customer, with the order's link (care);
    - a warranty-paid job done drafts its warranty claim; a delivery closes the campaigns
      whose job it did for the car (warranty);
    - wherever the desk meets a car, its open campaigns and three-guarantee warnings are
      shown, and the API's vehicle record carries them (warranty);
    - the customer's export and erasure reach what the work orders and care keep of the
      person;
    - the background worker runs care's periodic work (sending messages, daily planning, the
      bookings' evening run).
    """
    from care import booking_notices, notices, planning, tasks
    from care import privacy as care_privacy
    from customers import notices as vehicle_notices
    from customers import privacy
    from dealer import worker
    from diary import booking
    from mpi import inspecting
    from parts import stock
    from warranty import campaigns, claims, sanbao
    from workorders import privacy as order_privacy
    from workorders import services as workorders

    stock.stock_arrived.connect(workorders.reserve_for_waiting_jobs)
    workorders.order_delivered.connect(planning.after_delivery)
    workorders.order_moved.connect(notices.after_move)
    booking.appointment_changed.connect(booking_notices.after_change)
    inspecting.inspection_released.connect(notices.after_release)
    workorders.job_done.connect(claims.draft_for)
    workorders.order_delivered.connect(campaigns.after_delivery)
    vehicle_notices.vehicle_notices.connect(campaigns.vehicle_notices)
    vehicle_notices.vehicle_notices.connect(sanbao.vehicle_notices)
    vehicle_notices.vehicle_facts.connect(campaigns.vehicle_facts)
    vehicle_notices.vehicle_facts.connect(sanbao.vehicle_facts)
    privacy.ERASERS.connect(order_privacy.erase_work_order_data)
    privacy.ERASERS.connect(care_privacy.erase_care_data)
    privacy.EXPORTERS.connect(order_privacy.export_work_order_data)
    privacy.EXPORTERS.connect(care_privacy.export_care_data)
    worker.SCHEDULES.connect(tasks.schedule)


def register_extensions(app) -> None:
    """Bind the database, migrations, login, CSRF and translations to the app."""
    import care.models  # noqa: F401  (every table in the metadata)
    import customers.models  # noqa: F401
    import diary.models  # noqa: F401
    import mpi.models  # noqa: F401
    import parts.models  # noqa: F401
    import warranty.models  # noqa: F401
    import workorders.models  # noqa: F401
    from dealer import audit, database  # noqa: F401  (install the audit and SQLite listeners)
    from dealer.database import include_schema_object
    from dealer.extensions import babel, csrf, db, login_manager, migrate
    from dealer.i18n import install_template_gettext, select_locale, select_timezone
    from dealer.types import render_migration_type

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        render_item=render_migration_type,
        include_object=include_schema_object,
    )
    login_manager.init_app(app)
    login_manager.login_view = "dealer.login"
    login_manager.session_protection = "basic"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)


def register_pdf_font(app) -> None:
    """Find and register the documents' CJK font once, at start-up; the settings page shows it."""
    from dealer import pdf

    app.extensions["pdf_font"] = pdf.register_font(app.config.get("PDF_CJK_FONT"))


def register_blueprints(app) -> None:
    """Register the pages and the JSON API of every package, floor by floor."""
    from care import api as care_api
    from care import (
        book_api,  # noqa: F401  (routes)
        booking_pages,
        desk,  # noqa: F401  (routes)
        links_api,  # noqa: F401  (routes)
        messages_api,  # noqa: F401  (routes)
        webhooks,
    )
    from care import public as care_public
    from care import views as care_views
    from customers import api as customers_api
    from customers import views as customers_views
    from dealer import api as dealer_api
    from dealer import views as dealer_views
    from dealer.extensions import csrf
    from dealer.openapi import check_model_names
    from diary import api as diary_api
    from diary import views as diary_views
    from mpi import api as mpi_api
    from mpi import tablet  # noqa: F401  (routes)
    from mpi import views as mpi_views
    from parts import api as parts_api
    from parts import views as parts_views
    from reports import api as reports_api
    from reports import views as reports_views
    from warranty import api as warranty_api
    from warranty import views as warranty_views
    from workorders import api as workorders_api
    from workorders import estimate_views, jobs_api, views, workshop_views  # noqa: F401  (routes)
    from workorders import pages as workorders_views

    for package_views, package_api in (
        (dealer_views, dealer_api),
        (customers_views, customers_api),
        (parts_views, parts_api),
        (workorders_views, workorders_api),
        (diary_views, diary_api),
        (mpi_views, mpi_api),
        (warranty_views, warranty_api),
        (care_views, care_api),
        (reports_views, reports_api),
    ):
        app.register_blueprint(package_views.bp)
        csrf.exempt(package_api.bp)
        app.register_blueprint(package_api.bp)
    csrf.exempt(webhooks.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(care_public.bp)
    app.register_blueprint(booking_pages.bp)
    check_model_names()


def register_errorhandlers(app) -> None:
    """Answer errors with a page, or with problem+json under /api/."""
    from flask import render_template, request
    from flask_wtf.csrf import CSRFError
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError
    from werkzeug.exceptions import HTTPException, InternalServerError

    from dealer.apikit import (
        API_PREFIX,
        CONCURRENT_CHANGE,
        TITLES,
        domain_problem,
        http_problem,
        problem,
    )
    from dealer.errors import DomainError
    from dealer.extensions import db

    def wants_problem() -> bool:
        return request.path.startswith(API_PREFIX + "/") or request.path == API_PREFIX

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        return render_template("error.html", code=400, csrf=True), 400

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if wants_problem():
            return http_problem(exc)
        return render_template("error.html", code=exc.code), exc.code

    @app.errorhandler(DomainError)
    def domain_error(exc):
        db.session.rollback()
        if wants_problem():
            return domain_problem(exc)
        return render_template("error.html", code=exc.status, message=str(exc)), exc.status

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def concurrent_change(exc):
        db.session.rollback()
        if wants_problem():
            return problem(409, TITLES[409], CONCURRENT_CHANGE)
        return render_template("error.html", code=409), 409

    @app.errorhandler(Exception)
    def unexpected(exc):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if wants_problem():
            return http_problem(InternalServerError())
        return render_template("error.html", code=500), 500


CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register_request_hooks(app) -> None:
    """Session timeouts before each request; security headers after."""
    from dealer.auth import enforce_session_timeouts
    from dealer.database import declare_write_intent, end_reading, forget_write_intent
    from dealer.web import limit_body_size, refuse_nul_characters

    # First of all, before CSRF protection reads the form: an oversized body is never read.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_body_size)
    app.before_request(refuse_nul_characters)
    app.before_request(declare_write_intent)
    app.teardown_request(forget_write_intent)
    # Registered after Flask-SQLAlchemy's, so run before it closes the session.
    app.teardown_appcontext(end_reading)
    app.before_request(enforce_session_timeouts)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if not response.mimetype.startswith(
            ("text/css", "application/javascript", "text/javascript", "image/", "font/")
        ):
            headers["Cache-Control"] = "no-store"
        return response


def register_template_helpers(app) -> None:
    """Filters and globals the templates use."""
    from customers.notices import notices_for, notices_of
    from dealer import i18n
    from dealer.roles import LABELS
    from dealer.web import csrf_field, main_menu, search_arguments
    from warranty.claims import old_parts_due

    app.jinja_env.filters.update(
        money=i18n.money,
        qty=i18n.qty,
        localtime=i18n.localtime,
        localdate=i18n.localdate,
        phone=i18n.phone,
        phone_full=i18n.phone_full,
        shown=i18n.in_language,
    )
    app.jinja_env.globals.update(
        role_labels=LABELS,
        html_lang=i18n.html_lang,
        dealer_settings=i18n.current_settings,
        search_arguments=search_arguments,
        csrf_field=csrf_field,
        main_menu=main_menu,
        notices_of=notices_of,
        notices_for=notices_for,
        old_parts_due=old_parts_due,
    )


def register_commands(app) -> None:
    """Add each package's command-line tools: ``users``, ``tokens``, ``backup`` and
    ``restore`` (dealer), ``parts``, ``callbacks`` and ``vip`` (care), ``demo-data``."""
    from care.cli import callbacks_cli, outbox_cli, vip_cli
    from dealer.cli import (
        backup_command,
        restore_command,
        take_write_lock_first,
        tokens_cli,
        users_cli,
        worker_command,
    )
    from demo.cli import demo_data_command
    from parts.cli import parts_cli

    for command in (
        users_cli,
        tokens_cli,
        backup_command,
        restore_command,
        parts_cli,
        callbacks_cli,
        vip_cli,
        outbox_cli,
        demo_data_command,
    ):
        take_write_lock_first(command)
        app.cli.add_command(command)
    app.cli.add_command(worker_command)
