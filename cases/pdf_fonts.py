"""The documents' Chinese faces, cut down to the GB 2312 repertoire once per machine.

WeasyPrint embeds a subset of every face a document uses, and to make it reads the whole font file:
it copies the face's data into Python (``Font.__init__``) and has HarfBuzz subset the face twice
(``Font._harfbuzz_subset``). The Noto CJK collections are 19-27 MB with 65,535 glyphs each, so a
one-page order or closure report spent ~70 % of its ~90 ms of CPU on the fonts, not on its layout
(py-spy; docs/performance.md, "The documents' fonts").

So the first document of a machine writes, next to the other local state (``VAR_DIR/fonts``), a
copy of each face keeping only the characters of GB 2312 (6,763 hanzi and its symbols), the 64 others
of Zhejiang's place names, ASCII, Latin-1 and the CJK punctuation and full-width forms: 3.5-5 MB,
made by HarfBuzz in ~0.2 s. (Keeping all 20,992 unified ideographs instead: 11 MB, and a one-page
document saved a third of its CPU instead of three fifths.) The
stylesheets name these faces first and the system's Noto CJK after them, so a character outside the
repertoire (a rare character in a name, such as 堃) is drawn from the whole face: Pango falls back
character by character, and such a document costs what every document cost before. The glyphs and
their metrics are those of the same face, so the layout does not change.

Nothing here is needed for a correct document: without HarfBuzz's subsetter or the system's Noto
CJK (``font_faces_css`` returns "") the stylesheets' next family is the whole face, as before.
"""

import hashlib
import logging
import os
import threading
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# (CSS family the stylesheets name first, CSS weight, the system face it is cut from)
FACES = (
    ("Noto Sans CJK SC GB2312", "normal", "Noto Sans CJK SC:weight=80"),
    ("Noto Sans CJK SC GB2312", "bold", "Noto Sans CJK SC:weight=200"),
    ("Noto Serif CJK SC GB2312", "normal", "Noto Serif CJK SC:weight=80"),
    ("Noto Serif CJK SC GB2312", "bold", "Noto Serif CJK SC:weight=200"),
)
RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x17F),  # Latin-1, Latin Extended-A
    (0x2000, 0x206F),  # general punctuation (—, …, ‰)
    (0x2100, 0x21FF),  # letterlike symbols, Roman numerals, arrows
    (0x2460, 0x25FF),  # circled numbers, box drawing, shapes
    (0x3000, 0x30FF),  # CJK punctuation (、。〇「」), kana
    (0xFF00, 0xFFEF),  # full-width forms (，：（）)
)
# The characters of Zhejiang's official division names (shared/data/regions-zhejiang.csv) that GB 2312
# lacks: every place name of the province is drawn from the cut-down faces.
PLACE_NAMES = (
    "乢劄囮坵垚垟垵垷埼堧塆墈墺寀岕峃峇峧崷嵔嶀巉廻復扆敭斢旸昇榅槜汎"
    "沚泑浬湗溇漈澥濛玠琯璟甪甽矴硠碶磻筀籐翙舥荘觃輶迴邨鄮鑑閤霅頔骍"
)

_lock = threading.Lock()
_css = None


def repertoire() -> list[int]:
    """Every code point the cut-down faces keep."""
    points = {p for first, last in RANGES for p in range(first, last + 1)} | {ord(c) for c in PLACE_NAMES}
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(points)


def _libraries():
    from cffi import FFI

    ffi = FFI()
    ffi.cdef("""
        typedef struct _FcPattern FcPattern;
        typedef unsigned char FcChar8;
        typedef int FcResult;
        FcPattern *FcNameParse(const FcChar8 *name);
        int FcConfigSubstitute(void *config, FcPattern *p, int kind);
        void FcDefaultSubstitute(FcPattern *pattern);
        FcPattern *FcFontMatch(void *config, FcPattern *p, FcResult *result);
        FcResult FcPatternGetString(const FcPattern *p, const char *object, int n, FcChar8 **s);
        FcResult FcPatternGetInteger(const FcPattern *p, const char *object, int n, int *i);
        void FcPatternDestroy(FcPattern *p);

        typedef struct hb_blob_t hb_blob_t;
        typedef struct hb_face_t hb_face_t;
        typedef struct hb_set_t hb_set_t;
        typedef struct hb_subset_input_t hb_subset_input_t;
        hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
        void hb_blob_destroy(hb_blob_t *blob);
        const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
        hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
        void hb_face_destroy(hb_face_t *face);
        hb_blob_t *hb_face_reference_blob(hb_face_t *face);
        void hb_set_add_sorted_array(hb_set_t *set, const uint32_t *sorted, unsigned int length);
        hb_subset_input_t *hb_subset_input_create_or_fail(void);
        void hb_subset_input_destroy(hb_subset_input_t *input);
        hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
        hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
    """)
    libraries = ("libfontconfig.so.1", "libharfbuzz.so.0", "libharfbuzz-subset.so.0")
    return (ffi, *(ffi.dlopen(name) for name in libraries))


def _system_face(ffi, fc, pattern: str) -> tuple[str, int] | None:
    """The file and index fontconfig gives for ``pattern``, if it is the family and weight asked
    for (not its nearest substitute: a regular face declared bold would be drawn thin where the
    whole face's fallback is emboldened)."""
    wanted = ffi.new("char[]", pattern.encode())
    query = fc.FcNameParse(ffi.cast("FcChar8 *", wanted))
    fc.FcConfigSubstitute(ffi.NULL, query, 0)  # FcMatchPattern
    fc.FcDefaultSubstitute(query)
    result = ffi.new("FcResult *")
    match = fc.FcFontMatch(ffi.NULL, query, result)
    fc.FcPatternDestroy(query)
    if match == ffi.NULL:
        return None
    try:
        text, index = ffi.new("FcChar8 **"), ffi.new("int *")
        if fc.FcPatternGetString(match, b"family", 0, text) != 0:
            return None
        family, _, weight = pattern.partition(":weight=")
        if ffi.string(text[0]).decode() != family:
            return None
        if fc.FcPatternGetInteger(match, b"weight", 0, index) != 0 or index[0] != int(weight):
            return None
        if fc.FcPatternGetString(match, b"file", 0, text) != 0:
            return None
        path = ffi.string(text[0]).decode()
        return path, (index[0] if fc.FcPatternGetInteger(match, b"index", 0, index) == 0 else 0)
    finally:
        fc.FcPatternDestroy(match)


def _cut(ffi, hb, hbs, source: str, index: int, points: list[int]) -> bytes | None:
    blob = hb.hb_blob_create_from_file_or_fail(source.encode())
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    wanted = hbs.hb_subset_input_create_or_fail()
    try:
        array = ffi.new(f"uint32_t[{len(points)}]", points)
        hb.hb_set_add_sorted_array(hbs.hb_subset_input_unicode_set(wanted), array, len(points))
        cut = hbs.hb_subset_or_fail(face, wanted)
        if cut == ffi.NULL:
            return None
        data = hb.hb_face_reference_blob(cut)
        length = ffi.new("unsigned int *")
        content = ffi.unpack(hb.hb_blob_get_data(data, length), length[0])
        hb.hb_blob_destroy(data)
        hb.hb_face_destroy(cut)
        return content or None
    finally:
        hbs.hb_subset_input_destroy(wanted)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def font_dir() -> Path:
    return Path(settings.VAR_DIR) / "fonts"


def _made(ffi, fc, hb, hbs, pattern: str, points) -> Path | None:
    """The cut-down copy of the system face ``pattern``, written on first use; its name digests the
    source file (path, index, size, date) and the repertoire, so a font update or another repertoire
    makes a new one (and the one it replaces is removed)."""
    found = _system_face(ffi, fc, pattern)
    if found is None:
        return None
    source, index = found
    stat = os.stat(source)
    key = hashlib.sha256(f"{source}\0{index}\0{stat.st_size}\0{stat.st_mtime_ns}\0{points}".encode())
    prefix = f"{Path(source).stem}-{index}-"
    target = font_dir() / f"{prefix}{key.hexdigest()[:12]}.otf"
    if target.is_file():
        return target
    content = _cut(ffi, hb, hbs, source, index, points)
    if content is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_bytes(content)
    os.replace(partial, target)  # another process writing the same bytes at once is harmless
    for older in font_dir().glob(f"{prefix}*.otf"):
        if older != target:
            older.unlink(missing_ok=True)
    return target


def font_faces_css() -> str:
    """@font-face rules for the cut-down faces, made on the first call of the process; "" where
    they cannot be made (the stylesheets' next families are the whole faces)."""
    global _css
    with _lock:
        if _css is None:
            try:
                ffi, fc, hb, hbs = _libraries()
                points = repertoire()
                rules = []
                for family, weight, pattern in FACES:
                    path = _made(ffi, fc, hb, hbs, pattern, points)
                    if path is not None:
                        rules.append(
                            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                            f'src: url("{path.as_uri()}"); }}'
                        )
                _css = "\n".join(rules)
            except (OSError, ImportError, AttributeError) as error:
                logger.warning("documents keep the whole Noto CJK faces: %s", error)
                _css = ""
        return _css
