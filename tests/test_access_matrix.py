"""The access-control matrix: every route and API endpoint, found from the app's URL map,
answers every role and anonymous users as one declared table says. A new route missing from
the table fails here, as does a route whose roles drift from it."""

import re

import pytest

from dealer import services
from dealer.extensions import db
from tests.conftest import sign_in
from tests.factories import make_user

ROLES = ("advisor", "technician", "inspector", "parts", "callback", "warranty", "manager")
PUBLIC = "public"
SIGNED = "signed"
"""Open to anyone who signs the body with the gateway's secret (the webhooks): without the
signature every caller, signed in or not, is refused."""
STAFF = frozenset(ROLES)
MANAGER = frozenset({"manager"})
DESK = frozenset({"advisor", "manager"})
CARE = frozenset({"advisor", "callback", "manager"})
AGENTS = frozenset({"callback", "manager"})
PARTS = frozenset({"parts", "manager"})
WORKSHOP = frozenset({"advisor", "technician", "manager"})
TECH = frozenset({"technician", "manager"})
QC = frozenset({"inspector", "manager"})
PAPERS = frozenset({"advisor", "inspector", "manager"})
JOBS_AND_PARTS = frozenset({"advisor", "technician", "parts", "manager"})
DESK_AND_PARTS = frozenset({"advisor", "parts", "manager"})
ORDER_WORK = frozenset({"advisor", "technician", "inspector", "manager"})
STOCK_ISSUE = frozenset({"technician", "parts", "manager"})
CLAIMS = frozenset({"warranty", "manager"})
RECALLS = frozenset({"advisor", "warranty", "manager"})
SHELF = frozenset({"parts", "warranty", "manager"})

MATRIX = {
    "warranty.campaign_list": RECALLS,
    "warranty.new_campaign": CLAIMS,
    "warranty.import_campaigns": CLAIMS,
    "warranty.campaign": RECALLS,
    "warranty.add_vins": CLAIMS,
    "warranty.add_campaign_job": DESK,
    "warranty.claim_list": CLAIMS,
    "warranty.export_claims": CLAIMS,
    "warranty.claim": CLAIMS,
    "warranty.claim_step": CLAIMS,
    "warranty.tag_part": SHELF,
    "warranty.claim_pdf": CLAIMS,
    "warranty.old_parts": SHELF,
    "warranty.settle_tag": SHELF,
    "warranty.sanbao_record": RECALLS,
    "warranty.repair_record": RECALLS,
    "warranty.at_risk": RECALLS,
    "warranty.settings": CLAIMS,
    "warranty_api.list_campaigns": STAFF,
    "warranty_api.post_campaign": CLAIMS,
    "warranty_api.post_vins": CLAIMS,
    "warranty_api.post_campaign_job": DESK,
    "warranty_api.list_claims": CLAIMS,
    "warranty_api.export_claims": CLAIMS,
    "warranty_api.get_claim": CLAIMS,
    "warranty_api.patch_claim": CLAIMS,
    "warranty_api.submit_claim": CLAIMS,
    "warranty_api.accept_claim": CLAIMS,
    "warranty_api.reject_claim": CLAIMS,
    "warranty_api.pay_claim": CLAIMS,
    "care.assign": MANAGER,
    "care.book": CARE,
    "care.call_list": AGENTS,
    "care.call_list_pdf": AGENTS,
    "care.callback": AGENTS,
    "care.callback_rules": MANAGER,
    "care.complaint": CARE,
    "care.complaint_action": CARE,
    "care.complaints": CARE,
    "care.dossier": CARE,
    "care.new_complaint": CARE,
    "care.take": AGENTS,
    "care.send_link": DESK,
    "care.revoke_links": DESK,
    "care.message_texts": MANAGER,
    "care.message_text": MANAGER,
    "care.vip_action": MANAGER,
    "care.vip_archive": CARE,
    "care_api.get_complaint": CARE,
    "care_api.get_dossier": CARE,
    "care_api.list_callbacks": AGENTS,
    "care_api.list_complaints": CARE,
    "care_api.list_messages": CARE,
    "diary_api.get_availability": CARE,
    "diary_api.post_appointment": CARE,
    "diary_api.list_appointments": CARE,
    "diary_api.get_appointment": CARE,
    "diary_api.patch_appointment": CARE,
    "diary_api.post_arrival": DESK,
    "diary.day": CARE,
    "diary.set_status": CARE,
    "diary.move": CARE,
    "diary.arrive": DESK,
    "diary.book": CARE,
    "diary.week": CARE,
    "mpi.template_list": MANAGER,
    "mpi.new_template": MANAGER,
    "mpi.template": MANAGER,
    "mpi_api.get_templates": STAFF,
    "mpi_api.post_template": MANAGER,
    "mpi_api.post_mpi": WORKSHOP,
    "mpi_api.get_mpi": STAFF,
    "mpi_api.patch_item": WORKSHOP,
    "mpi_api.post_item_photo": WORKSHOP,
    "mpi_api.post_complete": WORKSHOP,
    "mpi.inspection": WORKSHOP,
    "mpi.start_inspection": WORKSHOP,
    "mpi.record_item": WORKSHOP,
    "mpi.add_photo": WORKSHOP,
    "mpi.photo": WORKSHOP,
    "mpi.complete": WORKSHOP,
    "mpi.release": DESK,
    "mpi.inspection_pdf": WORKSHOP,
    "mpi_api.get_inspection_pdf": PAPERS,
    "links.inspection_photo": PUBLIC,
    "diary.pick_list": DESK_AND_PARTS,
    "diary.register_car": CARE,
    "dealer.staff_absence": MANAGER,
    "dealer.remove_absence": MANAGER,
    "care_api.post_link": DESK,
    "care_api.post_revoke_links": DESK,
    "care_api.get_link": PUBLIC,
    "care_api.post_link_decision": PUBLIC,
    "links.page": PUBLIC,
    "links.decide": PUBLIC,
    "links.answer": PUBLIC,
    "links.photo": PUBLIC,
    "links.settlement": PUBLIC,
    "care_api.post_verify": PUBLIC,
    "care_api.post_online_appointment": PUBLIC,
    "booking.start": PUBLIC,
    "booking.verify": PUBLIC,
    "booking.times": PUBLIC,
    "booking.manage": PUBLIC,
    "booking.cancel": PUBLIC,
    "booking.again": PUBLIC,
    "webhooks.sms_inbound": SIGNED,
    "webhooks.sms_status": SIGNED,
    "care_api.list_vip": CARE,
    "care_api.post_attempt": AGENTS,
    "care_api.post_complaint": CARE,
    "care_api.post_handover": CARE,
    "care_api.post_reply": CARE,
    "care_api.post_resolve": CARE,
    "care_api.post_take": AGENTS,
    "customers.customer": CARE,
    "customers.edit_customer": DESK,
    "customers.edit_vehicle": DESK,
    "customers.erase_customer": MANAGER,
    "customers.export_customer": MANAGER,
    "customers.new_customer": DESK,
    "customers.new_vehicle": DESK,
    "customers.record_odometer": DESK,
    "customers.reveal_phone": CARE,
    "customers.search": CARE,
    "customers.transfer": DESK,
    "customers.vehicle": WORKSHOP,
    "customers.vehicles": WORKSHOP,
    "customers_api.create_customer": DESK,
    "customers_api.create_vehicle": DESK,
    "customers_api.get_customer": CARE,
    "customers_api.get_vehicle": WORKSHOP,
    "customers_api.list_customers": CARE,
    "customers_api.list_vehicles": WORKSHOP,
    "customers_api.patch_customer": DESK,
    "customers_api.patch_vehicle": DESK,
    "customers_api.post_odometer": DESK,
    "customers_api.reveal_phone": CARE,
    "dealer.account": STAFF,
    "dealer.audit_log": MANAGER,
    "dealer.choose_language": PUBLIC,
    "dealer.healthz": PUBLIC,
    "dealer.login": PUBLIC,
    "dealer.logout": STAFF,
    "dealer.readyz": PUBLIC,
    "dealer.settings": MANAGER,
    "dealer.staff_action": MANAGER,
    "dealer.staff_edit": MANAGER,
    "dealer.staff_list": MANAGER,
    "dealer.staff_new": MANAGER,
    "dealer.staff_password": MANAGER,
    "dealer.working_calendar": MANAGER,
    "dealer_api.get_me": STAFF,
    "dealer_api.get_settings": STAFF,
    "dealer_api.list_audit": MANAGER,
    "dealer_api.openapi": PUBLIC,
    "parts.adjust": PARTS,
    "parts.edit_part": PARTS,
    "parts.export_parts": DESK_AND_PARTS,
    "parts.import_parts": PARTS,
    "parts.new_part": PARTS,
    "parts.part": DESK_AND_PARTS,
    "parts.receive": PARTS,
    "parts.stock_list": DESK_AND_PARTS,
    "parts_api.get_part": JOBS_AND_PARTS,
    "parts_api.list_movements": JOBS_AND_PARTS,
    "parts_api.list_parts": JOBS_AND_PARTS,
    "parts_api.post_adjustment": PARTS,
    "parts_api.post_part": PARTS,
    "parts_api.post_receipt": PARTS,
    "reports.dashboard": MANAGER,
    "reports.home": STAFF,
    "reports.repair_archive": DESK,
    "reports.report": MANAGER,
    "reports.report_csv": MANAGER,
    "reports_api.get_repair_archive": DESK,
    "reports_api.get_summary": MANAGER,
    "workorders.add_canned": DESK,
    "workorders.add_discount": DESK,
    "workorders.add_job": WORKSHOP,
    "workorders.add_part": JOBS_AND_PARTS,
    "workorders.add_payment": DESK,
    "workorders.add_special_order": DESK_AND_PARTS,
    "workorders.approve_job": DESK,
    "workorders.assign_job": DESK,
    "workorders.authorize": DESK,
    "workorders.board": WORKSHOP,
    "workorders.board_partial": WORKSHOP,
    "workorders.canned_jobs": MANAGER,
    "workorders.comeback": DESK,
    "workorders.decide_part_request": DESK,
    "workorders.document": PAPERS,
    "workorders.excuse_no_clock": DESK,
    "workorders.findings": WORKSHOP,
    "workorders.handover": DESK,
    "workorders.intake": DESK,
    "workorders.job_action": TECH,
    "workorders.move": STAFF,
    "workorders.new_order": DESK,
    "workorders.notify": DESK,
    "workorders.order": STAFF,
    "workorders.orders": STAFF,
    "workorders.part_line_action": PARTS,
    "workorders.photo": STAFF,
    "workorders.promise": DESK,
    "workorders.pull_booked_work": DESK,
    "workorders.quality_check": QC,
    "workorders.toggle_canned": MANAGER,
    "workorders.upload_photo": DESK,
    "workorders.waiting_for_parts": DESK_AND_PARTS,
    "workorders_api.approve_job": DESK,
    "workorders_api.create_authorization": DESK,
    "workorders_api.create_comeback": DESK,
    "workorders_api.create_job": WORKSHOP,
    "workorders_api.create_order": DESK,
    "workorders_api.create_part_line": JOBS_AND_PARTS,
    "workorders_api.create_quality_check": QC,
    "workorders_api.create_special_order_line": DESK_AND_PARTS,
    "workorders_api.get_document": PAPERS,
    "workorders_api.get_order": STAFF,
    "workorders_api.get_photo": STAFF,
    "workorders_api.get_promise": DESK,
    "workorders_api.job_clock_off": TECH,
    "workorders_api.job_clock_on": TECH,
    "workorders_api.job_complete": TECH,
    "workorders_api.list_canned": DESK,
    "workorders_api.list_jobs": ORDER_WORK,
    "workorders_api.list_orders": STAFF,
    "workorders_api.patch_job": DESK,
    "workorders_api.patch_order": DESK,
    "workorders_api.post_canned": MANAGER,
    "workorders_api.post_discount": DESK,
    "workorders_api.post_findings": WORKSHOP,
    "workorders_api.post_handover": DESK,
    "workorders_api.post_issue": STOCK_ISSUE,
    "workorders_api.post_no_clock_reason": DESK,
    "workorders_api.post_notification": DESK,
    "workorders_api.post_part_request_decision": DESK,
    "workorders_api.post_payment": DESK,
    "workorders_api.post_photo": DESK,
    "workorders_api.post_return": PARTS,
    "workorders_api.post_transition": STAFF,
    "workorders_api.put_inspection": DESK,
    "workorders_api.use_canned": DESK,
}
"""Who may use each endpoint: the roles, or everyone (``public``)."""

MISSING_ID = "999999"


def url(rule) -> str:
    """A URL matching ``rule``, naming records that do not exist."""
    path = re.sub(r"<int:\w+>", MISSING_ID, rule.rule)
    path = re.sub(r"<any\(([^,)]+)[^>]*\):\w+>", lambda m: m.group(1).strip("'\" "), path)
    return re.sub(r"<\w+>", "x", path)


def routes(app):
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url(rule), rule.rule.startswith("/api/")))
    # Signing out ends the session the other requests run in: it goes last.
    return sorted(found, key=lambda r: r[0] == "dealer.logout")


def test_every_endpoint_is_in_the_declared_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()} - {"static"}
    assert sorted(endpoints - set(MATRIX)) == [], "routes missing from the access matrix"
    assert sorted(set(MATRIX) - endpoints) == [], "the matrix names routes that are gone"


def test_the_declared_roles_are_the_ones_each_view_enforces(app):
    for endpoint, allowed in MATRIX.items():
        declared = app.view_functions[endpoint].allowed_roles
        assert declared == (PUBLIC if allowed == SIGNED else allowed), endpoint


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_gets_in_exactly_where_the_table_says(app, role):
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    headers = {}
    if role is not None:
        user = make_user(roles=[role])
        assert sign_in(client, user.username).status_code == 302
        _, token = services.create_token(user)
        db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}
    wrong = []
    for endpoint, method, path, api in routes(app):
        allowed = MATRIX[endpoint]
        response = client.open(path, method=method, headers=headers if api else {})
        status = response.status_code
        to_login = status == 302 and response.headers["Location"].startswith("/login")
        if allowed == PUBLIC:
            ok = status not in (401, 403) and not to_login
        elif allowed == SIGNED:
            ok = status == 403
        elif role is None:
            ok = status == 401 if api else (to_login if method == "GET" else status in (302, 401))
        elif role in allowed and endpoint == "dealer.logout":
            ok = to_login and client.get("/").status_code == 302
        elif role in allowed:
            ok = status not in (401, 403) and not to_login
        else:
            ok = status == 403
        if not ok:
            wrong.append((method, path, status))
    assert wrong == [], wrong


def test_a_technician_reaches_only_orders_with_their_jobs(app, client, token_for):
    from tests.factories import make_authorized_job
    from workorders import services as wo

    advisor = make_user(roles=["advisor"])
    mine, theirs = make_user(roles=["technician"]), make_user(roles=["technician"])
    own_order, own_job = make_authorized_job(advisor=advisor, title="Own job")
    other_order, other_job = make_authorized_job(advisor=advisor, title="Other job")
    wo.assign_job(advisor, own_job, mine)
    wo.assign_job(advisor, other_job, theirs)
    db.session.commit()
    assert sign_in(client, mine.username).status_code == 302
    _, token = services.create_token(mine)
    db.session.commit()
    api = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/work-orders/{own_order.id}").status_code == 200
    assert client.get(f"/work-orders/{other_order.id}").status_code == 404
    assert client.get(f"/api/v1/work-orders/{own_order.id}", headers=api).status_code == 200
    assert client.get(f"/api/v1/work-orders/{other_order.id}", headers=api).status_code == 404
    listed = client.get("/api/v1/work-orders", headers=api).json["items"]
    assert [o["number"] for o in listed] == [own_order.number]
    page = client.get("/work-orders").get_data(as_text=True)
    assert own_order.number in page and other_order.number not in page
    clock = client.post(f"/api/v1/jobs/{other_job.id}/clock-on", headers=api)
    assert clock.status_code in (403, 404)
