//! PDFs crafted to cost: one page whose content stream is a run of one byte, deflated about
//! 1000:1 (1.5 GB in 1.5 MB), and the slow shapes the reading limits are measured against
//! (many streams, huge images, a deep page tree, drawings nested wide). They are written
//! directly, in well under a second, instead of compressing the runs.

use std::io::Write;

/// A one-page PDF whose content stream inflates to `decoded` copies of `fill`.
pub fn inflating_pdf(decoded: u64, fill: u8) -> Vec<u8> {
    let stream = zlib_run(decoded, fill);
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        stream_object("/Filter /FlateDecode", &stream),
    ])
}

/// A one-page PDF whose page draws `streams` content streams, each inflating to `each` copies
/// of `fill`: every stream under the limit per stream, all of them far past the one per
/// document (520 streams of 31 MiB are 16.5 MB on disk and 16 GiB inflated).
pub fn many_streams_pdf(streams: usize, each: u64, fill: u8) -> Vec<u8> {
    let stream = stream_object("/Filter /FlateDecode", &zlib_run(each, fill));
    let contents: Vec<String> = (0..streams).map(|i| format!("{} 0 R", i + 4)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [{}] >>",
            contents.join(" ")
        )
        .into_bytes(),
    ];
    objects.extend(std::iter::repeat_n(stream, streams));
    pdf_of(&objects)
}

/// A one-page PDF of text that also draws `images` grey images, each inflating to `each`
/// bytes: the text needs none of their pixels.
pub fn huge_images_pdf(images: usize, each: u64) -> Vec<u8> {
    let side = (each as f64).sqrt() as u64;
    let image = stream_object(
        &format!(
            "/Type /XObject /Subtype /Image /Width {side} /Height {} /ColorSpace /DeviceGray \
             /BitsPerComponent 8 /Filter /FlateDecode",
            each / side.max(1)
        ),
        &zlib_run(each, 0x80),
    );
    let first = 6;
    let names: Vec<String> = (0..images)
        .map(|i| format!("/Im{i} {} 0 R", first + i))
        .collect();
    let mut content =
        String::from("BT /F1 12 Tf 72 720 Td (Progress note: images attached.) Tj ET\n");
    for i in 0..images {
        content.push_str(&format!("q 612 0 0 792 0 0 cm /Im{i} Do Q\n"));
    }
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> /XObject << {} >> >> >>",
            names.join(" ")
        )
        .into_bytes(),
        stream_object("", content.as_bytes()),
        HELVETICA.to_vec(),
    ];
    objects.extend(std::iter::repeat_n(image, images));
    pdf_of(&objects)
}

/// A PDF whose one page of text hangs `depth` levels down a chain of page-tree nodes, each
/// inheriting the resources of the one above.
pub fn deep_page_tree_pdf(depth: usize) -> Vec<u8> {
    let depth = depth.max(1);
    let mut objects = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()];
    // Nodes 2 ..= depth + 1; the page is depth + 2, its content depth + 3, the font depth + 4.
    for level in 0..depth {
        let id = level + 2;
        let parent = if level == 0 {
            format!("/Resources << /Font << /F1 {} 0 R >> >>", depth + 4)
        } else {
            format!("/Parent {} 0 R", id - 1)
        };
        objects.push(
            format!(
                "<< /Type /Pages /Kids [{} 0 R] /Count 1 {parent} >>",
                id + 1
            )
            .into_bytes(),
        );
    }
    objects.push(
        format!(
            "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 612 792] /Contents {} 0 R >>",
            depth + 1,
            depth + 3
        )
        .into_bytes(),
    );
    objects.push(stream_object(
        "",
        b"BT /F1 12 Tf 72 720 Td (Progress note: deep in the tree.) Tj ET",
    ));
    objects.push(HELVETICA.to_vec());
    pdf_of(&objects)
}

/// A one-page PDF whose page draws a Form XObject that draws the next `fanout` times, `depth`
/// levels down (`fanout` to the power `depth` drawings), the last drawing a line of text.
pub fn nested_forms_pdf(depth: usize, fanout: usize) -> Vec<u8> {
    let depth = depth.max(1);
    // Forms are objects 5 ..= depth + 4; the font is depth + 5.
    let font = depth + 5;
    let form = |level: usize| {
        let id = level + 5;
        let body = if level + 1 == depth {
            b"BT /F1 12 Tf 72 720 Td (A drawing.) Tj ET".to_vec()
        } else {
            "/Fx Do ".repeat(fanout).into_bytes()
        };
        let resources = if level + 1 == depth {
            format!("/Font << /F1 {font} 0 R >>")
        } else {
            format!("/XObject << /Fx {} 0 R >>", id + 1)
        };
        stream_object(
            &format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << {resources} >>"
            ),
            &body,
        )
    };
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /XObject << /Fx 5 0 R >> >> >>"
            .to_vec(),
        stream_object("", b"/Fx Do"),
    ];
    objects.extend((0..depth).map(form));
    objects.push(HELVETICA.to_vec());
    pdf_of(&objects)
}

/// A standard font, so that the page's text is read.
const HELVETICA: &[u8] =
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

/// A stream object's body: `dict` entries besides /Length, then the bytes.
pub fn stream_object(dict: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("<< /Length {} {dict} >>\nstream\n", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A PDF of these object bodies, numbered from 1 (the first is the catalog), with its
/// cross-reference table.
pub fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        let _ = writeln!(pdf, "{} 0 obj", i + 1);
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let _ = write!(pdf, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(pdf, "{offset:010} 00000 n ");
    }
    let _ = write!(
        pdf,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf
}

/// A zlib stream of `count` copies of `fill`: one dynamic-Huffman deflate block in which the
/// repeat "258 bytes back 1" costs two bits, so the run is mostly zero bytes.
pub fn zlib_run(count: u64, fill: u8) -> Vec<u8> {
    let mut bits = Bits::default();
    // Block header: final, dynamic Huffman; 286 literal/length codes, 1 distance code, and
    // code lengths for the first 18 code-length symbols in their transmission order.
    bits.put(1, 1);
    bits.put(2, 2);
    bits.put(29, 5);
    bits.put(0, 5);
    bits.put(14, 4);
    // The code-length alphabet: symbols 0, 1, 2 and 18, two bits each.
    const ORDER: [usize; 18] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    for symbol in ORDER {
        bits.put(u32::from(matches!(symbol, 0 | 1 | 2 | 18)) * 2, 3);
    }
    let code_length = |bits: &mut Bits, symbol: u32| {
        let code = match symbol {
            0 => 0b00,
            1 => 0b01,
            2 => 0b10,
            _ => 0b11,
        };
        bits.put_code(code, 2);
    };
    // Literal `fill` and end-of-block get 2 bits, length 258 (code 285) 1 bit; distance 1
    // (code 0) 1 bit.
    let mut lengths = vec![0u32; 287];
    lengths[usize::from(fill)] = 2;
    lengths[256] = 2;
    lengths[285] = 1;
    lengths[286] = 1;
    let mut i = 0;
    while i < lengths.len() {
        let run = lengths[i..]
            .iter()
            .take_while(|&&l| l == 0)
            .count()
            .min(138);
        if run >= 11 {
            code_length(&mut bits, 18);
            bits.put((run - 11) as u32, 7);
            i += run;
        } else {
            code_length(&mut bits, lengths[i]);
            i += 1;
        }
    }
    // Codes (canonical): 285 -> 0, distance 0 -> 0, fill -> 10, end of block -> 11.
    let mut left = count;
    if left > 0 {
        bits.put_code(0b10, 2);
        left -= 1;
    }
    // Four repeats are eight zero bits.
    let bytes = left / (4 * 258);
    bits.put_zero_bytes(bytes as usize);
    left -= bytes * 4 * 258;
    while left >= 258 {
        bits.put(0, 2);
        left -= 258;
    }
    for _ in 0..left {
        bits.put_code(0b10, 2);
    }
    bits.put_code(0b11, 2);
    bits.flush();

    let mut out = vec![0x78, 0x01];
    out.extend_from_slice(&bits.out);
    out.extend_from_slice(&adler32_run(count, fill).to_be_bytes());
    out
}

/// The Adler-32 of `count` copies of `fill`, from its closed form.
fn adler32_run(count: u64, fill: u8) -> u32 {
    const MOD: u128 = 65521;
    let n = u128::from(count);
    let c = u128::from(fill);
    let a = (1 + n * c) % MOD;
    let b = (n + c * (n * (n + 1) / 2 % MOD)) % MOD;
    ((b << 16) | a) as u32
}

/// Deflate's bit order: values least significant bit first, Huffman codes most significant first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    current: u32,
    used: u32,
}

impl Bits {
    fn put(&mut self, value: u32, width: u32) {
        for i in 0..width {
            self.current |= ((value >> i) & 1) << self.used;
            self.used += 1;
            if self.used == 8 {
                self.out.push(self.current as u8);
                self.current = 0;
                self.used = 0;
            }
        }
    }

    fn put_code(&mut self, code: u32, width: u32) {
        for i in (0..width).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    /// `8 * count` zero bits at once: the bits waiting keep their place in the next byte.
    fn put_zero_bytes(&mut self, count: usize) {
        if count == 0 {
            return;
        }
        self.out.push(self.current as u8);
        self.current = 0;
        self.out.resize(self.out.len() + count - 1, 0);
    }

    fn flush(&mut self) {
        if self.used > 0 {
            self.out.push(self.current as u8);
            self.current = 0;
            self.used = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_run_inflates_to_exactly_what_was_asked() {
        for (count, fill) in [
            (0, b' '),
            (1, b' '),
            (257, 0),
            (5000, b' '),
            (1_000_003, b'x'),
        ] {
            let packed = zlib_run(count, fill);
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&packed[..])
                .read_to_end(&mut out)
                .unwrap_or_else(|e| panic!("{count} x {fill}: {e}"));
            assert_eq!(out.len() as u64, count);
            assert!(out.iter().all(|&b| b == fill));
        }
    }

    #[test]
    fn a_gigabyte_costs_about_a_megabyte() {
        let pdf = inflating_pdf(1 << 30, b' ');
        assert!(pdf.len() < 1_100_000, "{}", pdf.len());
        assert!(pdf.starts_with(b"%PDF-1.4"));
    }
}
