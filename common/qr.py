"""QR codes as SVG to put inside an HTML page: no image file, no style attribute (the CSP).

The `qrcode` library computes the code; the drawing is ours: one path of horizontal runs with a
viewBox, so the page's CSS sizes it, with the accessible name in the element. A page of many (a
sheet of code slips) stays small: about 3 KB each for our short address, against 24 KB of
separate squares from `qrcode`'s default SVG and 7 KB from its path SVG (a square per module,
sized in millimetres).
"""

from itertools import groupby

import qrcode
from django.utils.html import escape


def qr_svg(data: str, *, label: str = "") -> str:
    """`data` as a QR code: an `<svg>` element (error correction M, a quiet zone of 4 modules)
    that fills the width its container gives it. With `label`, it is an image with that name
    for screen readers; without, it is hidden from them."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    rows = code.get_matrix()
    runs = []
    for y, row in enumerate(rows):
        x = 0
        for dark, modules in groupby(row):
            width = len(list(modules))
            if dark:
                runs.append(f"M{x} {y}h{width}v1h-{width}z")
            x += width
    size = len(rows)
    name = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" {name}'
        f' shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
