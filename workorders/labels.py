"""Display names of the work order's codes, shared by the pages and the printed papers."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "intake": _l("Intake"),
    "estimating": _l("Estimating"),
    "awaiting_approval": _l("Awaiting approval"),
    "in_progress": _l("In progress"),
    "quality_check": _l("Final inspection"),
    "ready": _l("Ready"),
    "delivered": _l("Delivered"),
    "cancelled": _l("Cancelled"),
}
JOB_LABELS = {
    "pending": _l("Pending"),
    "proposed": _l("Proposed"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
}
PANEL_LABELS = {
    "front_bumper": _l("Front bumper"),
    "hood": _l("Hood"),
    "roof": _l("Roof"),
    "left_front_fender": _l("Left front fender"),
    "right_front_fender": _l("Right front fender"),
    "left_front_door": _l("Left front door"),
    "right_front_door": _l("Right front door"),
    "left_rear_door": _l("Left rear door"),
    "right_rear_door": _l("Right rear door"),
    "left_quarter_panel": _l("Left quarter panel"),
    "right_quarter_panel": _l("Right quarter panel"),
    "trunk": _l("Trunk or tailgate"),
    "rear_bumper": _l("Rear bumper"),
    "windscreen": _l("Windscreen"),
    "left_mirror": _l("Left mirror"),
    "right_mirror": _l("Right mirror"),
    "wheels": _l("Wheels"),
}
DAMAGE_LABELS = {
    "scratch": _l("Scratch"),
    "dent": _l("Dent"),
    "crack": _l("Crack"),
    "chip": _l("Chip"),
    "other": _l("Other"),
}
LIGHT_LABELS = {
    "check_engine": _l("Check engine"),
    "abs": "ABS",
    "airbag": _l("Airbag"),
    "oil_pressure": _l("Oil pressure"),
    "battery": _l("Battery"),
    "brake": _l("Brake"),
    "tpms": _l("Tyre pressure"),
    "coolant_temperature": _l("Coolant temperature"),
    "other": _l("Other"),
}
STANDARD_BELONGINGS = {
    "spare_wheel": _l("Spare wheel"),
    "jack_and_tools": _l("Jack and tools"),
    "floor_mats": _l("Floor mats"),
    "first_aid_kit": _l("First-aid kit"),
    "warning_triangle": _l("Warning triangle"),
    "charging_cable": _l("Charging cable"),
}
SYMPTOM_LABELS = {
    "description": _l("In the customer's words"),
    "engine_temperature": _l("Happens with the engine"),
    "speed": _l("At what speed"),
    "load": _l("Under what load"),
    "road": _l("On what road"),
    "since": _l("Since when"),
    "frequency": _l("How often"),
    "accessories": _l("Fitted accessories"),
    "last_service": _l("Last service"),
    "earlier_repairs": _l("Earlier repairs of this"),
    "road_test_with_customer": _l("Road test with the customer needed"),
}
SYMPTOM_ANSWERS = {"cold": _l("Cold"), "warm": _l("Warm"), "always": _l("Either")}
UNIT_LABELS = {"pcs": _l("pcs"), "L": _l("L"), "kg": _l("kg"), "m": _l("m")}
CONDITION_LABELS = {
    "new_genuine": _l("New, genuine"),
    "new_aftermarket": _l("New, aftermarket"),
    "used": _l("Used"),
    "reconditioned": _l("Reconditioned"),
}
CHECKLIST_LABELS = {
    "jobs_completed": _l("Every approved job done to standard"),
    "fasteners_secure": _l("Fasteners and connections secure"),
    "brakes_checked": _l("Brakes checked"),
    "steering_checked": _l("Steering checked"),
    "belongings_intact": _l("Belongings from intake present and undamaged"),
    "no_new_damage": _l("No new damage"),
    "fluids_checked": _l("Fluid levels checked"),
    "vehicle_clean": _l("Car clean"),
}
CATEGORY_LABELS = {
    "minor_repair": _l("Minor repair"),
    "level1_maintenance": _l("Level-1 maintenance"),
    "level2_maintenance": _l("Level-2 maintenance"),
    "major_repair": _l("Major or assembly repair"),
}
PAY_LABELS = {
    "customer": _l("Customer pays"),
    "warranty": _l("Warranty"),
    "internal": _l("Internal"),
}
PAYMENT_LABELS = {
    "mobile_payment": _l("Mobile payment"),
    "card": _l("Bank card"),
    "cash": _l("Cash"),
    "bank_transfer": _l("Bank transfer"),
    "account": _l("On account"),
    "warranty": _l("Warranty"),
}
METHOD_LABELS = {"in_person": _l("In person"), "phone": _l("By phone")}
PRINTED_CONDITION_LABELS = {
    "new_genuine": _l("Genuine"),
    "new_aftermarket": _l("Aftermarket"),
    "used": _l("Used"),
    "reconditioned": _l("Reconditioned"),
}
