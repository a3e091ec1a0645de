"""The templates a dealer starts with: the whole car checked all round (the underbody and
the oil pan included), and a shorter one for a maintenance visit. Thresholds are common
workshop practice: tread at 3 mm is worn soon, at the 1.6 mm legal minimum now; brake pads
at 4 mm soon and 2 mm now; a resting battery below 12.4 V weak and below 12.0 V failing."""

from mpi.templates import ItemInput

WHEELS = (
    ("lf", "left front", "左前"),
    ("rf", "right front", "右前"),
    ("lr", "left rear", "左后"),
    ("rr", "right rear", "右后"),
)


def _tyres() -> list[ItemInput]:
    items = []
    for code, en, zh in WHEELS:
        items.append(
            ItemInput(
                f"tread_{code}",
                "tyres",
                f"Tread depth, {en}",
                f"{zh}轮胎花纹深度",
                "mm",
                "lower",
                "3",
                "1.6",
            )
        )
        items.append(
            ItemInput(
                f"pressure_{code}",
                "tyres",
                f"Tyre pressure, {en}",
                f"{zh}轮胎气压",
                "bar",
                "lower",
                "2.1",
                "1.8",
            )
        )
    return items


def _brakes() -> list[ItemInput]:
    return [
        ItemInput(
            "pads_front", "brakes", "Brake pads, front", "前刹车片厚度", "mm", "lower", "4", "2"
        ),
        ItemInput(
            "pads_rear", "brakes", "Brake pads, rear", "后刹车片厚度", "mm", "lower", "4", "2"
        ),
        ItemInput("discs_front", "brakes", "Brake discs, front", "前刹车盘", "mm"),
        ItemInput("discs_rear", "brakes", "Brake discs, rear", "后刹车盘", "mm"),
    ]


FLUIDS = [
    ItemInput("engine_oil", "fluids", "Engine oil level and condition", "机油液位及状况"),
    ItemInput("coolant", "fluids", "Coolant", "冷却液"),
    ItemInput("brake_fluid", "fluids", "Brake fluid", "刹车油"),
    ItemInput("washer_fluid", "fluids", "Washer fluid", "玻璃水"),
]
BATTERY = [
    ItemInput(
        "battery",
        "battery",
        "Battery test (resting voltage)",
        "蓄电池检测（静态电压）",
        "V",
        "lower",
        "12.4",
        "12.0",
    ),
]
REST = [
    ItemInput("lights", "lights", "Lights and signals", "灯光及信号"),
    ItemInput("wipers", "wipers", "Wiper blades and windscreen", "雨刮片及前挡风玻璃"),
    ItemInput("belts", "belts_hoses", "Drive belts", "传动皮带"),
    ItemInput("hoses", "belts_hoses", "Hoses", "各类软管"),
    ItemInput("shocks", "suspension", "Shock absorbers", "减震器"),
    ItemInput("steering", "suspension", "Steering and ball joints", "转向系统及球头"),
    ItemInput("exhaust", "exhaust", "Exhaust system", "排气系统"),
    ItemInput("underbody", "underbody", "Underbody", "底盘"),
    ItemInput("oil_pan", "underbody", "Oil pan and leaks", "油底壳及渗漏"),
]


def full_inspection() -> tuple[str, str, list[ItemInput]]:
    return "Full inspection", "全车检查", _tyres() + _brakes() + FLUIDS + BATTERY + REST


def maintenance_inspection() -> tuple[str, str, list[ItemInput]]:
    tread = [item for item in _tyres() if item.code.startswith("tread_")]
    keep = {"lights", "wipers", "oil_pan"}
    return (
        "Maintenance check",
        "保养检查",
        tread + _brakes()[:2] + FLUIDS + BATTERY + [item for item in REST if item.code in keep],
    )
