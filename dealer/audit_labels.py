"""What the audit log shows a person: each record type and column by its label, and each
value as they would read it (times in the dealer's zone, yes or no, codes by their label)."""

import json
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from dealer.i18n import localdate, localtime
from dealer.vocabulary import Vocabulary

ENTITY_LABELS = {
    "customer": _l("Customer"),
    "vehicle": _l("Vehicle"),
    "vehicle_ownership": _l("Ownership"),
    "user": _l("Staff account"),
    "user_role": _l("Role"),
    "api_token": _l("API token"),
    "site": _l("Site"),
    "dealer_setting": _l("Settings"),
    "work_order": _l("Work order"),
    "job": _l("Job"),
    "part_line": _l("Part line"),
    "authorization": _l("Authorization"),
    "inspection": _l("Intake"),
    "inspection_version": _l("Intake version"),
    "inspection_photo": _l("Intake photo"),
    "quality_check": _l("Final inspection"),
    "payment": _l("Payment"),
    "discount": _l("Discount"),
    "time_clock": _l("Time clock"),
    "issued_document": _l("Issued paper"),
    "canned_job": _l("Common job"),
    "booked_work": _l("Booked work"),
    "part": _l("Part"),
    "callback": _l("Callback"),
    "call_attempt": _l("Call"),
    "complaint": _l("Complaint"),
    "message_template": _l("Message text"),
    "customer_link": _l("Customer's link"),
    "appointment": _l("Appointment"),
    "appointment_job": _l("Booked job"),
    "appointment_part": _l("Booked part"),
    "inspection_template": _l("Inspection template"),
    "inspection_template_item": _l("Inspection template item"),
    "mpi_inspection": _l("Multi-point inspection"),
    "mpi_item": _l("Inspection item"),
    "mpi_photo": _l("Inspection photo"),
    "absence": _l("Absence"),
}

FIELD_LABELS = {
    "id": _l("Number"),
    "version": _l("Version"),
    "site_id": _l("Site"),
    "customer_id": _l("Customer"),
    "vehicle_id": _l("Vehicle"),
    "work_order_id": _l("Work order"),
    "job_id": _l("Job"),
    "part_id": _l("Part"),
    "user_id": _l("Staff member"),
    "advisor_id": _l("Service advisor"),
    "technician_id": _l("Technician"),
    "inspector_id": _l("Inspector"),
    "assignee_id": _l("Assigned to"),
    "owner_id": _l("Owner"),
    "callback_id": _l("Callback"),
    "inspection_id": _l("Intake"),
    "source_job_id": _l("Declined job"),
    "comeback_of_id": _l("Comeback of"),
    "raised_from_callback_id": _l("Raised from callback"),
    "decided_by_authorization_id": _l("Decided by authorization"),
    "rebooked_from_id": _l("Booked from"),
    "recorded_by_id": _l("Recorded by"),
    "uploaded_by_id": _l("Uploaded by"),
    "booked_by_id": _l("Booked by"),
    "issued_by_id": _l("Issued by"),
    "created_by_id": _l("Created by"),
    "approved_by_id": _l("Approved by"),
    "received_by_id": _l("Received by"),
    "resolved_by_id": _l("Resolved by"),
    "requested_by_id": _l("Requested by"),
    "proposed_by_id": _l("Proposed by"),
    "completed_by_id": _l("Completed by"),
    "findings_by_id": _l("Findings by"),
    "notified_by_id": _l("Told by"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
    "at": _l("When"),
    "kind": _l("Kind"),
    "name": _l("Name"),
    "name_zh": _l("Name in Chinese"),
    "name_key": _l("Name for search"),
    "phone": _l("Phone"),
    "phone_digits": _l("Phone digits"),
    "alt_phone": _l("Other phone"),
    "email": _l("E-mail"),
    "address": _l("Address"),
    "contact_name": _l("Contact"),
    "contact_phone": _l("Contact phone"),
    "preferred_language": _l("Language"),
    "preferred_channel": _l("Preferred channel"),
    "preferred_time": _l("Preferred time"),
    "callback_consent": _l("Agrees to callbacks"),
    "marketing_consent": _l("Agrees to offers"),
    "birthday": _l("Birthday"),
    "notes": _l("Notes"),
    "note": _l("Note"),
    "vip_tier": _l("VIP tier"),
    "vip_manual": _l("VIP tier set by hand"),
    "vip_reason": _l("Why"),
    "spend_12m": _l("Spend, last 12 months"),
    "visits_12m": _l("Visits, last 12 months"),
    "lifetime_spend": _l("Spend in all"),
    "last_visit_at": _l("Last visit"),
    "erased_at": _l("Erased"),
    "vin": _l("VIN"),
    "frame_number": _l("Frame number"),
    "plate": _l("Plate"),
    "plate_key": _l("Plate for search"),
    "make": _l("Make"),
    "model": _l("Model"),
    "year": _l("Year"),
    "engine_number": _l("Engine number"),
    "colour": _l("Colour"),
    "vehicle_class": _l("Vehicle class"),
    "odometer_km": _l("Odometer (km)"),
    "service_interval_months": _l("Service interval (months)"),
    "service_interval_km": _l("Service interval (km)"),
    "last_service_at": _l("Last service"),
    "last_service_km": _l("Last service (km)"),
    "started_at": _l("Started"),
    "ended_at": _l("Ended"),
    "username": _l("Username"),
    "full_name": _l("Full name"),
    "password_hash": _l("Password"),
    "active": _l("Active"),
    "language": _l("Language"),
    "session_generation": _l("Sign-ins ended"),
    "last_login_at": _l("Last sign-in"),
    "role": _l("Role"),
    "label": _l("Label"),
    "token_hash": _l("Token"),
    "revoked_at": _l("Revoked"),
    "code": _l("Code"),
    "dealer_name": _l("Dealer name"),
    "tax_rate": _l("Tax rate"),
    "labor_tax_rate": _l("Labour tax rate"),
    "repair_dealer_number": _l("Repair licence number"),
    "calendar": _l("Working calendar"),
    "labor_rate": _l("Labour rate"),
    "currency": _l("Currency"),
    "time_zone": _l("Time zone"),
    "working_hours": _l("Working hours"),
    "phone_region": _l("Phone region"),
    "warranty_rules": _l("Warranty rules"),
    "estimate_valid_days": _l("Estimate valid for (days)"),
    "parts_lead_days": _l("Parts lead time (days)"),
    "discount_limit_percent": _l("Discount limit (%)"),
    "callback_rules": _l("Callback rules"),
    "vip_tiers": _l("VIP tiers"),
    "quiet_hours": _l("Quiet hours"),
    "care_contact": _l("Reminders and VIP care by"),
    "order_messages": _l("Messages about the car"),
    "event": _l("Event"),
    "text": _l("Text"),
    "updated_by_id": _l("Changed by"),
    "expires_at": _l("Expires"),
    "opened_at": _l("First opened"),
    "user_agent": _l("Browser"),
    "via": _l("Answered by"),
    "start_at": _l("Starts"),
    "end_at": _l("Ends"),
    "source": _l("Where booked"),
    "bays": _l("Bays and lifts"),
    "equipment": _l("Equipment"),
    "walk_in_share": _l("Share kept for walk-ins"),
    "skills": _l("Skills"),
    "skill": _l("Skill"),
    "appointment_id": _l("Appointment"),
    "appointment_reminder_at": _l("Booking reminders and pick list at"),
    "arrived_at": _l("Arrived"),
    "link_hash": _l("Customer's link"),
    "picked_at": _l("Parts picked"),
    "prospect": _l("Not yet confirmed by the desk"),
    "reminded_at": _l("Reminded"),
    "template_id": _l("Template"),
    "position": _l("Position"),
    "item_group": _l("System"),
    "label_zh": _l("Label in Chinese"),
    "worse": _l("Which way is worse"),
    "yellow_at": _l("Yellow at"),
    "red_at": _l("Red at"),
    "is_default": _l("Default"),
    "started_by_id": _l("Started by"),
    "item_id": _l("Item"),
    "uploaded_at": _l("Uploaded"),
    "measurement": _l("Measurement"),
    "recommendation": _l("Recommended work"),
    "checked_by_id": _l("Checked by"),
    "checked_at": _l("Checked"),
    "mpi_item_id": _l("Inspection item"),
    "safety": _l("Safety"),
    "canned_job_id": _l("Common job"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "number": _l("Number"),
    "status": _l("Status"),
    "received_at": _l("Received"),
    "odometer_in": _l("Odometer in"),
    "fuel_level": _l("Fuel level"),
    "concern": _l("Concern"),
    "promised_at": _l("Promised for"),
    "not_to_exceed": _l("Not to exceed"),
    "authorized_amount": _l("Authorized amount"),
    "return_old_parts": _l("Replaced parts back"),
    "comeback_cause": _l("Root cause"),
    "cancel_reason": _l("Reason for cancelling"),
    "notified_at": _l("Customer told"),
    "notified_how": _l("Told how"),
    "delivered_at": _l("Delivered"),
    "received_by": _l("Collected by"),
    "handover_signature": _l("Signature at handover"),
    "old_parts_returned": _l("Replaced parts handed back"),
    "odometer_out": _l("Odometer out"),
    "final_total": _l("Final total"),
    "hours_sold": _l("Hours sold"),
    "clocked_seconds": _l("Time clocked"),
    "parts_sales": _l("Parts sales"),
    "parts_cost": _l("Parts cost"),
    "declined_value": _l("Declined work"),
    "first_approved": _l("First approved"),
    "proposed_approved": _l("Extra work approved"),
    "proposed_decided": _l("Extra work decided"),
    "title": _l("Title"),
    "title_zh": _l("Title in Chinese"),
    "is_diagnosis": _l("Diagnosis"),
    "labor_hours": _l("Flat-rate hours"),
    "category": _l("Category"),
    "pay_type": _l("Paid by"),
    "requires_road_test": _l("Road test needed"),
    "waiting_for_parts": _l("Waiting for parts"),
    "warranty_claim_number": _l("Warranty claim number"),
    "sublet_vendor": _l("Sublet to"),
    "sublet_cost": _l("Sublet cost"),
    "sublet_price": _l("Sublet price"),
    "findings": _l("Findings"),
    "no_clock_reason": _l("Why no time is clocked"),
    "completed_at": _l("Completed"),
    "warranty_until": _l("Warranty until"),
    "warranty_until_km": _l("Warranty until (km)"),
    "part_number": _l("Part number"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "unit_price": _l("Unit price"),
    "unit_cost": _l("Unit cost"),
    "condition": _l("Condition"),
    "reserved_quantity": _l("Reserved"),
    "issued_quantity": _l("Issued"),
    "returned_quantity": _l("Returned"),
    "request_status": _l("Request"),
    "authorized_by": _l("Authorized by"),
    "method": _l("How"),
    "signature_file": _l("Signature"),
    "amount": _l("Amount"),
    "amount_added": _l("Amount added"),
    "approved_job_ids": _l("Jobs approved"),
    "declined_job_ids": _l("Jobs declined"),
    "supplementary": _l("Supplementary"),
    "panels": _l("Panels"),
    "warning_lights": _l("Warning lights"),
    "belongings": _l("Belongings"),
    "keys_count": _l("Keys"),
    "underbody": _l("Underbody"),
    "symptoms": _l("Symptoms"),
    "acknowledged_by": _l("Confirmed by"),
    "acknowledged_at": _l("Confirmed"),
    "recorded_at": _l("Recorded"),
    "record": _l("Record"),
    "panel": _l("Panel"),
    "path": _l("File"),
    "content_type": _l("File type"),
    "size": _l("Size"),
    "sha256": _l("Fingerprint"),
    "issued_at": _l("Issued"),
    "passed": _l("Passed"),
    "checklist": _l("Checklist"),
    "road_test_done": _l("Road test done"),
    "failed_job_ids": _l("Jobs to do again"),
    "change_given": _l("Change given back"),
    "payer": _l("Paid by"),
    "value": _l("Value"),
    "reason": _l("Reason"),
    "parts": _l("Parts"),
    "wanted_on": _l("Wanted on"),
    "booked_at": _l("Booked"),
    "pulled_at": _l("Added to an order"),
    "number_key": _l("Part number for search"),
    "brand": _l("Brand"),
    "genuine": _l("Genuine"),
    "on_hand": _l("On hand"),
    "reserved": _l("Reserved"),
    "reorder_point": _l("Reorder point"),
    "reorder_quantity": _l("Reorder quantity"),
    "bin_location": _l("Bin"),
    "special_order": _l("Special order"),
    "supplier": _l("Supplier"),
    "due_at": _l("Due"),
    "priority": _l("Priority"),
    "attempts": _l("Tries"),
    "plan_key": _l("Plan"),
    "outcome": _l("Outcome"),
    "closed_at": _l("Closed"),
    "satisfaction": _l("Satisfaction"),
    "answers": _l("Answers"),
    "channel": _l("Channel"),
    "description": _l("Description"),
    "first_reply_due": _l("First reply due"),
    "first_reply_at": _l("First reply"),
    "root_cause": _l("Root cause"),
    "resolution": _l("Resolution"),
    "resolved_at": _l("Resolved"),
}


def code_labels() -> dict[str, object]:
    """Every vocabulary's codes with their labels, from each vocabulary the app defines."""
    found = {}
    pending = list(Vocabulary.__subclasses__())
    while pending:
        vocabulary = pending.pop()
        pending.extend(vocabulary.__subclasses__())
        for code, label in vocabulary.labels().items():
            found.setdefault(code, label)
    return found


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ")


def entity_label(entity: str) -> str:
    label = ENTITY_LABELS.get(entity)
    return str(label) if label is not None else entity.replace("_", " ")


def shown_value(value, codes: dict) -> str:
    """A value as the log keeps it, as a person reads it."""
    if value is None:
        return "—"
    if value == "(changed)":
        return _("(changed)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        if value in codes:
            return str(codes[value])
        moment = _moment(value)
        if moment is not None:
            return moment
    return str(value)


def _moment(text: str) -> str | None:
    """An ISO date or time from the log, in the dealer's zone and the reader's language."""
    if len(text) < 10 or text[4:5] != "-" or text[7:8] != "-":
        return None
    try:
        if len(text) == 10:
            return localdate(date.fromisoformat(text))
        return localtime(datetime.fromisoformat(text), "medium")
    except ValueError:
        return None


def describe(entry) -> list[tuple[str, str, str]]:
    """An entry's changes as (label, before, after) rows."""
    codes = code_labels()
    return [
        (field_label(name), shown_value(pair[0], codes), shown_value(pair[1], codes))
        for name, pair in entry.changes.items()
    ]
