"""The bulletin's charts as PNG images, drawn with matplotlib (Agg backend) in Noto CJK.

Why matplotlib: it draws offline in the pipeline's own process, with no browser and no network —
Plotly's static export needs Kaleido and a Chromium, which a government server need not have and which
costs seconds to start per chart. The fonts are Debian's fonts-noto-cjk (installed with LibreOffice for
the PDF), found by file so a missing font is a clear error, not boxes in place of characters.
"""
from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
MAX_BARS = 30  # a province's scope has hundreds of regions: the chart shows the lowest
MAX_LINES = 6


@functools.lru_cache(maxsize=1)
def cjk_font() -> str:
    for f in FONT_FILES:
        if Path(f).exists():
            font_manager.fontManager.addfont(f)
            return font_manager.FontProperties(fname=f).get_name()
    raise RuntimeError("未找到 Noto CJK 字体（apt install fonts-noto-cjk）/ Noto CJK fonts not found: "
                       "install Debian's fonts-noto-cjk")


def _figure(height: float):
    plt.rcParams["font.family"] = [cjk_font()]
    plt.rcParams["axes.unicode_minus"] = False
    return plt.subplots(figsize=(6.3, height), dpi=150)


def completion_by_region(rows: list[dict], path: Path) -> Path | None:
    """Horizontal bars: completion rate per region, lowest first (at most MAX_BARS)."""
    rows = [r for r in rows if r["completion_rate"] is not None][:MAX_BARS]
    if not rows:
        return None
    fig, ax = _figure(max(2.0, 0.32 * len(rows) + 0.9))
    names = [r["region"] for r in rows][::-1]
    values = [float(r["completion_rate"]) * 100 for r in rows][::-1]
    bars = ax.barh(names, values, color="#b22222")
    ax.bar_label(bars, labels=[f"{v:.1f}%" for v in values], padding=2, fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("任务完成率（%）= 已完成 / 有截止日期的任务")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def pm25_path(rows: list[dict], year: int, path: Path) -> Path | None:
    """Lines: the year-to-date mean PM2.5 of each region against its binding level (dashed) and its
    力争 level (dotted)."""
    by_region: dict[str, list[dict]] = {}
    for r in rows:
        by_region.setdefault(r["region"], []).append(r)
    regions = sorted(by_region)[:MAX_LINES]
    if not regions:
        return None
    fig, ax = _figure(3.2)
    for i, region in enumerate(regions):
        points = by_region[region]
        color = f"C{i}"
        ax.plot([p["month"] for p in points], [float(p["ytd_value"]) for p in points], marker="o", color=color,
                label=f"{region} 累计均值")
        for key, style, word in (("target_threshold", "--", "目标"), ("stretch_threshold", ":", "力争")):
            level = next((p[key] for p in points if p[key] is not None), None)
            if level is not None:
                ax.axhline(float(level), color=color, linestyle=style, linewidth=1)
                ax.annotate(f"{region} {word} {float(level):g}", (12.4, float(level)), fontsize=7, color=color,
                            ha="right", va="bottom")
    ax.set_xlim(0.5, 12.5)
    ax.set_xticks(range(1, 13))
    ax.set_xlabel(f"{year}年 月份")
    ax.set_ylabel("PM2.5（µg/m³）")
    ax.legend(fontsize=7, loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
