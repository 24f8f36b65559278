/*
 * The demo paper's photos: illustrations drawn from scratch (no image is
 * downloaded or copied), each a few flat shapes on an RGB canvas, wrapped
 * by libvips, encoded as a JPEG "upload" and stored through the real media
 * pipeline (media_photo_store), so a new install exercises validation,
 * resizing and both output formats.
 *
 * Drawing is plain loops over a pixel buffer: libvips' draw operations
 * cost about half a millisecond a call, and a skyline needs thousands of
 * windows. Two threads store the photos, one per core, so that a fresh
 * demo database is ready quickly (tests create many).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "app/demo_int.h"
#include "media/media.h"
#include "store/store.h"

#define W 1200
#define H 750
#define CREDIT "Broadsheet illustration"

struct rgb {
    uint8_t r, g, b;
};

struct canvas {
    uint8_t *px;
    uint32_t seed;
};

/* --- drawing primitives, all clipped to the canvas ----------------------- */

static struct rgb
hex(uint32_t h)
{
    return (struct rgb){(uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h};
}

static uint32_t
rnd(struct canvas *c)
{
    c->seed ^= c->seed << 13;
    c->seed ^= c->seed >> 17;
    c->seed ^= c->seed << 5;
    return c->seed;
}

static int
rnd_in(struct canvas *c, int lo, int hi)
{
    return lo + (int)(rnd(c) % (uint32_t)(hi - lo + 1));
}

static struct rgb
mix(struct rgb a, struct rgb b, double t)
{
    return (struct rgb){(uint8_t)(a.r + (b.r - a.r) * t), (uint8_t)(a.g + (b.g - a.g) * t),
                        (uint8_t)(a.b + (b.b - a.b) * t)};
}

static void
blend(uint8_t *p, struct rgb col, int alpha)
{
    p[0] = (uint8_t)((p[0] * (255 - alpha) + col.r * alpha) / 255);
    p[1] = (uint8_t)((p[1] * (255 - alpha) + col.g * alpha) / 255);
    p[2] = (uint8_t)((p[2] * (255 - alpha) + col.b * alpha) / 255);
}

/* A horizontal run [x0, x1) on row y; alpha 255 is opaque. */
static void
span(struct canvas *c, int y, int x0, int x1, struct rgb col, int alpha)
{
    if (y < 0 || y >= H)
        return;
    x0 = x0 < 0 ? 0 : x0;
    x1 = x1 > W ? W : x1;
    uint8_t *p = c->px + ((size_t)y * W + (size_t)x0) * 3;
    for (; x0 < x1; x0++, p += 3) {
        if (alpha == 255) {
            p[0] = col.r;
            p[1] = col.g;
            p[2] = col.b;
        } else {
            blend(p, col, alpha);
        }
    }
}

static void
rect_a(struct canvas *c, int x, int y, int w, int h, struct rgb col, int alpha)
{
    for (int row = y; row < y + h; row++)
        span(c, row, x, x + w, col, alpha);
}

static void
rect(struct canvas *c, int x, int y, int w, int h, struct rgb col)
{
    rect_a(c, x, y, w, h, col, 255);
}

/* Rows [y0, y1) shading from top to bottom. */
static void
gradient(struct canvas *c, int y0, int y1, struct rgb top, struct rgb bottom)
{
    for (int y = y0; y < y1; y++)
        span(c, y, 0, W, mix(top, bottom, (double)(y - y0) / (y1 - y0)), 255);
}

static void
ellipse_a(struct canvas *c, int cx, int cy, int rx, int ry, struct rgb col, int alpha)
{
    for (int dy = -ry; dy <= ry; dy++) {
        double f = 1.0 - (double)dy * dy / ((double)ry * ry);
        int dx = (int)(rx * sqrt(f > 0 ? f : 0));
        span(c, cy + dy, cx - dx, cx + dx + 1, col, alpha);
    }
}

static void
circle_a(struct canvas *c, int cx, int cy, int r, struct rgb col, int alpha)
{
    ellipse_a(c, cx, cy, r, r, col, alpha);
}

static void
circle(struct canvas *c, int cx, int cy, int r, struct rgb col)
{
    ellipse_a(c, cx, cy, r, r, col, 255);
}

/* A soft light: a few concentric translucent discs. */
static void
glow(struct canvas *c, int cx, int cy, int r, struct rgb col)
{
    for (int k = 4; k >= 1; k--)
        circle_a(c, cx, cy, r * k / 4, col, 28);
}

/* A trapezoid with horizontal top and bottom: rows [y0, y1), left and right
 * edges moving from (xl0, xr0) to (xl1, xr1). A triangle when xl0 == xr0. */
static void
quad_a(struct canvas *c, int y0, int y1, int xl0, int xr0, int xl1, int xr1, struct rgb col,
       int alpha)
{
    for (int y = y0; y < y1; y++) {
        double t = (double)(y - y0) / (y1 - y0);
        span(c, y, (int)(xl0 + (xl1 - xl0) * t), (int)(xr0 + (xr1 - xr0) * t), col, alpha);
    }
}

static void
quad(struct canvas *c, int y0, int y1, int xl0, int xr0, int xl1, int xr1, struct rgb col)
{
    quad_a(c, y0, y1, xl0, xr0, xl1, xr1, col, 255);
}

/* A round-ended line of radius r. */
static void
line(struct canvas *c, int x0, int y0, int x1, int y1, int r, struct rgb col)
{
    int steps = abs(x1 - x0) > abs(y1 - y0) ? abs(x1 - x0) : abs(y1 - y0);
    for (int i = 0; i <= steps; i++) {
        double t = steps ? (double)i / steps : 0;
        circle(c, (int)(x0 + (x1 - x0) * t), (int)(y0 + (y1 - y0) * t), r, col);
    }
}

/* Fills from a polyline (x ascending) down to row bottom. */
static void
fill_below(struct canvas *c, const int *xy, size_t n, int bottom, struct rgb col, int alpha)
{
    for (size_t i = 0; i + 1 < n; i++) {
        int xa = xy[2 * i], ya = xy[2 * i + 1], xb = xy[2 * i + 2], yb = xy[2 * i + 3];
        for (int x = xa < 0 ? 0 : xa; x < xb && x < W; x++) {
            int top = ya + (yb - ya) * (x - xa) / (xb - xa);
            for (int y = top < 0 ? 0 : top; y < bottom && y < H; y++)
                blend(c->px + ((size_t)y * W + (size_t)x) * 3, col, alpha);
        }
    }
}

/* A ridge line across the canvas: n points, a random walk around base. */
static void
ridge(struct canvas *c, int base, int amplitude, struct rgb col)
{
    int xy[2 * 14];
    for (int i = 0; i < 14; i++) {
        xy[2 * i] = i * W / 12 - 50;
        xy[2 * i + 1] = base + rnd_in(c, -amplitude, amplitude);
    }
    fill_below(c, xy, 14, H, col, 255);
}

/* --- the scenes --------------------------------------------------------------- */

static void
draw_assembly(struct canvas *c)
{
    gradient(c, 0, 560, hex(0x1d2b53), hex(0xf0a868));
    gradient(c, 560, H, hex(0x4a5a45), hex(0x2b3328));
    glow(c, 600, 520, 420, hex(0xffd7a0));
    circle(c, 600, 330, 150, hex(0x7fa39a));
    rect(c, 594, 150, 12, 40, hex(0x5d6d66));
    rect(c, 440, 330, 320, 90, hex(0xcfc8b8));
    for (int i = 0; i < 8; i++)
        rect(c, 462 + i * 38, 350, 16, 50, hex(0x8d8676));
    rect(c, 230, 420, 740, 30, hex(0xc9c2b2));
    rect(c, 250, 450, 700, 150, hex(0x8f8878));
    for (int i = 0; i < 14; i++)
        rect(c, 262 + i * 50, 455, 22, 145, hex(0xede8dc));
    for (int i = 0; i < 4; i++)
        rect(c, 210 - i * 25, 600 + i * 14, 780 + i * 50, 14,
             i % 2 ? hex(0xb9b2a2) : hex(0xd3ccbc));
    for (int i = 0; i < 2; i++) {
        int x = i ? 1060 : 140;
        rect(c, x - 6, 560, 12, 110, hex(0x2e2a26));
        circle(c, x, 520, 70, hex(0x24402c));
        circle(c, x + 40, 550, 50, hex(0x2d4d35));
    }
}

static void
tower(struct canvas *c, int x, int w, int h, struct rgb body)
{
    int top = 520 - h;
    rect(c, x, top, w, h, body);
    for (int y = top + 12; y < 505; y += 22)
        for (int wx = x + 8; wx + 7 < x + w - 4; wx += 16)
            rect(c, wx, y, 7, 11,
                 rnd(c) % 100 < 38 ? hex(0xffd27a) : mix(body, hex(0x000000), 0.3));
}

static void
draw_skyline(struct canvas *c)
{
    gradient(c, 0, 520, hex(0x0f1d40), hex(0xe88a5c));
    gradient(c, 520, H, hex(0x141c2e), hex(0x0a0f1a));
    for (int x = -20; x < W; x += rnd_in(c, 70, 120))
        tower(c, x, rnd_in(c, 70, 120), rnd_in(c, 220, 420), hex(0x2c3a5e));
    for (int x = 0; x < W; x += rnd_in(c, 110, 170))
        tower(c, x, rnd_in(c, 80, 140), rnd_in(c, 120, 330), hex(0x1b2440));
    for (int i = 0; i < 70; i++)
        rect_a(c, rnd_in(c, 0, W), rnd_in(c, 530, H), rnd_in(c, 20, 110), 2, hex(0xffc878), 70);
}

static void
draw_chart(struct canvas *c)
{
    rect(c, 0, 0, W, H, hex(0xf7f5f0));
    for (int y = 90; y <= 630; y += 90)
        rect(c, 100, y, 1020, 1, hex(0xd8d4cb));
    for (int x = 100; x <= 1120; x += 102)
        rect(c, x, 90, 1, 540, hex(0xe6e2da));
    for (int i = 0; i < 20; i++) {
        int h = rnd_in(c, 20, 110);
        rect(c, 114 + i * 51, 630 - h, 30, h, hex(0xb8c7d9));
    }
    int xy[2 * 21], y = 470;
    for (int i = 0; i < 21; i++) {
        xy[2 * i] = 100 + i * 51;
        xy[2 * i + 1] = y;
        y += rnd_in(c, -38, 22);
    }
    fill_below(c, xy, 21, 630, hex(0xc0392b), 40);
    for (int i = 0; i + 1 < 21; i++)
        line(c, xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3], 3, hex(0xb03a2e));
    circle(c, xy[40], xy[41], 9, hex(0xb03a2e));
    rect(c, 100, 630, 1020, 3, hex(0x4a4a4a));
    rect(c, 98, 90, 3, 543, hex(0x4a4a4a));
}

static void
crowd(struct canvas *c, int cx, int cy, int rx, int ry, double inner)
{
    static const uint32_t shirts[] = {0xd8d8d8, 0xc23b3b, 0x3b6cc2, 0xe0c04a, 0x2c2c34};
    for (int i = 0; i < 9000; i++) {
        int x = rnd_in(c, cx - rx, cx + rx), y = rnd_in(c, cy - ry, cy + ry);
        double dx = (double)(x - cx) / rx, dy = (double)(y - cy) / ry, d = dx * dx + dy * dy;
        if (d < 1.0 && d > inner)
            rect(c, x, y, 3, 3, hex(shirts[rnd(c) % 5]));
    }
}

static void
pitch(struct canvas *c)
{
    for (int y = 370; y < 610; y++) {
        double t = (y - 370) / 240.0;
        int xl = (int)(330 - 200 * t), xr = (int)(870 + 200 * t);
        span(c, y, xl, xr, ((y - 370) / 30) % 2 ? hex(0x2a7d43) : hex(0x2f8a4a), 255);
    }
    line(c, 330, 370, 130, 610, 1, hex(0xf2f2f2));
    line(c, 870, 370, 1070, 610, 1, hex(0xf2f2f2));
    line(c, 330, 370, 870, 370, 1, hex(0xf2f2f2));
    line(c, 230, 480, 970, 480, 1, hex(0xf2f2f2));
    for (int a = 0; a < 360; a += 2)
        circle(c, 600 + (int)(86 * cos(a * M_PI / 180)), 480 + (int)(30 * sin(a * M_PI / 180)), 1,
               hex(0xf2f2f2));
}

static void
draw_stadium(struct canvas *c)
{
    gradient(c, 0, H, hex(0x070b1c), hex(0x1b2550));
    ellipse_a(c, 600, 500, 640, 300, hex(0x2d3147), 255);
    crowd(c, 600, 500, 640, 300, 0.55);
    ellipse_a(c, 600, 490, 520, 160, hex(0x1f2233), 255);
    pitch(c);
    for (int i = 0; i < 2; i++) {
        int x = i ? 1110 : 90;
        rect(c, x - 4, 90, 8, 330, hex(0x404654));
        glow(c, x, 90, 190, hex(0xfff6d8));
        rect(c, x - 34, 78, 68, 24, hex(0xfffbe8));
    }
}

static void
container_stack(struct canvas *c, int x, int levels)
{
    static const uint32_t colours[] = {0xb8432f, 0x2f6fb8, 0xd98a2b, 0x3f8a5a, 0x8a8f96};
    for (int r = 0; r < levels; r++) {
        struct rgb col = hex(colours[rnd(c) % 5]);
        int y = 470 - (r + 1) * 30;
        rect(c, x, y, 64, 28, col);
        for (int k = 0; k < 7; k++)
            rect(c, x + 5 + k * 8, y + 4, 2, 20, mix(col, hex(0x000000), 0.25));
    }
}

static void
crane(struct canvas *c, int x)
{
    line(c, x, 470, x + 30, 190, 3, hex(0xd9822b));
    line(c, x + 100, 470, x + 70, 190, 3, hex(0xd9822b));
    rect(c, x - 40, 180, 300, 14, hex(0xd9822b));
    line(c, x + 50, 120, x - 40, 182, 1, hex(0x6b5a4a));
    line(c, x + 50, 120, x + 250, 182, 1, hex(0x6b5a4a));
    rect(c, x + 200, 194, 2, 120, hex(0x3a3a3a));
}

static void
draw_harbour(struct canvas *c)
{
    gradient(c, 0, 500, hex(0x9ec3e6), hex(0xe9eef0));
    gradient(c, 500, H, hex(0x2f5d7c), hex(0x163247));
    for (int i = 0; i < 80; i++)
        rect_a(c, rnd_in(c, 0, W), rnd_in(c, 510, H), rnd_in(c, 30, 120), 2, hex(0xffffff), 45);
    rect(c, 0, 470, W, 36, hex(0x6d6a63));
    for (int x = 20; x < 640; x += 70)
        container_stack(c, x, rnd_in(c, 2, 6));
    crane(c, 660);
    crane(c, 930);
    quad(c, 560, 640, 640, 1180, 680, 1140, hex(0x22262e));
    for (int x = 700; x < 1120; x += 66)
        rect(c, x, 530, 62, 28, hex(0x8a8f96));
}

static void
draw_mountains(struct canvas *c)
{
    gradient(c, 0, H, hex(0xbcd7ea), hex(0xf6ecdc));
    glow(c, 880, 190, 160, hex(0xfffbe8));
    circle(c, 880, 190, 54, hex(0xfff4d6));
    ridge(c, 330, 90, hex(0x9fb3c4));
    ridge(c, 430, 70, hex(0x6d889b));
    ridge(c, 540, 50, hex(0x3d5566));
    gradient(c, 640, H, hex(0x7595ab), hex(0x506f86));
    for (int i = 0; i < 40; i++)
        rect_a(c, rnd_in(c, 0, W), rnd_in(c, 650, H), rnd_in(c, 40, 160), 2, hex(0xffffff), 60);
}

static void
painting(struct canvas *c, int x, int y, int w, int h, const uint32_t bands[3])
{
    quad_a(c, 0, y, x + w / 2 - 20, x + w / 2 + 20, x - 30, x + w + 30, hex(0xfffaf0), 40);
    rect(c, x - 14, y - 14, w + 28, h + 28, hex(0x6b5434));
    rect(c, x, y, w, h, hex(bands[0]));
    rect(c, x + 18, y + 20, w - 36, h / 3, hex(bands[1]));
    rect(c, x + 18, y + h / 2, w - 36, h / 2 - 24, hex(bands[2]));
}

static void
draw_gallery(struct canvas *c)
{
    gradient(c, 0, 560, hex(0xf1ece2), hex(0xe0d8ca));
    gradient(c, 560, H, hex(0x8c6b4a), hex(0x5e4630));
    for (int y = 575; y < H; y += 34)
        rect(c, 0, y, W, 2, hex(0x4e3a28));
    rect(c, 0, 548, W, 12, hex(0xcfc6b5));
    painting(c, 110, 170, 260, 300, (const uint32_t[]){0xc2452d, 0x1f2a44, 0xe8b04a});
    painting(c, 470, 130, 300, 360, (const uint32_t[]){0x2d5d6b, 0xe9d8a6, 0x9b3d2e});
    painting(c, 880, 180, 220, 280, (const uint32_t[]){0xd9c9a3, 0x5b7a52, 0x2b2f3a});
    rect(c, 470, 610, 260, 24, hex(0x3b2f25));
    rect(c, 490, 634, 14, 50, hex(0x3b2f25));
    rect(c, 696, 634, 14, 50, hex(0x3b2f25));
    circle(c, 900, 470, 26, hex(0x2a2a33));
    quad(c, 496, 700, 880, 920, 850, 950, hex(0x2a2a33));
}

static void
shelf(struct canvas *c, int base)
{
    static const uint32_t spines[] = {0x8c2f2f, 0x2f4f8c, 0xd6b25a, 0x3f6e4a,
                                      0xe4ddd0, 0x5a3d6b, 0xb85c2e, 0x1f2a33};
    for (int x = 60; x < 1130;) {
        int w = rnd_in(c, 18, 44), h = rnd_in(c, 130, 195);
        struct rgb col = hex(spines[rnd(c) % 8]);
        rect(c, x, base - h, w, h, col);
        rect(c, x + 3, base - h + 18, w - 6, 12, mix(col, hex(0xffffff), 0.45));
        rect(c, x + 3, base - 30, w - 6, 4, mix(col, hex(0x000000), 0.3));
        x += w + (rnd(c) % 9 == 0 ? 14 : 2);
    }
    rect(c, 40, base, 1120, 18, hex(0x7a5533));
    rect_a(c, 40, base + 18, 1120, 10, hex(0x000000), 90);
}

static void
draw_books(struct canvas *c)
{
    gradient(c, 0, H, hex(0x3a2c22), hex(0x2a1f18));
    shelf(c, 240);
    shelf(c, 470);
    shelf(c, 700);
}

static void
draw_rail(struct canvas *c)
{
    gradient(c, 0, 330, hex(0x9fb4c7), hex(0xdde3e6));
    gradient(c, 330, H, hex(0x77797b), hex(0x4a4c4e));
    for (int k = 1; k <= 16; k++) {
        double t = (double)k * k / 256.0;
        int y = 330 + (int)(420 * t);
        rect(c, (int)(600 - 260 * t), y, (int)(560 * t) + 1, 2 + (int)(12 * t), hex(0x5b4636));
    }
    quad(c, 330, H, 598, 601, 440, 462, hex(0xa9acb0));
    quad(c, 330, H, 602, 605, 800, 822, hex(0xa9acb0));
    quad(c, 330, H, 596, 597, -300, 330, hex(0xa7a39a));
    quad(c, 330, H, 597, 598, 318, 346, hex(0xe3c23a));
    for (int k = 1; k <= 7; k++) {
        double t = (double)k * k / 49.0;
        int x = (int)(560 - 560 * t), h = (int)(40 + 520 * t);
        rect(c, x, 330 - h / 2, 4 + (int)(22 * t), h, hex(0x3d4852));
    }
    rect(c, 576, 302, 48, 34, hex(0xc7362f));
    rect(c, 582, 308, 36, 10, hex(0xe8eef2));
}

static void
draw_school(struct canvas *c)
{
    gradient(c, 0, 470, hex(0x8ec5e8), hex(0xd9eef7));
    rect(c, 0, 470, W, H - 470, hex(0x6aa84f));
    quad(c, 560, 700, 80, 1120, 0, W, hex(0xb5533c));
    for (int k = 1; k < 4; k++)
        quad(c, 560 + k * 35, 562 + k * 35, 70, 1130, 68, 1132, hex(0xf0e6dc));
    rect(c, 200, 200, 800, 270, hex(0xe7dcc8));
    rect(c, 190, 185, 820, 20, hex(0x8a5a44));
    rect(c, 560, 110, 80, 90, hex(0xe7dcc8));
    circle(c, 600, 150, 30, hex(0xffffff));
    line(c, 600, 150, 600, 128, 2, hex(0x333333));
    line(c, 600, 150, 616, 156, 2, hex(0x333333));
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 12; k++)
            rect(c, 230 + k * 64, 230 + r * 70, 40, 44, hex(0x5b7fa3));
    rect(c, 570, 400, 60, 70, hex(0x4a3a30));
    for (int i = 0; i < 5; i++) {
        int x = i < 2 ? 60 + i * 80 : 1030 + (i - 2) * 60;
        rect(c, x - 6, 420, 12, 60, hex(0x5a4030));
        circle(c, x, 400, 44, hex(0x3d7a3a));
    }
    rect(c, 120, 180, 4, 290, hex(0xbfbfbf));
    rect(c, 124, 184, 70, 44, hex(0x2e6bb0));
}

static void
draw_banquet(struct canvas *c)
{
    for (int x = 0; x < W; x += 40)
        rect(c, x, 0, 40, 520, (x / 40) % 2 ? hex(0x7a1420) : hex(0x8c1a28));
    gradient(c, 520, H, hex(0x3a2a20), hex(0x24180f));
    glow(c, 600, 90, 170, hex(0xfff0c8));
    for (int i = 0; i < 7; i++)
        circle(c, 510 + i * 30, 100 + (i % 2) * 14, 7, hex(0xfff6dc));
    for (int i = 0; i < 2; i++) {
        int x = i ? 880 : 300;
        rect(c, x, 150, 6, 370, hex(0xc9a24a));
        rect(c, x + 6, 160, 96, 150, i ? hex(0xe6dcc0) : hex(0x2f4b6e));
    }
    for (int i = 0; i < 6; i++)
        rect(c, 290 + i * 110, 400, 60, 80, hex(0x4a2c1e));
    quad(c, 470, 560, 260, 940, 160, 1040, hex(0xf4f1ea));
    rect(c, 160, 560, 880, 60, hex(0xe2ddd2));
    for (int i = 0; i < 6; i++) {
        circle(c, 300 + i * 120, 515, 24, hex(0xffffff));
        circle(c, 300 + i * 120, 515, 16, hex(0xeeeae2));
        rect(c, 330 + i * 120, 478, 8, 26, hex(0xd8e4ec));
    }
}

static void
text_column(struct canvas *c, int x, int y0, int y1, int w)
{
    for (int y = y0; y + 6 < y1; y += 14)
        rect(c, x, y, w - (rnd(c) % 6 == 0 ? rnd_in(c, 20, 90) : 0), 6, hex(0xb7b3aa));
}

static void
draw_newspaper(struct canvas *c)
{
    gradient(c, 0, H, hex(0x7a5a3c), hex(0x5c4129));
    for (int i = 0; i < 60; i++)
        rect_a(c, 0, rnd_in(c, 0, H), W, 1, hex(0x3a2618), 60);
    rect_a(c, 176, 96, 700, 640, hex(0x000000), 80);
    rect(c, 160, 80, 700, 640, hex(0xf5f2ea));
    rect(c, 200, 110, 620, 34, hex(0x22252b));
    rect(c, 200, 154, 620, 3, hex(0x22252b));
    rect(c, 200, 176, 560, 22, hex(0x33363d));
    rect(c, 200, 206, 400, 22, hex(0x33363d));
    rect(c, 200, 248, 300, 190, hex(0x9aa3ab));
    circle(c, 300, 330, 40, hex(0xc9ced2));
    text_column(c, 520, 250, 690, 140);
    text_column(c, 680, 250, 690, 140);
    text_column(c, 200, 456, 690, 140);
    text_column(c, 360, 456, 690, 140);
    circle(c, 1010, 560, 112, hex(0xe9e6df));
    circle(c, 1010, 560, 76, hex(0xfbfaf6));
    circle(c, 1010, 560, 58, hex(0x4b2e1e));
    circle_a(c, 990, 540, 16, hex(0xffffff), 60);
    line(c, 920, 160, 1110, 380, 7, hex(0x1d1f24));
    line(c, 1110, 380, 1126, 398, 3, hex(0xc9a24a));
}

static void
listener(struct canvas *c, int x, int y, int r)
{
    ellipse_a(c, x, y + r * 2, r * 2, r, hex(0x06060a), 255);
    circle(c, x, y, r, hex(0x06060a));
}

static void
draw_stage(struct canvas *c)
{
    static const uint32_t beams[] = {0xffe6a8, 0x9ec9ff, 0xffa8d2, 0xb8ffd0, 0xffe6a8};
    gradient(c, 0, H, hex(0x0b0a14), hex(0x1a1030));
    rect(c, 80, 40, 1040, 14, hex(0x34303c));
    for (int i = 0; i < 5; i++) {
        int x = 180 + i * 210;
        quad_a(c, 54, 480, x - 12, x + 12, x - 150, x + 150, hex(beams[i]), 46);
        circle(c, x, 54, 14, hex(0xfff8e8));
    }
    rect(c, 0, 470, W, 42, hex(0x2b2233));
    rect(c, 0, 470, W, 4, hex(0x6a5a7a));
    for (int i = 0; i < 3; i++) {
        int x = 420 + i * 180;
        circle(c, x, 360, 16, hex(0x120e18));
        quad(c, 378, 470, x - 14, x + 14, x - 26, x + 26, hex(0x120e18));
    }
    for (int row = 0; row < 3; row++)
        for (int x = rnd_in(c, -20, 40); x < W + 40; x += rnd_in(c, 80, 120))
            listener(c, x, 590 + row * 60, 26 + row * 4);
}

/* --- the photos ----------------------------------------------------------------- */

struct scene {
    void (*draw)(struct canvas *c);
    const char *caption;
    const char *alt;
};

static const struct scene scenes[PH_COUNT] = {
    [PH_ASSEMBLY] = {draw_assembly, "The domed hall of the National Assembly at dusk.",
                     "Illustration of a pale domed building with a row of columns under an "
                     "orange evening sky."},
    [PH_SKYLINE] = {draw_skyline,
                    "Office towers in the financial district after the markets "
                    "close.",
                    "Illustration of a city skyline at dusk, with lit windows in dark towers "
                    "above a river."},
    [PH_CHART] = {draw_chart, "The benchmark index over the past month.",
                  "Illustration of a red line chart climbing across a light grid, with volume "
                  "bars along the bottom."},
    [PH_STADIUM] = {draw_stadium, "A league match under the floodlights.",
                    "Illustration of a football stadium at night, seen from the stands, with "
                    "floodlights and a striped green pitch."},
    [PH_HARBOUR] = {draw_harbour, "Container stacks on the quay at the country's busiest port.",
                    "Illustration of stacked shipping containers, two orange cranes and a cargo "
                    "ship on a blue sea."},
    [PH_MOUNTAINS] = {draw_mountains, "Ridges of the eastern highlands on a clear morning.",
                      "Illustration of three layers of blue-grey mountain ridges under a pale "
                      "sun, above a lake."},
    [PH_GALLERY] = {draw_gallery, "A gallery in central Seoul.",
                    "Illustration of three abstract paintings lit by spotlights on a gallery "
                    "wall, with a bench and a visitor."},
    [PH_BOOKS] = {draw_books, "New titles on the shelves of an independent bookshop.",
                  "Illustration of three wooden shelves full of books with colourful spines."},
    [PH_RAIL] = {draw_rail, "A platform on the intercity line.",
                 "Illustration of railway tracks and a platform running towards a red train in "
                 "the distance."},
    [PH_SCHOOL] = {draw_school, "A primary school in the capital region.",
                   "Illustration of a school building with a clock tower, trees and a running "
                   "track."},
    [PH_BANQUET] = {draw_banquet, "A hall prepared for a state banquet.",
                    "Illustration of a long white banquet table under a chandelier, with red "
                    "curtains and two banners."},
    [PH_NEWSPAPER] = {draw_newspaper, "The opinion pages.",
                      "Illustration of a newspaper on a wooden desk beside a cup of coffee and a "
                      "pen."},
    [PH_STAGE] = {draw_stage, "An evening performance at a concert hall.",
                  "Illustration of coloured stage lights above three performers, seen over the "
                  "heads of the audience."},
};

/* Draws scene i and encodes it as the JPEG a photographer would upload. */
static int
render_jpeg(size_t i, void **bytes, size_t *len)
{
    struct canvas c = {.px = xcalloc((size_t)W * H, 3), .seed = 0x9e3779b9u ^ (uint32_t)(i * 7919)};
    scenes[i].draw(&c);
    VipsImage *img =
        vips_image_new_from_memory(c.px, (size_t)W * H * 3, W, H, 3, VIPS_FORMAT_UCHAR);
    int rc = img && vips_jpegsave_buffer(img, bytes, len, "Q", 92, NULL) == 0 ? 0 : -1;
    if (img)
        g_object_unref(img);
    free(c.px);
    return rc;
}

struct worker {
    const char *dir;
    size_t first; /* this worker takes first, first + 2, ... */
    struct media_photo *out;
    int rc;
};

static void *
store_some(void *arg)
{
    static const struct media_limits quick = {.quick = true};
    struct worker *w = arg;
    w->rc = 0;
    for (size_t i = w->first; i < PH_COUNT && w->rc == 0; i += 2) {
        void *jpeg = NULL;
        size_t len = 0;
        char err[256] = "cannot draw it";
        w->rc = render_jpeg(i, &jpeg, &len);
        if (w->rc == 0)
            w->rc = media_photo_store(w->dir, jpeg, len, &quick, &w->out[i], err, sizeof(err));
        if (w->rc != 0)
            log_error("demo: photo %zu: %s", i, err);
        g_free(jpeg);
    }
    return NULL;
}

/* Stores the files on two threads; on failure removes what was stored. */
static int
store_files(const char *media_dir, struct media_photo out[PH_COUNT])
{
    struct worker w[2] = {{media_dir, 0, out, -1}, {media_dir, 1, out, -1}};
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, store_some, &w[1]) == 0;
    store_some(&w[0]);
    if (threaded)
        pthread_join(t, NULL);
    else
        store_some(&w[1]);
    if (w[0].rc == 0 && w[1].rc == 0)
        return 0;
    for (size_t i = 0; i < PH_COUNT; i++)
        if (out[i].name[0])
            media_photo_remove(media_dir, out[i].name);
    return -1;
}

int
demo_photos_create(struct store *st, const char *media_dir, int64_t ids[PH_COUNT])
{
    struct media_photo out[PH_COUNT];
    memset(out, 0, sizeof(out));
    if (media_init() != 0 || store_files(media_dir, out) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < PH_COUNT && rc == 0; i++) {
        struct store_photo p = {.name = out[i].name,
                                .width = out[i].width,
                                .height = out[i].height,
                                .widths = out[i].widths,
                                .caption = (char *)scenes[i].caption,
                                .credit = (char *)CREDIT,
                                .alt = (char *)scenes[i].alt};
        rc = store_call(st, photo_save, &p) == STORE_OK ? 0 : -1;
        ids[i] = p.id;
    }
    if (rc != 0)
        for (size_t i = 0; i < PH_COUNT; i++)
            media_photo_remove(media_dir, out[i].name);
    return rc;
}
