#!/usr/bin/env python3
"""Draws Kindred's app icons (PNG) from the shapes of public/favicon.svg.

The favicon is a rounded green square with a cream diamond in a 32-unit box. Browsers
want bitmaps for installed apps, so this draws the same two shapes at each size, with
4x4 supersampling for smooth edges, and writes them to public/icons/. The maskable icon
fills the whole square (the launcher cuts its own shape) and keeps the diamond inside the
central 80% safe zone. Run it after changing the favicon; the PNGs are committed.
"""
import struct
import sys
import zlib
from pathlib import Path

GREEN = (0x1F, 0x6F, 0x5C)
CREAM = (0xF4, 0xEF, 0xE6)
SAMPLES = 4


def inside_rounded_square(x, y, radius):
    """Whether (x, y) in 0..32 units lies inside the favicon's rounded square."""
    cx = min(max(x, radius), 32 - radius)
    cy = min(max(y, radius), 32 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def inside_diamond(x, y, scale):
    """Whether (x, y) lies inside the diamond (half-width 9, half-height 10), scaled about the centre."""
    return abs(x - 16) / (9 * scale) + abs(y - 16) / (10 * scale) <= 1


def draw(size, maskable):
    rows = []
    step = 32 / size
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            green = cream = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * step
                    y = (py + (sy + 0.5) / SAMPLES) * step
                    if inside_diamond(x, y, 0.75 if maskable else 1.0):
                        cream += 1
                    elif maskable or inside_rounded_square(x, y, 7):
                        green += 1
            total = SAMPLES * SAMPLES
            covered = green + cream
            if covered == 0:
                row += bytes([0, 0, 0, 0])
                continue
            colour = [
                round((g * green + c * cream) / covered) for g, c in zip(GREEN, CREAM)
            ]
            row += bytes(colour + [round(255 * covered / total)])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "public/icons")
    out.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),
    ]:
        (out / name).write_bytes(draw(size, maskable))
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main()
