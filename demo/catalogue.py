"""The demo's people, cars and parts: the names, models and catalogue both the demo dealership
and the generated history draw from."""

import random

from customers.vin import with_check_digit

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
]

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
]
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
]
