"""Pleasant generated product shots for the demo: a studio gradient, a soft shadow, an object."""

import io

from PIL import Image, ImageDraw, ImageFilter

SIZE = 900


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t: float):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _backdrop(top: str, bottom: str) -> Image.Image:
    """A vertical studio gradient with a gentle light spot."""
    top_rgb, bottom_rgb = _hex(top), _hex(bottom)
    image = Image.new("RGB", (SIZE, SIZE))
    draw = ImageDraw.Draw(image)
    for y in range(SIZE):
        draw.line([(0, y), (SIZE, y)], fill=_mix(top_rgb, bottom_rgb, y / SIZE))
    glow = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(glow).ellipse([SIZE * 0.15, SIZE * 0.05, SIZE * 0.85, SIZE * 0.6], fill=70)
    glow = glow.filter(ImageFilter.GaussianBlur(90))
    return Image.composite(Image.new("RGB", (SIZE, SIZE), (255, 255, 255)), image, glow)


def _shadow(image: Image.Image, box) -> None:
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).ellipse(box, fill=120)
    mask = mask.filter(ImageFilter.GaussianBlur(22))
    image.paste((30, 24, 40), (0, 0), mask)


def _bag(draw, color, accent):
    draw.rounded_rectangle([300, 230, 600, 720], radius=28, fill=color)
    draw.polygon([(300, 260), (340, 200), (560, 200), (600, 260)], fill=_mix(color, (0, 0, 0), 0.2))
    draw.rounded_rectangle([340, 400, 560, 560], radius=16, fill=(250, 246, 238))
    draw.ellipse([415, 430, 485, 500], fill=accent)
    draw.rectangle([370, 515, 530, 530], fill=_mix(accent, (255, 255, 255), 0.4))


def _mug(draw, color, accent):
    draw.rounded_rectangle([280, 360, 560, 700], radius=40, fill=color)
    draw.ellipse([520, 430, 660, 610], outline=color, width=34)
    draw.ellipse([280, 330, 560, 400], fill=_mix(color, (255, 255, 255), 0.25))
    draw.ellipse([300, 342, 540, 390], fill=(92, 56, 36))
    draw.rectangle([280, 520, 560, 560], fill=accent)


def _bottle(draw, color, accent):
    draw.rounded_rectangle([360, 300, 540, 720], radius=50, fill=color)
    draw.rounded_rectangle([410, 200, 490, 310], radius=14, fill=_mix(color, (0, 0, 0), 0.25))
    draw.rounded_rectangle([395, 170, 505, 220], radius=12, fill=accent)
    draw.rounded_rectangle([380, 440, 520, 600], radius=12, fill=(255, 255, 255))
    draw.line([(400, 500), (500, 500)], fill=accent, width=8)
    draw.line([(400, 530), (470, 530)], fill=_mix(accent, (255, 255, 255), 0.4), width=6)


def _tent(draw, color, accent):
    draw.polygon([(180, 700), (450, 240), (720, 700)], fill=color)
    draw.polygon([(450, 240), (720, 700), (560, 700)], fill=_mix(color, (0, 0, 0), 0.2))
    draw.polygon([(390, 700), (450, 520), (510, 700)], fill=(40, 36, 52))
    draw.line([(450, 240), (450, 190)], fill=accent, width=10)
    draw.polygon([(450, 190), (520, 210), (450, 230)], fill=accent)


def _jar(draw, color, accent):
    draw.rounded_rectangle([300, 400, 600, 700], radius=60, fill=color)
    draw.rounded_rectangle([320, 330, 580, 420], radius=20, fill=accent)
    draw.rounded_rectangle([350, 500, 550, 620], radius=14, fill=(255, 255, 255))
    draw.ellipse([430, 530, 470, 570], fill=accent)


def _boot(draw, color, accent):
    draw.rounded_rectangle([330, 250, 520, 620], radius=30, fill=color)
    draw.rounded_rectangle([330, 520, 680, 680], radius=60, fill=color)
    draw.rectangle([320, 660, 690, 700], fill=(45, 40, 48))
    for i in range(5):
        y = 300 + i * 50
        draw.line([(380, y), (470, y + 18)], fill=accent, width=8)


SHAPES = {
    "bag": _bag,
    "mug": _mug,
    "bottle": _bottle,
    "tent": _tent,
    "jar": _jar,
    "boot": _boot,
}


def product_shot(shape: str, *, color: str, accent: str, top: str, bottom: str) -> bytes:
    """A 900x900 PNG of ``shape`` in ``color`` on a studio backdrop."""
    image = _backdrop(top, bottom)
    _shadow(image, [230, 660, 690, 760])
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    SHAPES[shape](ImageDraw.Draw(layer), _hex(color), _hex(accent))
    image.paste(layer, (0, 0), layer)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
