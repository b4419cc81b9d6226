#!/usr/bin/env python3
"""Writes the PDF fixtures of crates/imr-pdf/tests/read.rs (fictional people, made up text).

    python3 make_fixtures.py   # in this folder; needs qpdf for the password-protected copy

- fictional-letter.pdf: two pages of a made-up letter in Helvetica, with a word hyphenated
  across a line break, a header row with two label/value pairs and a blank line.
- scanned.pdf: one page with only a filled rectangle (no text layer), like a scan.
- password.pdf: fictional-letter.pdf encrypted (AES-256) with the user password "secret".
- empty-password.pdf: fictional-letter.pdf encrypted (AES-128) with an empty user password, as
  the published letters are.
"""
import subprocess

PAGES = [
    [
        (72, 720, "Case Number:  CM00-0000001        Date Assigned:  01/02/2017"),
        (72, 700, "Priority:  Standard"),
        (72, 660, "CLINICAL CASE SUMMARY"),
        (72, 630, "The injured worker is a fictional 40 year old clerk. The evidence-"),
        (72, 616, "based plan was reviewed."),
    ],
    [
        (72, 720, "Physical therapy, 6 sessions:  Overturned"),
        (72, 690, "Decision based on MTUS Chronic Pain 2009."),
    ],
]


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build(pages_content):
    """A minimal PDF 1.4 with a correct cross-reference table."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
    kids = []
    next_id = 4
    for content in pages_content:
        page_id, stream_id = next_id, next_id + 1
        next_id += 2
        kids.append(page_id)
        objs[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                         f"/Resources << /Font << /F1 3 0 R >> >> /Contents {stream_id} 0 R >>").encode()
        objs[stream_id] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    objs[2] = ("<< /Type /Pages /Kids [%s] /Count %d >>"
               % (" ".join(f"{k} 0 R" for k in kids), len(kids))).encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for i in sorted(objs):
        offsets[i] = len(out)
        out += b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for i in range(1, size):
        out += b"%010d 00000 n \n" % offsets[i]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def text_page(lines):
    ops = [b"BT /F1 11 Tf"]
    for x, y, s in lines:
        ops.append(b"1 0 0 1 %d %d Tm (%s) Tj" % (x, y, esc(s).encode("cp1252")))
    ops.append(b"ET")
    return b"\n".join(ops)


with open("fictional-letter.pdf", "wb") as f:
    f.write(build([text_page(p) for p in PAGES]))
with open("scanned.pdf", "wb") as f:
    f.write(build([b"0.5 g 72 72 468 648 re f"]))
subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", "fictional-letter.pdf",
                "password.pdf"], check=True)
subprocess.run(["qpdf", "--encrypt", "", "owner", "128", "--use-aes=y", "--",
                "fictional-letter.pdf", "empty-password.pdf"], check=True)
