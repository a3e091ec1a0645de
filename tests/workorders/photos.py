"""Photos the workorder tests send: a PNG and a JPEG, and the Shanghai clock."""

from zoneinfo import ZoneInfo

from tests.factories import PHOTO, photo_jpeg

PNG = PHOTO


JPEG = photo_jpeg()


SH = ZoneInfo("Asia/Shanghai")
