"""QR codes as inline SVG, drawn from the code's modules (no image library needed)."""

from __future__ import annotations

import qrcode  # type: ignore[import-untyped]  # the package ships no type information
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]  # as above

# The quiet zone around the code, in modules: the standard asks 4; the label's own white
# padding around the code adds to these 2.
BORDER = 2


def qr_modules(data: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of `data`, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def qr_svg(data: str, title: str = "") -> SafeString:
    """The QR code of `data` as an SVG element sized by its CSS class `label-qr`."""
    modules = qr_modules(data)
    size = len(modules)
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start},{y}h{x - start}v1h{start - x}z")
    label = f"<title>{escape(title)}</title>" if title else ""
    svg = (
        f'<svg class="label-qr" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg" '
        f'role="img" shape-rendering="crispEdges">{label}'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{"".join(runs)}" fill="#000"/></svg>'
    )
    # Built here from numbers and an escaped title: nothing of the input is raw.
    return mark_safe(svg)
