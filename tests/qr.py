"""Reading our QR codes back as a phone's camera would, for the tests of printed matter."""

import re

import zxingcpp
from PIL import Image, ImageDraw


def read_qr(svg: str) -> list[str]:
    """What a phone's camera reads from one of our QR codes: the SVG drawn as a picture (our
    own drawing has a viewBox and one path of horizontal runs), then decoded by ZXing."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    path = re.search(r'<path fill="#000" d="([^"]+)"', svg).group(1)
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        x, y, width = int(x), int(y), int(width)
        draw.rectangle([x * scale, y * scale, (x + width) * scale - 1, (y + 1) * scale - 1], fill=0)
    return [result.text for result in zxingcpp.read_barcodes(image)]
