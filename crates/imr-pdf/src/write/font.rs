//! The bundled fonts (DejaVu Sans and DejaVu Sans Bold, under the Bitstream Vera licence in
//! `assets/DejaVu-LICENSE.txt`): measuring text, choosing glyphs, drawing outlines, and the
//! subset embedded in each PDF.

use std::collections::{BTreeMap, BTreeSet};

use ttf_parser::{Face, GlyphId, OutlineBuilder};

pub(super) const REGULAR_TTF: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
pub(super) const BOLD_TTF: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");

/// One of the two bundled faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Style {
    Regular,
    Bold,
}

/// A parsed font and the characters one document uses from it.
pub(super) struct Font<'a> {
    pub(super) face: Face<'a>,
    pub(super) data: &'a [u8],
    pub(super) name: &'static str,
    units_per_em: f32,
    /// The glyph shown for a character the font lacks: U+FFFD where the font has it.
    replacement: GlyphId,
    /// Characters used so far, each with its CID (assigned in order of first use, from 1).
    cids: BTreeMap<char, u16>,
    /// Advance widths of the ASCII characters, which line breaking measures over and over.
    ascii_advances: [f32; 128],
}

impl<'a> Font<'a> {
    pub(super) fn new(data: &'a [u8], name: &'static str) -> Result<Font<'a>, String> {
        let face = Face::parse(data, 0).map_err(|e| format!("the bundled font {name}: {e}"))?;
        let replacement = face
            .glyph_index('\u{fffd}')
            .or_else(|| face.glyph_index('?'))
            .unwrap_or(GlyphId(0));
        let mut font = Font {
            units_per_em: f32::from(face.units_per_em()),
            face,
            data,
            name,
            replacement,
            cids: BTreeMap::new(),
            ascii_advances: [0.0; 128],
        };
        for (i, slot) in (0u8..128).zip(0..128) {
            font.ascii_advances[slot] = font.lookup_advance(char::from(i));
        }
        Ok(font)
    }

    /// The glyph drawn for `c`: its own, or the visible replacement.
    pub(super) fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(self.replacement)
    }

    /// Advance width of `c` in thousandths of the font size (PDF glyph space).
    pub(super) fn advance(&self, c: char) -> f32 {
        match self.ascii_advances.get(c as usize) {
            Some(advance) => *advance,
            None => self.lookup_advance(c),
        }
    }

    fn lookup_advance(&self, c: char) -> f32 {
        let units = self.face.glyph_hor_advance(self.glyph(c)).unwrap_or(0);
        f32::from(units) * 1000.0 / self.units_per_em
    }

    /// Width of `text` at `size` points.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size / 1000.0
    }

    /// The CID of `c` in this document, assigning one on first use. CIDs map to glyphs through
    /// the CIDToGIDMap and back to the character through the ToUnicode map, so a character the
    /// font lacks shows as the replacement glyph but still extracts as itself.
    pub(super) fn cid(&mut self, c: char) -> u16 {
        let next = u16::try_from(self.cids.len() + 1).unwrap_or(u16::MAX);
        *self.cids.entry(c).or_insert(next)
    }

    pub(super) fn used(&self) -> impl Iterator<Item = (char, u16)> + '_ {
        self.cids.iter().map(|(c, cid)| (*c, *cid))
    }

    /// The six capital letters that mark an embedded subset, different for each face.
    pub(super) fn subset_tag(&self) -> &'static str {
        if self.name.ends_with("Bold") {
            "IMRAAB"
        } else {
            "IMRAAA"
        }
    }

    pub(super) fn ascent(&self) -> f32 {
        f32::from(self.face.ascender()) * 1000.0 / self.units_per_em
    }

    pub(super) fn descent(&self) -> f32 {
        f32::from(self.face.descender()) * 1000.0 / self.units_per_em
    }

    pub(super) fn cap_height(&self) -> f32 {
        f32::from(self.face.capital_height().unwrap_or(self.face.ascender())) * 1000.0
            / self.units_per_em
    }

    pub(super) fn bbox(&self) -> [f32; 4] {
        let b = self.face.global_bounding_box();
        let s = 1000.0 / self.units_per_em;
        [
            f32::from(b.x_min) * s,
            f32::from(b.y_min) * s,
            f32::from(b.x_max) * s,
            f32::from(b.y_max) * s,
        ]
    }

    /// PDF path operators drawing `text` at (`x`, `y`) in `size` points: text that shows but is
    /// not extracted (the running header and the page numbers, which are not part of the letter).
    pub(super) fn outline_path(&self, text: &str, x: f32, y: f32, size: f32) -> String {
        let scale = size / self.units_per_em;
        let mut path = PathOps {
            out: String::new(),
            scale,
            x,
            y,
            last: (0.0, 0.0),
        };
        for c in text.chars() {
            let glyph = self.glyph(c);
            self.face.outline_glyph(glyph, &mut path);
            let advance = f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0));
            path.x += advance * scale;
        }
        path.out
    }

    /// The font file to embed, holding only the glyphs this document uses (renumbered from 0 in
    /// the order of their old ids), and the map from old glyph ids to new ones.
    pub(super) fn subset(&self) -> Result<Subset, String> {
        let mut keep: BTreeSet<u16> = self.cids.keys().map(|c| self.glyph(*c).0).collect();
        keep.insert(0);
        subset_glyphs(self.data, &keep).map_err(|e| format!("subsetting {}: {e}", self.name))
    }
}

/// An embeddable font file and where each kept glyph went.
pub(super) struct Subset {
    pub(super) file: Vec<u8>,
    pub(super) new_ids: BTreeMap<u16, u16>,
}

struct PathOps {
    out: String,
    scale: f32,
    x: f32,
    y: f32,
    last: (f32, f32),
}

impl PathOps {
    fn point(&self, px: f32, py: f32) -> (f32, f32) {
        (self.x + px * self.scale, self.y + py * self.scale)
    }
}

impl OutlineBuilder for PathOps {
    fn move_to(&mut self, x: f32, y: f32) {
        let (a, b) = self.point(x, y);
        self.out.push_str(&format!("{a:.2} {b:.2} m\n"));
        self.last = (a, b);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let (a, b) = self.point(x, y);
        self.out.push_str(&format!("{a:.2} {b:.2} l\n"));
        self.last = (a, b);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        // A quadratic Bezier as the cubic PDF draws: control points 2/3 of the way to the
        // quadratic's control point.
        let (qx, qy) = self.point(x1, y1);
        let (ex, ey) = self.point(x, y);
        let (sx, sy) = self.last;
        let c1 = (sx + 2.0 / 3.0 * (qx - sx), sy + 2.0 / 3.0 * (qy - sy));
        let c2 = (ex + 2.0 / 3.0 * (qx - ex), ey + 2.0 / 3.0 * (qy - ey));
        self.out.push_str(&format!(
            "{:.2} {:.2} {:.2} {:.2} {ex:.2} {ey:.2} c\n",
            c1.0, c1.1, c2.0, c2.1
        ));
        self.last = (ex, ey);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (a1, b1) = self.point(x1, y1);
        let (a2, b2) = self.point(x2, y2);
        let (a, b) = self.point(x, y);
        self.out.push_str(&format!(
            "{a1:.2} {b1:.2} {a2:.2} {b2:.2} {a:.2} {b:.2} c\n"
        ));
        self.last = (a, b);
    }

    fn close(&mut self) {
        self.out.push_str("h\n");
    }
}

// ---------------------------------------------------------------------------------------------
// Subsetting

/// The tables a TrueType font embedded in a PDF needs (PDF 32000-1, 9.9); the others (names,
/// character maps, layout features) are dropped.
const KEPT_TABLES: [&[u8; 4]; 9] = [
    b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"prep",
];

fn read_u16(data: &[u8], at: usize) -> Result<u16, String> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("truncated font at byte {at}"))
}

fn read_u32(data: &[u8], at: usize) -> Result<u32, String> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("truncated font at byte {at}"))
}

fn table<'d>(data: &'d [u8], tag: &[u8; 4]) -> Result<Option<&'d [u8]>, String> {
    let count = usize::from(read_u16(data, 4)?);
    for i in 0..count {
        let record = 12 + 16 * i;
        if data.get(record..record + 4) == Some(&tag[..]) {
            let offset = read_u32(data, record + 8)? as usize;
            let length = read_u32(data, record + 12)? as usize;
            return data
                .get(offset..offset + length)
                .map(Some)
                .ok_or_else(|| format!("table {} out of bounds", String::from_utf8_lossy(tag)));
        }
    }
    Ok(None)
}

/// Keeps the glyphs of `keep` (and the components of composite glyphs among them), renumbered
/// 0, 1, 2, ... in the order of their old ids, with their metrics; `loca` becomes long.
fn subset_glyphs(data: &[u8], keep: &BTreeSet<u16>) -> Result<Subset, String> {
    let head = table(data, b"head")?.ok_or("no head table")?;
    let hhea = table(data, b"hhea")?.ok_or("no hhea table")?;
    let hmtx = table(data, b"hmtx")?.ok_or("no hmtx table")?;
    let maxp = table(data, b"maxp")?.ok_or("no maxp table")?;
    let loca = table(data, b"loca")?.ok_or("no loca table")?;
    let glyf = table(data, b"glyf")?.ok_or("no glyf table")?;
    if head.len() < 54 || hhea.len() < 36 || maxp.len() < 6 {
        return Err("head, hhea or maxp table too short".to_string());
    }
    let glyph_count = usize::from(read_u16(maxp, 4)?);
    let long_metrics = usize::from(read_u16(hhea, 34)?);
    if long_metrics == 0 {
        return Err("no horizontal metrics".to_string());
    }
    let long_loca = read_u16(head, 50)? == 1;
    let offset = |g: usize| -> Result<usize, String> {
        Ok(if long_loca {
            read_u32(loca, 4 * g)? as usize
        } else {
            usize::from(read_u16(loca, 2 * g)?) * 2
        })
    };
    let glyph_data = |g: usize| -> Result<&[u8], String> {
        let (start, end) = (offset(g)?, offset(g + 1)?);
        glyf.get(start..end)
            .ok_or_else(|| format!("glyph {g} out of bounds"))
    };

    // Close the set over composite glyphs' components.
    let mut all: BTreeSet<u16> = BTreeSet::new();
    let mut todo: Vec<u16> = keep.iter().copied().collect();
    while let Some(g) = todo.pop() {
        if usize::from(g) >= glyph_count || !all.insert(g) {
            continue;
        }
        todo.extend(
            components(glyph_data(usize::from(g))?)?
                .into_iter()
                .map(|(_, id)| id),
        );
    }
    let new_ids: BTreeMap<u16, u16> = all
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, new as u16))
        .collect();

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (all.len() + 1));
    let mut new_hmtx = Vec::with_capacity(4 * all.len());
    for &old in &all {
        let g = usize::from(old);
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let mut bytes = glyph_data(g)?.to_vec();
        for (at, component) in components(&bytes)? {
            let id = new_ids.get(&component).copied().unwrap_or(0);
            bytes[at..at + 2].copy_from_slice(&id.to_be_bytes());
        }
        new_glyf.extend_from_slice(&bytes);
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
        // Glyphs past the long metrics share the last advance and keep their own side bearing.
        let (advance, bearing) = if g < long_metrics {
            (read_u16(hmtx, 4 * g)?, read_u16(hmtx, 4 * g + 2)?)
        } else {
            (
                read_u16(hmtx, 4 * (long_metrics - 1))?,
                read_u16(hmtx, 4 * long_metrics + 2 * (g - long_metrics))?,
            )
        };
        new_hmtx.extend_from_slice(&advance.to_be_bytes());
        new_hmtx.extend_from_slice(&bearing.to_be_bytes());
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let count = (all.len() as u16).to_be_bytes();
    let mut new_head = head.to_vec();
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());
    new_head[8..12].copy_from_slice(&[0; 4]); // checksum adjustment: not checked by readers
    let mut new_hhea = hhea.to_vec();
    new_hhea[34..36].copy_from_slice(&count);
    let mut new_maxp = maxp.to_vec();
    new_maxp[4..6].copy_from_slice(&count);

    let mut tables: Vec<(&[u8; 4], Vec<u8>)> = Vec::new();
    for tag in KEPT_TABLES {
        let bytes = match tag {
            b"glyf" => std::mem::take(&mut new_glyf),
            b"loca" => std::mem::take(&mut new_loca),
            b"hmtx" => std::mem::take(&mut new_hmtx),
            b"head" => std::mem::take(&mut new_head),
            b"hhea" => std::mem::take(&mut new_hhea),
            b"maxp" => std::mem::take(&mut new_maxp),
            _ => match table(data, tag)? {
                Some(bytes) => bytes.to_vec(),
                None => continue,
            },
        };
        tables.push((tag, bytes));
    }
    Ok(Subset {
        file: assemble(&tables),
        new_ids,
    })
}

/// The components of a composite glyph: where each one's glyph id is stored, and the id. None
/// for a simple glyph.
fn components(glyph: &[u8]) -> Result<Vec<(usize, u16)>, String> {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_XY_SCALE: u16 = 0x0040;
    const HAVE_TWO_BY_TWO: u16 = 0x0080;
    if glyph.len() < 10 || (read_u16(glyph, 0)? as i16) >= 0 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut at = 10;
    loop {
        let flags = read_u16(glyph, at)?;
        out.push((at + 2, read_u16(glyph, at + 2)?));
        at += 4;
        at += if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        if flags & HAVE_SCALE != 0 {
            at += 2;
        } else if flags & HAVE_XY_SCALE != 0 {
            at += 4;
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            at += 8;
        }
        if flags & MORE_COMPONENTS == 0 {
            return Ok(out);
        }
    }
}

/// An sfnt file from its tables (tags in ascending order, as the format asks).
fn assemble(tables: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = tables.len() as u16;
    let mut power = 1u16;
    let mut log = 0u16;
    while power * 2 <= count {
        power *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(count * 16 - power * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, bytes) in tables {
        let mut padded = bytes.clone();
        while padded.len() % 4 != 0 {
            padded.push(0);
        }
        let checksum = padded
            .chunks(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .fold(0u32, u32::wrapping_add);
        out.extend_from_slice(&tag[..]);
        out.extend_from_slice(&checksum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        offset += padded.len();
        body.extend_from_slice(&padded);
    }
    out.extend_from_slice(&body);
    out
}
