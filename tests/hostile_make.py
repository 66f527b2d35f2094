"""Generators of broken and hostile input files for the reliability tests (no binary blobs in git).

`make_pdf` writes a small text PDF by hand (Helvetica, ASCII text) so tests control every byte:
optional RC4 encryption (standard security handler, revision 2), a damaged xref table, or a page
whose content stream cannot be decoded.
"""
from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_PERMISSIONS = -44

# A small synthetic plan (invented commune and officers) in the Decree 30 layout.
SYNTHETIC_PLAN = """\
ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ TÂN THỦY                        Độc lập - Tự do - Hạnh phúc

Số: 27/KH-UBND                     Tân Thủy, ngày 09 tháng 4 năm 2024

KẾ HOẠCH
Nâng cao Chỉ số hiệu quả quản trị và hành chính công (PAPI) năm 2024

Căn cứ Kế hoạch số 118/KH-UBND ngày 20/02/2024 của UBND huyện Mỹ Xuyên;
Ủy ban nhân dân xã Tân Thủy xây dựng Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng phục vụ người dân, cải thiện điểm số các chỉ số thành phần.

II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Chỉ số Công khai, minh bạch
- Cơ quan chủ trì: Công chức Địa chính - Xây dựng.
- Nhiệm vụ: Niêm yết công khai quy hoạch sử dụng đất tại trụ sở.
- Thời gian thực hiện: Thường xuyên trong năm 2024.
2. Chỉ số Kiểm soát tham nhũng trong khu vực công
- Cơ quan chủ trì: Công chức Tư pháp - Hộ tịch.
- Nhiệm vụ: Tiếp nhận và xử lý kịp thời phản ánh, kiến nghị của người dân.
- Thời gian thực hiện: Trước ngày 30/6/2024.

III. KINH PHÍ THỰC HIỆN
Từ nguồn ngân sách xã năm 2024.

IV. TỔ CHỨC THỰC HIỆN
Các bộ phận căn cứ nhiệm vụ được giao triển khai thực hiện.

                                   TM. ỦY BAN NHÂN DÂN
                                   CHỦ TỊCH

                                   Lê Thị Mai
"""


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + _PAD)[:32]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], user_password: bytes | None = None, owner_password: bytes = b"owner",
             broken_xref: bool = False, bad_pages: tuple[int, ...] = ()) -> bytes:
    """A text PDF with one line of text per list item. `user_password` (b"" = opens without a
    password) encrypts it; `bad_pages` (1-based) get a content stream that is not valid Flate."""
    n = len(pages)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(f"{4 + 2 * i} 0 R".encode() for i in range(n))
           + f"] /Count {n} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    streams: dict[int, tuple[bytes, bytes]] = {}
    for i, lines in enumerate(pages):
        page_no, content_no = 4 + 2 * i, 5 + 2 * i
        objects[page_no] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
                            f"<< /F1 3 0 R >> >> /Contents {content_no} 0 R >>").encode()
        ops = "".join(f"BT /F1 11 Tf 60 {780 - 16 * k} Td ({_escape(line)}) Tj ET\n"
                      for k, line in enumerate(lines))
        data = ops.encode("latin-1")
        if i + 1 in bad_pages:
            streams[content_no] = (b"/Filter /FlateDecode", b"\x00garbage, not zlib\xff" * 8)
        else:
            streams[content_no] = (b"", data)
    file_id = hashlib.md5(repr(pages).encode()).digest()
    encrypt_no = 4 + 2 * n
    key = None
    if user_password is not None:
        o_key = hashlib.md5(_padded(owner_password)).digest()[:5]
        o_value = rc4(o_key, _padded(user_password))
        seed = _padded(user_password) + o_value + struct.pack("<i", _PERMISSIONS) + file_id
        key = hashlib.md5(seed).digest()[:5]
        u_value = rc4(key, _PAD)
        objects[encrypt_no] = (f"<< /Filter /Standard /V 1 /R 2 /O <{o_value.hex()}> /U <{u_value.hex()}> "
                               f"/P {_PERMISSIONS} >>").encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(set(objects) | set(streams)):
        offsets[num] = out.tell()
        out.write(f"{num} 0 obj\n".encode())
        if num in streams:
            extra, data = streams[num]
            if key is not None:
                data = rc4(hashlib.md5(key + num.to_bytes(3, "little") + b"\x00\x00").digest()[:10], data)
            out.write(b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream")
        else:
            out.write(objects[num])
        out.write(b"\nendobj\n")
    xref_at = out.tell()
    size = max(offsets) + 1
    out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for num in range(1, size):
        offset = offsets[num] + (37 if broken_xref else 0)  # every entry points into the wrong place
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"<< /Size {size} /Root 1 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
    if key is not None:
        trailer += f" /Encrypt {encrypt_no} 0 R"
    out.write(f"trailer\n{trailer} >>\nstartxref\n{xref_at + (11 if broken_xref else 0)}\n%%EOF\n".encode())
    return out.getvalue()


def make_many_pages_pdf(n: int) -> bytes:
    """A tiny PDF declaring `n` pages that all share one content stream."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
               b"<< /Length 0 >>\nstream\n\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{num} 0 obj\n".encode() + body + b"\nendobj\n")
    xref_at = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(paragraphs: list[str], path: Path) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def rewrite_zip(src: Path, dest: Path, replace: dict[str, bytes] | None = None,
                add: dict[str, bytes] | None = None) -> Path:
    """Copy a zip package, replacing or adding parts (deflated)."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dest


def make_zip(parts: dict[str, bytes], dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return dest


def make_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring width x height, with one tiny IDAT (decoding fails, the header reads)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b"\x00" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b"")
