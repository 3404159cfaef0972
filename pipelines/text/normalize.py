"""Text normalisation, in one place.

Real plan texts carry markdown remnants (``**2023**``, ``# 标题``, ``PM<sub>2.5</sub>``,
``$PM_{2.5}$``), a mix of half- and full-width characters, spaces inside numbers and names
(``阳泉市 2023 年``, ``行 动 计 划``) and traditional script. Everything downstream works on the
normalised form; the original line is always kept beside it.

Conventions of the normalised form:
- letters, digits and ``. % / -`` are half-width (``２０２３`` -> ``2023``);
- Chinese punctuation is full-width (``(``, ``)``, ``,``, ``:``, ``;`` -> ``（ ） ， ： ；``),
  except a comma or colon between two digits (``1,000``, ``10:30``);
- whitespace survives only between two Latin letters/digits (``GB 29620``);
- traditional characters are converted to simplified (OpenCC t2s).

Noise of published copies, removed here and nowhere else:
- digits split by PDF extraction (``2 0 2 1 年``, ``6 . 5``) are joined, whatever the space;
- inline pinyin after characters (``達到(dào)``) is dropped, tone marks identify it;
- anti-scrape junk tokens (``@@``, ``##``) and the ``??`` of full-width spaces lost in encoding are dropped;
- water classes are written with Roman numerals (``III类`` / ``三类`` / ``三(Ⅲ)类`` -> ``Ⅲ类``,
  ``劣V类`` / ``劣五类`` -> ``劣Ⅴ类``);
- a full-width ``。`` between digits (``71。4``) is a decimal point.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*")
_BOLD = re.compile(r"\*\*|__")
_SUB_SUP = re.compile(r"</?(?:sub|sup|br|span|p|b|strong|em)\s*/?>", re.IGNORECASE)
_LATEX = re.compile(r"\$\s*([A-Za-z]+)\s*_\{?\s*([0-9.]+)\s*\}?\s*\$")
_LATEX_SUB = re.compile(r"(?<![A-Za-z])([A-Z][A-Za-z]?)\s*_\{?\s*([0-9.]+)\s*\}?")
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_HAS_SUBSCRIPT = re.compile(r"[₀-₉]")
_SPACED_SUBSCRIPT = re.compile(r"(?<![A-Za-z])([A-Z][A-Za-z]?)\s+(?=[₀-₉])")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009]+")

# 达到(dào)85%以(yǐ)上: a syllable with a tone mark, in brackets, right after a Chinese character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = rf"[a-zü{_TONED}]+"
# 达到(dào) / 为(wéi / wèi) / 地(dì / de): one or several readings, at least one with a tone mark.
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])[(（](?=[^()（）]*[{_TONED}])\s*{_SYLLABLE}(?:\s*/\s*{_SYLLABLE})*\s*[)）]")
# @@ after every word (anti-scrape); ?? where a page's full-width spaces were lost in encoding.
_JUNK = re.compile(r"^[\s?]*\?|@{2,}|#{2,}|\^{2,}|\?{2,}")
# 2 0 2 1 年 / 6 . 5 (digits or a decimal point separated by spaces): joined before spaces are read.
_SPLIT_DIGITS = re.compile(r"(?<=\d)[ \t\u3000\u00a0]+(?=[\d.])|(?<=\d\.)[ \t\u3000\u00a0]+(?=\d)")
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
_CN_CLASS = {"一": "Ⅰ", "二": "Ⅱ", "三": "Ⅲ", "四": "Ⅳ", "五": "Ⅴ"}
_ROMAN_CLASS = re.compile(r"(?<![A-Za-z])(VI|IV|V|III|II|I)(?=类)")
# 三(Ⅲ)类 / 三类水质 / 劣五类 / 优于三类: a Chinese class numeral in a water-class phrase only
# (一类区 or 三类人员 elsewhere are left alone).
_CN_CLASS_WITH_ROMAN = re.compile(r"[一二三四五][(（]([ⅠⅡⅢⅣⅤⅥ])[)）](?=类)")
_CN_CLASS_IN_WATER = re.compile(
    r"(?:(?<=劣)|(?<=劣于)|(?<=优于)|(?<=达到))([一二三四五])(?=类)|([一二三四五])(?=类(?:水|及以上|以上|标准|断面))")
_DECIMAL_STOP = re.compile(r"(?<=\d)。(?=\d{1,2}(?![\d年、.）]))")

_TO_FULL_WIDTH = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
# NFKC would turn these full-width marks into ASCII; we keep them Chinese.
_KEEP_FULL_WIDTH = set("（），：；！？")


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    return opencc.OpenCC("t2s")


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum())


# Full-width ASCII (U+FF01–U+FF5E) -> half-width, except the marks kept Chinese; one C-level pass.
_HALF_WIDTH = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFF01, 0xFF5F)
               if chr(cp) not in _KEEP_FULL_WIDTH}
_FULL_PUNCTUATION = str.maketrans({k: v for k, v in _TO_FULL_WIDTH.items() if k not in ",:"})
_COMMA_COLON = re.compile(r"[,:]")


def _width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def _comma_colon(m: re.Match) -> str:
    text, i = m.string, m.start()
    if i and i + 1 < len(text) and text[i - 1].isdigit() and text[i + 1].isdigit():
        return m.group()  # 1,000 / 10:30
    return _TO_FULL_WIDTH[m.group()]


def _punctuation(text: str) -> str:
    if "," in text or ":" in text:
        text = _COMMA_COLON.sub(_comma_colon, text)
    return text.translate(_FULL_PUNCTUATION)


def _spaces(text: str) -> str:
    parts = _SPACES.split(text.strip())
    if len(parts) <= 1:
        return text.strip()
    out = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        if out and _is_ascii_word(out[-1]) and _is_ascii_word(part[0]):
            out += " " + part
        else:
            out += part
    return out


def strip_markup(text: str) -> str:
    # Each pattern needs a character most lines lack: tested first, the line is not scanned.
    if "#" in text:
        text = _MARKDOWN_HEADING.sub("", text)
    if "*" in text or "__" in text:
        text = _BOLD.sub("", text)
    if "<" in text:
        text = _SUB_SUP.sub("", text)
    if "_" in text:
        text = _LATEX.sub(r"\1\2", text)
        text = _LATEX_SUB.sub(r"\1\2", text)
    if _HAS_SUBSCRIPT.search(text):
        text = _SPACED_SUBSCRIPT.sub(r"\1", text).translate(_SUBSCRIPT_DIGITS)  # O ₃ -> O3
    return text


def _noise(text: str) -> str:
    """Noise of published copies (see the module docstring); ``text`` is already half-width."""
    if "@" in text or "#" in text or "^" in text or "?" in text:
        text = _JUNK.sub("", text)
    if "(" in text or "（" in text:
        text = _PINYIN.sub("", text)
        text = _CN_CLASS_WITH_ROMAN.sub(r"\1", text)
    text = _SPLIT_DIGITS.sub("", text)
    if "类" in text:
        text = _ROMAN_CLASS.sub(lambda m: _ROMAN[m.group(1)], text)
        text = _CN_CLASS_IN_WATER.sub(lambda m: _CN_CLASS[m.group(1) or m.group(2)], text)
    if "。" in text:
        text = _DECIMAL_STOP.sub(".", text)
    return text


def normalize(text: str) -> str:
    """The one normalisation of a line of plan or submission text."""
    text = strip_markup(text)
    text = _width(text)
    conv = _t2s()
    if conv is not None:
        text = conv.convert(text)
    text = _noise(text)
    text = _punctuation(text)
    return _spaces(text)
