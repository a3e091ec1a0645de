"""The work order's vocabularies: each code with its label (see ``dealer.vocabulary``)."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class Status(Vocabulary):
    """A work order's state, with its label and badge class."""

    INTAKE = "intake", _l("Intake")
    ESTIMATING = "estimating", _l("Estimating")
    AWAITING_APPROVAL = "awaiting_approval", _l("Awaiting approval")
    IN_PROGRESS = "in_progress", _l("In progress")
    QUALITY_CHECK = "quality_check", _l("Final inspection")
    READY = "ready", _l("Ready")
    DELIVERED = "delivered", _l("Delivered")
    CANCELLED = "cancelled", _l("Cancelled")

    @property
    def badge(self) -> str:
        return {
            "intake": "text-bg-secondary",
            "estimating": "text-bg-info",
            "awaiting_approval": "text-bg-warning",
            "in_progress": "text-bg-primary",
            "quality_check": "text-bg-dark",
            "ready": "text-bg-success",
            "delivered": "text-bg-light",
            "cancelled": "text-bg-danger",
        }[self.value]

    @property
    def is_open(self) -> bool:
        return self not in (Status.DELIVERED, Status.CANCELLED)


class JobStatus(Vocabulary):
    """A job's state."""

    PENDING = "pending", _l("Pending")
    PROPOSED = "proposed", _l("Proposed")
    APPROVED = "approved", _l("Approved")
    DECLINED = "declined", _l("Declined")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")


class Panel(Vocabulary):
    """A body panel the intake walk-around marks."""

    FRONT_BUMPER = "front_bumper", _l("Front bumper")
    HOOD = "hood", _l("Hood")
    ROOF = "roof", _l("Roof")
    LEFT_FRONT_FENDER = "left_front_fender", _l("Left front fender")
    RIGHT_FRONT_FENDER = "right_front_fender", _l("Right front fender")
    LEFT_FRONT_DOOR = "left_front_door", _l("Left front door")
    RIGHT_FRONT_DOOR = "right_front_door", _l("Right front door")
    LEFT_REAR_DOOR = "left_rear_door", _l("Left rear door")
    RIGHT_REAR_DOOR = "right_rear_door", _l("Right rear door")
    LEFT_QUARTER_PANEL = "left_quarter_panel", _l("Left quarter panel")
    RIGHT_QUARTER_PANEL = "right_quarter_panel", _l("Right quarter panel")
    TRUNK = "trunk", _l("Trunk or tailgate")
    REAR_BUMPER = "rear_bumper", _l("Rear bumper")
    WINDSCREEN = "windscreen", _l("Windscreen")
    LEFT_MIRROR = "left_mirror", _l("Left mirror")
    RIGHT_MIRROR = "right_mirror", _l("Right mirror")
    WHEELS = "wheels", _l("Wheels")


class Damage(Vocabulary):
    """Damage marked on a panel at intake."""

    SCRATCH = "scratch", _l("Scratch")
    DENT = "dent", _l("Dent")
    CRACK = "crack", _l("Crack")
    CHIP = "chip", _l("Chip")
    OTHER = "other", _l("Other")


class WarningLight(Vocabulary):
    """A warning light lit at intake."""

    CHECK_ENGINE = "check_engine", _l("Check engine")
    ABS = "abs", "ABS"
    AIRBAG = "airbag", _l("Airbag")
    OIL_PRESSURE = "oil_pressure", _l("Oil pressure")
    BATTERY = "battery", _l("Battery")
    BRAKE = "brake", _l("Brake")
    TPMS = "tpms", _l("Tyre pressure")
    COOLANT_TEMPERATURE = "coolant_temperature", _l("Coolant temperature")
    OTHER = "other", _l("Other")


class Belonging(Vocabulary):
    """A belonging the intake checks for in the car."""

    SPARE_WHEEL = "spare_wheel", _l("Spare wheel")
    JACK_AND_TOOLS = "jack_and_tools", _l("Jack and tools")
    FLOOR_MATS = "floor_mats", _l("Floor mats")
    FIRST_AID_KIT = "first_aid_kit", _l("First-aid kit")
    WARNING_TRIANGLE = "warning_triangle", _l("Warning triangle")
    CHARGING_CABLE = "charging_cable", _l("Charging cable")


class PartCondition(Vocabulary):
    """A part's condition as fitted; ``printed`` is the shorter label of the papers."""

    NEW_GENUINE = "new_genuine", _l("New, genuine")
    NEW_AFTERMARKET = "new_aftermarket", _l("New, aftermarket")
    USED = "used", _l("Used")
    RECONDITIONED = "reconditioned", _l("Reconditioned")


class QcCheck(Vocabulary):
    """An item of the final inspection's checklist."""

    JOBS_COMPLETED = "jobs_completed", _l("Every approved job done to standard")
    FASTENERS_SECURE = "fasteners_secure", _l("Fasteners and connections secure")
    BRAKES_CHECKED = "brakes_checked", _l("Brakes checked")
    STEERING_CHECKED = "steering_checked", _l("Steering checked")
    BELONGINGS_INTACT = "belongings_intact", _l("Belongings from intake present and undamaged")
    NO_NEW_DAMAGE = "no_new_damage", _l("No new damage")
    FLUIDS_CHECKED = "fluids_checked", _l("Fluid levels checked")
    VEHICLE_CLEAN = "vehicle_clean", _l("Car clean")


class Category(Vocabulary):
    """The repair category of a job (汽车维修类别)."""

    MINOR_REPAIR = "minor_repair", _l("Minor repair")
    LEVEL1_MAINTENANCE = "level1_maintenance", _l("Level-1 maintenance")
    LEVEL2_MAINTENANCE = "level2_maintenance", _l("Level-2 maintenance")
    MAJOR_REPAIR = "major_repair", _l("Major or assembly repair")


class PayType(Vocabulary):
    """Who pays for a job."""

    CUSTOMER = "customer", _l("Customer pays")
    WARRANTY = "warranty", _l("Warranty")
    INTERNAL = "internal", _l("Internal")


class PaymentMethod(Vocabulary):
    """How a payment was made."""

    MOBILE_PAYMENT = "mobile_payment", _l("Mobile payment")
    CARD = "card", _l("Bank card")
    CASH = "cash", _l("Cash")
    BANK_TRANSFER = "bank_transfer", _l("Bank transfer")
    ACCOUNT = "account", _l("On account")
    WARRANTY = "warranty", _l("Warranty")


class AuthorizationMethod(Vocabulary):
    """How the customer authorized work."""

    IN_PERSON = "in_person", _l("In person")
    PHONE = "phone", _l("By phone")
    LINK = "link", _l("On the customer's link")


class Symptom(Vocabulary):
    """A question of the symptom interview at intake."""

    ENGINE_TEMPERATURE = "engine_temperature", _l("Happens with the engine")
    SPEED = "speed", _l("At what speed")
    LOAD = "load", _l("Under what load")
    ROAD = "road", _l("On what road")
    SINCE = "since", _l("Since when")
    FREQUENCY = "frequency", _l("How often")
    ACCESSORIES = "accessories", _l("Fitted accessories")
    LAST_SERVICE = "last_service", _l("Last service")
    EARLIER_REPAIRS = "earlier_repairs", _l("Earlier repairs of this")
    ROAD_TEST_WITH_CUSTOMER = "road_test_with_customer", _l("Road test with the customer needed")
    DESCRIPTION = "description", _l("In the customer's words")


class RequestState(Vocabulary):
    """A technician's request for a part outside the approved work."""

    REQUESTED = "requested", _l("Requested by the technician, not on the bill")
    DECLINED = "declined", _l("Request declined")


class ComebackCause(Vocabulary):
    """Why a car came back after a delivered order (返修)."""

    WORKMANSHIP = "workmanship", _l("Workmanship")
    PART = "part", _l("Part")
    CUSTOMER_USE = "customer_use", _l("Customer use")
    UNRELATED = "unrelated", _l("Unrelated")


class NotifyChannel(Vocabulary):
    """How the customer was told the car is ready."""

    PHONE = "phone", _l("Phone call")
    SMS = "sms", _l("SMS")
    WECHAT = "wechat", _l("WeChat")
    EMAIL = "email", _l("E-mail")
    IN_PERSON = "in_person", _l("In person")


class DiscountKind(Vocabulary):
    """A discount line: an amount off, or a percentage of the customer's work."""

    AMOUNT = "amount", _l("Amount")
    PERCENT = "percent", _l("Percent")
