"""The demo's people, cars and parts: the names, models and catalogue both the demo dealership
and the generated history draw from."""

import json
import random
from datetime import timedelta

from customers.vin import with_check_digit
from workorders.services import QC_CHECKLIST

DEMO_PASSWORD = "demo-pass-2026"

STAFF = [
    ("manager", "王建国", ["manager"], "zh_Hans"),
    ("advisor", "李文静", ["advisor"], "zh_Hans"),
    ("advisor2", "Mark Davies", ["advisor"], "en"),
    ("tech1", "张师傅", ["technician"], "zh_Hans"),
    ("tech2", "刘强", ["technician"], "zh_Hans"),
    ("inspector", "陈质检", ["inspector"], "zh_Hans"),
    ("parts", "赵配件", ["parts"], "zh_Hans"),
    ("callback", "孙丽", ["callback"], "zh_Hans"),
    ("claims", "周索赔", ["warranty"], "zh_Hans"),
]
SKILLS = {
    "tech1": ["maintenance", "diagnosis", "chassis"],
    "tech2": ["maintenance", "electrical", "engine"],
}
"""What the demo's technicians can be booked for."""

CHINESE_NAMES = (
    "王伟 李娜 张敏 刘洋 陈静 杨磊 赵丽 黄强 周杰 吴芳 徐明 孙悦 马超 朱琳 胡斌 郭涛 何敏 "
    "高峰 林涛 罗丹 梁爽 宋佳 郑凯 谢婷 韩雪 唐宁 冯磊 于洋 董洁 萧然 程刚 曹颖 袁野"
).split()
ENGLISH_NAMES = [
    "James Wilson",
    "Emma Thompson",
    "Oliver Brown",
    "Sophie Martin",
    "Daniel Clark",
    "Laura Evans",
    "Michael Green",
    "Anna Schmidt",
    "Peter Johnson",
    "Grace Lee",
    "David Miller",
    "Rachel Adams",
    "Thomas Wright",
    "Hannah Scott",
    "Mark Robinson",
]
COMPANIES = [("上海安达物流有限公司", "周经理"), ("Harbour Trading Co., Ltd.", "Alice Wong")]

MODELS = [
    ("LSV", "Volkswagen", "Passat"),
    ("LSV", "Volkswagen", "Tiguan L"),
    ("LFV", "Volkswagen", "Sagitar"),
    ("LBV", "BMW", "530Li"),
    ("LHG", "Honda", "Accord"),
    ("LVS", "Ford", "Mondeo"),
    ("LGB", "Nissan", "Sylphy"),
    ("LRW", "Tesla", "Model 3"),
    ("WBA", "BMW", "X5"),
    ("1HG", "Honda", "Civic"),
    ("JTD", "Toyota", "Camry"),
]
COLOURS = ["白色 White", "黑色 Black", "银色 Silver", "灰色 Grey", "蓝色 Blue", "红色 Red"]
PLATE_REGIONS = ["沪A", "沪B", "沪C", "沪D", "京A", "苏E", "浙A"]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
YEAR_CODES = {
    2016: "G",
    2017: "H",
    2018: "J",
    2019: "K",
    2020: "L",
    2021: "M",
    2022: "N",
    2023: "P",
    2024: "R",
    2025: "S",
    2026: "T",
}


def demo_vin(rng: random.Random, wmi: str, year: int) -> str:
    """A VIN with a right check digit for the given maker and model year."""
    body = "".join(rng.choice(VIN_CHARS) for _ in range(5))
    plant = rng.choice("ABCDEFGHJ")
    serial = f"{rng.randrange(1, 999999):06d}"
    return with_check_digit(wmi + body + "0" + YEAR_CODES[year] + plant + serial)


def demo_plate(rng: random.Random) -> str:
    """A plate in the style of the region around the dealer."""
    letter = rng.choice("ABCDEFGHJK")
    return f"{rng.choice(PLATE_REGIONS)}{letter}{rng.randrange(1000, 9999)}"


DEMO_PARTS = [
    ("04465-33450", "Brake pads, front", "前刹车片", "pcs", "210.00", "350.00", "6"),
    ("04152-YZZA1", "Oil filter", "机油滤清器", "pcs", "28.00", "55.00", "20"),
    ("08880-83715", "Engine oil 0W-20", "机油 0W-20", "L", "45.00", "78.00", "60"),
    ("85222-06100", "Wiper blade set", "雨刮片套装", "pcs", "60.00", "120.00", "0"),
    ("08823-80010", "Brake fluid DOT 4", "刹车油 DOT 4", "L", "38.00", "70.00", "8"),
    ("17801-0H050", "Air filter", "空气滤清器", "pcs", "45.00", "95.00", "4"),
    ("16100-09J80", "Water pump", "水泵", "pcs", "420.00", "690.00", "2"),
    ("13590232", "Airbag inflator", "气囊气体发生器", "pcs", "380.00", "620.00", "4"),
]
CANNED_SKILLS = {
    "Front brake pads": ("chassis", None),
    "Wheel alignment": ("chassis", "alignment"),
}
"""The skill (and equipment) a booking of each common job asks for; maintenance otherwise."""

DEMO_CANNED = [
    (
        "Oil service",
        "机油保养",
        "1",
        "level1_maintenance",
        [("04152-YZZA1", "1"), ("08880-83715", "4.5")],
    ),
    ("Front brake pads", "更换前刹车片", "1.2", "minor_repair", [("04465-33450", "1")]),
    ("Wiper blades", "更换雨刮片", "0.2", "minor_repair", [("85222-06100", "1")]),
    ("Wheel alignment", "四轮定位", "0.8", "minor_repair", []),
]


# --- the generated history's pools ---------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏建红飞鑫波宁斌浩凯婷雪琳晨欣怡俊博宇"
)
MOBILE_PREFIXES = ("138", "139", "135", "136", "150", "151", "158", "186", "188", "177", "189")
GROUP_PLATE_REGIONS = ("沪A", "沪B", "沪C", "沪D", "沪E", "京A", "苏E", "浙A", "苏A")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
EXTRA_PARTS = [
    ("04465-0K290", "Brake pads, rear", "后刹车片", "pcs", 18000, 29800),
    ("43512-0K020", "Brake disc, front", "前刹车盘", "pcs", 32000, 52000),
    ("90919-01253", "Spark plug", "火花塞", "pcs", 4500, 9800),
    ("87139-0E040", "Cabin air filter", "空调滤清器", "pcs", 3500, 8800),
    ("23300-0P010", "Fuel filter", "燃油滤清器", "pcs", 9000, 16800),
    ("16100-39466", "Water pump", "水泵", "pcs", 42000, 68000),
    ("13568-09130", "Timing belt", "正时皮带", "pcs", 36000, 58000),
    ("28800-0T080", "Battery 60Ah", "蓄电池 60Ah", "pcs", 48000, 76000),
    ("08889-80061", "Coolant, long life", "长效冷却液", "L", 2800, 5500),
    ("08885-02106", "ATF WS", "自动变速箱油", "L", 6800, 11800),
    ("48510-0K150", "Shock absorber, front", "前减震器", "pcs", 52000, 86000),
    ("42611-0K110", "Tyre 225/55 R17", "轮胎 225/55 R17", "pcs", 58000, 89000),
    ("90916-02703", "V-ribbed belt", "多楔带", "pcs", 12000, 21000),
    ("81130-0K600", "Headlamp unit", "前大灯总成", "pcs", 160000, 245000),
]
"""A wider parts catalogue for the history: part number, names, unit, cost, price (cents)."""
OPERATIONS = [
    # title, hours (hundredths), category, parts [(part number, quantity in thousandths)]
    ("Oil service", 100, "level1_maintenance", [("04152-YZZA1", 1000), ("08880-83715", 4500)]),
    ("保养：机油机滤", 100, "level1_maintenance", [("04152-YZZA1", 1000), ("08880-83715", 4000)]),
    ("Front brake pads", 120, "minor_repair", [("04465-33450", 1000)]),
    ("更换后刹车片", 120, "minor_repair", [("04465-0K290", 1000)]),
    (
        "Brake discs and pads, front",
        200,
        "minor_repair",
        [("43512-0K020", 2000), ("04465-33450", 1000)],
    ),
    ("Wiper blades", 20, "minor_repair", [("85222-06100", 1000)]),
    ("Brake fluid change", 80, "minor_repair", [("08823-80010", 1000)]),
    ("Air filter", 30, "minor_repair", [("17801-0H050", 1000)]),
    ("空调滤清器更换", 30, "minor_repair", [("87139-0E040", 1000)]),
    ("Spark plugs", 90, "minor_repair", [("90919-01253", 4000)]),
    (
        "20,000 km service",
        250,
        "level2_maintenance",
        [
            ("04152-YZZA1", 1000),
            ("08880-83715", 4500),
            ("17801-0H050", 1000),
            ("87139-0E040", 1000),
        ],
    ),
    (
        "二级维护",
        350,
        "level2_maintenance",
        [
            ("04152-YZZA1", 1000),
            ("08880-83715", 4500),
            ("23300-0P010", 1000),
            ("08823-80010", 1000),
        ],
    ),
    (
        "Timing belt and water pump",
        450,
        "major_repair",
        [("13568-09130", 1000), ("16100-39466", 1000), ("08889-80061", 4000)],
    ),
    ("更换蓄电池", 30, "minor_repair", [("28800-0T080", 1000)]),
    ("Automatic transmission fluid", 150, "minor_repair", [("08885-02106", 6000)]),
    ("Front shock absorbers", 300, "major_repair", [("48510-0K150", 2000)]),
    ("Tyres, pair", 80, "minor_repair", [("42611-0K110", 2000)]),
    ("Accessory belt", 70, "minor_repair", [("90916-02703", 1000)]),
    ("Diagnose engine warning light", 100, "minor_repair", []),
    ("四轮定位", 100, "minor_repair", []),
    ("Headlamp replacement (accident)", 150, "major_repair", [("81130-0K600", 1000)]),
]
CONCERNS = [
    "Due for the scheduled service",
    "保养到期",
    "刹车时有异响",
    "Brake pedal feels soft",
    "发动机故障灯亮",
    "Engine warning light on",
    "空调不制冷",
    "Steering pulls to the left",
    "异响：过减速带时底盘咚咚响",
    "Battery flat in the mornings",
    "Oil service and a check of the tyres",
    "轮胎磨损，顺便做四轮定位",
]
COMPLAINTS = [
    "交车时间比承诺晚了两个小时。",
    "The noise is back a week after the repair.",
    "结算金额比报价高，没有提前电话确认。",
    "Seat covers were not used; oil marks on the driver's seat.",
    "服务顾问态度不好。",
    "Waited 40 minutes at the desk at pick-up.",
]
RESOLUTIONS = [
    "Apologised, re-checked the car free of charge.",
    "已致歉，赠送一次免费洗车。",
    "Refunded the difference and explained the supplementary work.",
    "已重新培训相关人员。",
]
BELONGINGS = [
    "spare_wheel",
    "floor_mats",
    "jack_and_tools",
    "warning_triangle",
    "Child seat",
    "行车记录仪",
]
"""Belongings found at intake: the standard ones by code, others as the advisor wrote them."""
PANELS = ["front_bumper", "rear_bumper", "left_front_door", "right_rear_door", "hood"]
DAMAGE = ["scratch", "dent", "chip"]
PAYMENT_METHODS = ["mobile_payment"] * 5 + ["card"] * 3 + ["cash", "bank_transfer"]
ACTIVE = ["intake", "estimating", "awaiting_approval", "in_progress", "quality_check", "ready"]
CHECKLIST = json.dumps(dict.fromkeys(QC_CHECKLIST, True))
LOCAL = timedelta(hours=8)
"""Generated working times are laid out in China Standard Time, then kept in UTC."""
