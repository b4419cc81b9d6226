//! What a PDF may cost to read, checked before the cost is paid.
//!
//! lopdf inflates every stream it is asked for into one `Vec`, with no limit: a 5 MB file whose
//! streams inflate to gigabytes would take the process down. So before lopdf and pdf-extract see
//! a document, every stream they would decode is decoded here first into a counter that stops at
//! the limit, and nothing larger than the limit is ever held. Measuring costs CPU too, so it
//! stops at the first limit reached: a stream's size, all the streams' size, or the reading's
//! CPU time ([`Budget`], checked as the counters run and between every step):
//!
//! 1. [`scan_raw`], on the file's bytes: every `stream ... endstream` (the cross-reference
//!    streams lopdf inflates while it finds the objects), added up as they go (images apart:
//!    the text never needs their pixels, so they count against the limit per stream and the
//!    CPU time only), and the number of objects.
//! 2. [`check_object_streams`]: lopdf inflates object streams as it loads, and in an encrypted
//!    file (most published letters) they cannot be measured from the raw bytes. The file is
//!    loaded once with object streams held back and encryption left on, and each object stream
//!    is decrypted here and measured.
//! 3. [`check_loaded`], on the loaded document: images are emptied (text extraction never needs
//!    their pixels, and drawing one would decode it), every other stream is measured, and what
//!    each page draws, its Form XObjects included as often as they are drawn, is added up, so a
//!    drawing repeated a million times or drawing itself is refused too.

pub use super::limit::LimitHit;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::time::Duration;

use flate2::read::{DeflateDecoder, ZlibDecoder};
use pdf_extract::{Dictionary, Document, Object, ObjectId};

use super::budget::Budget;

/// The most decoded bytes of any one stream: a page scanned in colour at 300 dpi is ~25 MiB.
pub const MAX_STREAM_BYTES: u64 = 32 * 1024 * 1024;
/// The most decoded bytes of all the streams the text extractor reads (images are not read):
/// letters and medical records are at most a few MiB of text.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;
/// The most drawing instructions one page may run, Form XObjects included each time they are
/// drawn; the extractor parses a page's instructions whole, at many times their size.
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;
/// The most objects a document may have: a 500-page record set has a few tens of thousands, and
/// lopdf holds each in about 2 KiB (200,000 took 450 MB).
pub const MAX_OBJECTS: u64 = 100_000;
/// How far a page may hang below the root of the page tree: lopdf and pdf-extract climb it
/// by recursion (a chain 200,000 deep overflowed the stack), and writers balance it a few
/// levels deep.
pub const MAX_TREE_DEPTH: usize = 256;
/// How deep Form XObjects may draw one another (each level is a recursion in the extractor).
pub const MAX_NESTING: usize = 12;
/// The most CPU time one document's reading may take: a 500-page record set of text takes a
/// fraction of it; what is crafted to be slow is stopped here.
pub const MAX_CPU: Duration = Duration::from_millis(1500);

/// The limits a PDF is read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_stream_bytes: u64,
    pub max_document_bytes: u64,
    pub max_page_bytes: u64,
    pub max_objects: u64,
    pub max_nesting: usize,
    pub max_tree_depth: usize,
    /// The CPU time reading may take, measured on the thread that reads.
    pub max_cpu: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stream_bytes: MAX_STREAM_BYTES,
            max_document_bytes: MAX_DOCUMENT_BYTES,
            max_page_bytes: MAX_PAGE_BYTES,
            max_objects: MAX_OBJECTS,
            max_nesting: MAX_NESTING,
            max_tree_depth: MAX_TREE_DEPTH,
            max_cpu: MAX_CPU,
        }
    }
}

/// Step 1, on the raw file: each stream's decoded size, their total (images apart) and the
/// number of objects.
pub fn scan_raw(bytes: &[u8], limits: &Limits, budget: &Budget) -> Result<(), LimitHit> {
    let objects = count_object_headers(bytes);
    if objects > limits.max_objects {
        return Err(LimitHit::Objects {
            limit: limits.max_objects,
        });
    }
    let mut total = 0u64;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        budget.check()?;
        // The dictionary is looked for after the stream before, so each byte is looked at once.
        let since = at;
        let keyword = at + found;
        at = keyword + b"stream".len();
        if keyword >= 3 && &bytes[keyword - 3..keyword] == b"end" {
            continue;
        }
        let start = match bytes.get(at..at + 2) {
            Some(b"\r\n") => at + 2,
            Some([b'\n' | b'\r', _]) => at + 1,
            _ => continue,
        };
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |n| start + n);
        let dict = stream_dictionary(&bytes[since..keyword]);
        let filters = raw_filters(dict);
        let image = raw_is_image(dict);
        // A stream counts up to what is left of the document's allowance (an image, up to the
        // limit per stream): the counter stops where the total would.
        let room = if image {
            limits.max_stream_bytes
        } else {
            limits.max_stream_bytes.min(
                limits
                    .max_document_bytes
                    .saturating_sub(total)
                    .saturating_add(1),
            )
        };
        let size = match decoded_size(&bytes[start..end], &filters, room, budget) {
            Err(LimitHit::Stream { .. }) if room < limits.max_stream_bytes => {
                return Err(LimitHit::Document {
                    limit: limits.max_document_bytes,
                });
            }
            other => other?.bytes,
        };
        if !image {
            total = total.saturating_add(size);
            if total > limits.max_document_bytes {
                return Err(LimitHit::Document {
                    limit: limits.max_document_bytes,
                });
            }
        }
        at = end;
    }
    Ok(())
}

/// Step 2: the object streams of a document loaded by [`load_held_back`], each decrypted if the
/// file is encrypted, measured; and the objects they hold counted.
pub fn check_object_streams(
    held: &Document,
    encryption: Option<&lopdf_encryption::State>,
    limits: &Limits,
    budget: &Budget,
) -> Result<(), LimitHit> {
    let mut objects = held.objects.len() as u64;
    let mut total = 0u64;
    for (&id, object) in &held.objects {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.dict.has_type(HELD_OBJECT_STREAM) {
            continue;
        }
        budget.check()?;
        let count = stream.dict.get(b"N").and_then(Object::as_i64).unwrap_or(0);
        objects = objects.saturating_add(u64::try_from(count).unwrap_or(0));
        let size = match encryption {
            Some(state) => {
                let mut copy = object.clone();
                // A stream that does not decrypt is not inflated by lopdf either.
                if lopdf_encryption::decrypt(state, id, &mut copy).is_err() {
                    continue;
                }
                let Object::Stream(plain) = &copy else {
                    continue;
                };
                stream_size(plain, limits.max_stream_bytes, budget)?.bytes
            }
            None => stream_size(stream, limits.max_stream_bytes, budget)?.bytes,
        };
        total = total.saturating_add(size);
        if total > limits.max_document_bytes {
            return Err(LimitHit::Document {
                limit: limits.max_document_bytes,
            });
        }
    }
    if objects > limits.max_objects {
        return Err(LimitHit::Objects {
            limit: limits.max_objects,
        });
    }
    Ok(())
}

/// lopdf's encryption, as used by step 2.
pub mod lopdf_encryption {
    pub use pdf_extract::encryption::DecryptionError;
    use pdf_extract::{Document, Object, ObjectId};

    pub type State = pdf_extract::EncryptionState;

    /// The encryption of a document loaded with its `/Encrypt` entry hidden, under the empty
    /// user password; `None` if it is not encrypted.
    pub fn state(held: &mut Document) -> Option<Result<State, pdf_extract::Error>> {
        let reference = held.trailer.get(super::HIDDEN_ENCRYPT).ok()?.clone();
        held.trailer.set("Encrypt", reference);
        Some(State::decode(held, ""))
    }

    pub fn decrypt(
        state: &State,
        id: ObjectId,
        object: &mut Object,
    ) -> Result<(), DecryptionError> {
        pdf_extract::encryption::decrypt_object(state, id, object)
    }
}

/// The type object streams are given while held back, so that lopdf does not inflate them.
const HELD_OBJECT_STREAM: &[u8] = b"ImrHeldObjStm";
/// The trailer key `/Encrypt` becomes, the same length, so that offsets stay true.
const HIDDEN_ENCRYPT: &[u8] = b"Xncrypt";

/// Loads a document with its object streams held back (not inflated) and, if it is encrypted,
/// its objects still encrypted: nothing is decoded but the cross-reference streams step 1
/// measured.
pub fn load_held_back(bytes: &[u8]) -> Result<Document, pdf_extract::Error> {
    let hidden = hide_encryption(bytes);
    let options = pdf_extract::LoadOptions {
        filter: Some(hold_object_stream),
        ..Default::default()
    };
    Document::load_mem_with_options(&hidden, options)
}

/// lopdf's load filter: marks an object stream so the loader does not inflate it. The loader
/// keeps the object as changed here; what the filter returns only says "keep it".
fn hold_object_stream(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object
        && stream.dict.has_type(b"ObjStm")
    {
        stream
            .dict
            .set("Type", Object::Name(HELD_OBJECT_STREAM.to_vec()));
    }
    Some((id, Object::Null))
}

/// The file with every `/Encrypt` key (not `/EncryptMetadata`) renamed, so lopdf loads the
/// objects as they are stored, without decrypting them.
fn hide_encryption(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let Some(found) = find(&out[at..], b"/Encrypt") {
        let name = at + found + 1;
        at = name + b"Encrypt".len();
        if out.get(at).is_none_or(|&b| !is_regular(b)) {
            out[name..at].copy_from_slice(HIDDEN_ENCRYPT);
        }
    }
    out
}

/// Step 3, on the document lopdf loaded (and decrypted): images emptied, every other stream
/// measured, every page's drawing added up.
pub fn check_loaded(doc: &mut Document, limits: &Limits, budget: &Budget) -> Result<(), LimitHit> {
    if doc.objects.len() as u64 > limits.max_objects {
        return Err(LimitHit::Objects {
            limit: limits.max_objects,
        });
    }
    let mut sizes: HashMap<ObjectId, Measured> = HashMap::new();
    let mut total = 0u64;
    for (&id, object) in doc.objects.iter_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") {
            stream.set_plain_content(Vec::new());
            continue;
        }
        budget.check()?;
        let measured = stream_size(stream, limits.max_stream_bytes, budget)?;
        total = total.saturating_add(measured.bytes);
        if total > limits.max_document_bytes {
            return Err(LimitHit::Document {
                limit: limits.max_document_bytes,
            });
        }
        sizes.insert(id, measured);
    }
    let mut drawing = Drawing {
        doc,
        sizes: &sizes,
        limits,
        budget,
        costs: HashMap::new(),
        path: Vec::new(),
    };
    let pages = doc.get_pages();
    for (&page, &id) in &pages {
        budget.check()?;
        check_depth(doc, page, id, limits.max_tree_depth)?;
    }
    for (page, id) in pages {
        budget.check()?;
        let cost = drawing.page(id)?;
        if cost > limits.max_page_bytes {
            return Err(LimitHit::Page {
                page,
                limit: limits.max_page_bytes,
            });
        }
    }
    Ok(())
}

/// Refuses a page deeper in the page tree than `limit` (climbing its `/Parent`s, a loop
/// stopped at the limit too), before lopdf and pdf-extract climb it by recursion.
fn check_depth(doc: &Document, page: u32, id: ObjectId, limit: usize) -> Result<(), LimitHit> {
    let mut node = id;
    for _ in 0..=limit {
        let parent = doc
            .get_dictionary(node)
            .ok()
            .and_then(|d| d.get(b"Parent").ok())
            .and_then(|p| p.as_reference().ok());
        match parent {
            Some(parent) => node = parent,
            None => return Ok(()),
        }
    }
    Err(LimitHit::TreeDepth { page, limit })
}

/// A stream's decoded size and how many times it draws an XObject (`Do`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measured {
    pub bytes: u64,
    pub draws: u64,
}

/// What a page costs the extractor: its instructions, and each Form XObject's each time drawn.
struct Drawing<'a> {
    doc: &'a Document,
    sizes: &'a HashMap<ObjectId, Measured>,
    limits: &'a Limits,
    budget: &'a Budget,
    /// A form's cost, by (form, whose resources it draws from).
    costs: HashMap<(ObjectId, ObjectId), u64>,
    /// The forms being drawn, outermost first.
    path: Vec<ObjectId>,
}

impl Drawing<'_> {
    fn page(&mut self, page: ObjectId) -> Result<u64, LimitHit> {
        let mut own = Measured::default();
        for id in self.doc.get_page_contents(page) {
            let m = self.sizes.get(&id).copied().unwrap_or_default();
            own.bytes = own.bytes.saturating_add(m.bytes);
            own.draws = own.draws.saturating_add(m.draws);
        }
        let (forms, scope) = match self.doc.get_page_resources(page) {
            Ok((direct, inherited)) => {
                let mut forms = direct.map(|d| self.xobjects(d)).unwrap_or_default();
                for &id in &inherited {
                    if let Ok(d) = self.doc.get_dictionary(id) {
                        forms.extend(self.xobjects(d));
                    }
                }
                // Pages that share their resources share the cost of their forms.
                let shared = self
                    .doc
                    .get_dictionary(page)
                    .ok()
                    .and_then(|p| p.get(b"Resources").ok())
                    .and_then(|r| r.as_reference().ok());
                let scope = match (direct, shared) {
                    (Some(_), Some(id)) => id,
                    (Some(_), None) => page,
                    (None, _) => inherited.first().copied().unwrap_or(page),
                };
                (forms, scope)
            }
            Err(_) => (Vec::new(), page),
        };
        self.with_children(own, &forms, scope)
    }

    /// `own` plus, for each `Do` in it, the dearest of the forms it may draw.
    fn with_children(
        &mut self,
        own: Measured,
        forms: &[ObjectId],
        scope: ObjectId,
    ) -> Result<u64, LimitHit> {
        if own.draws == 0 || forms.is_empty() {
            return Ok(own.bytes);
        }
        let mut dearest = 0u64;
        for &form in forms {
            dearest = dearest.max(self.form(form, forms, scope)?);
        }
        Ok(own.bytes.saturating_add(own.draws.saturating_mul(dearest)))
    }

    /// The cost of drawing `form`, which draws from `inherited` when it has no resources.
    fn form(
        &mut self,
        form: ObjectId,
        inherited: &[ObjectId],
        scope: ObjectId,
    ) -> Result<u64, LimitHit> {
        if self.path.contains(&form) {
            return Err(LimitHit::Cycle);
        }
        if self.path.len() >= self.limits.max_nesting {
            return Err(LimitHit::Nesting {
                limit: self.limits.max_nesting,
            });
        }
        let Some(&own) = self.sizes.get(&form) else {
            return Ok(0);
        };
        let Ok(stream) = self.doc.get_object(form).and_then(Object::as_stream) else {
            return Ok(0);
        };
        let resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| self.resolve(r).as_dict().ok());
        let (forms, scope) = match resources {
            Some(r) => (self.xobjects(r), form),
            None => (inherited.to_vec(), scope),
        };
        if let Some(&cost) = self.costs.get(&(form, scope)) {
            return Ok(cost);
        }
        self.budget.check()?;
        self.path.push(form);
        let cost = self.with_children(own, &forms, scope);
        self.path.pop();
        let cost = cost?.min(self.limits.max_page_bytes.saturating_add(1));
        self.costs.insert((form, scope), cost);
        Ok(cost)
    }

    /// The streams a resource dictionary's `/XObject` names.
    fn xobjects(&self, resources: &Dictionary) -> Vec<ObjectId> {
        let Ok(xobjects) = resources.get(b"XObject") else {
            return Vec::new();
        };
        let Ok(xobjects) = self.resolve(xobjects).as_dict() else {
            return Vec::new();
        };
        let mut seen = HashSet::new();
        xobjects
            .iter()
            .filter_map(|(_, o)| o.as_reference().ok())
            .filter(|id| seen.insert(*id))
            .collect()
    }

    fn resolve<'o>(&'o self, object: &'o Object) -> &'o Object {
        match object {
            Object::Reference(id) => self.doc.get_object(*id).unwrap_or(object),
            other => other,
        }
    }
}

/// A stream's decoded size, through the filters lopdf decodes, stopping at `limit`.
pub fn stream_size(
    stream: &pdf_extract::Stream,
    limit: u64,
    budget: &Budget,
) -> Result<Measured, LimitHit> {
    let filters: Vec<Filter> = match stream.filters() {
        Ok(names) => names.into_iter().map(Filter::from_name).collect(),
        Err(_) => Vec::new(),
    };
    decoded_size(&stream.content, &filters, limit, budget)
}

/// The filters lopdf decodes; it stops (with an error) at any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Flate,
    Lzw,
    Ascii85,
    Other,
}

impl Filter {
    fn from_name(name: &[u8]) -> Filter {
        match name {
            b"FlateDecode" | b"Fl" => Filter::Flate,
            b"LZWDecode" | b"LZW" => Filter::Lzw,
            b"ASCII85Decode" | b"A85" => Filter::Ascii85,
            _ => Filter::Other,
        }
    }
}

/// Decodes `input` through `filters` into a counter that stops past `limit` or when the budget
/// is spent. Only a stage that feeds another is kept, and never past the limit.
fn decoded_size(
    input: &[u8],
    filters: &[Filter],
    limit: u64,
    budget: &Budget,
) -> Result<Measured, LimitHit> {
    let decoded: Vec<Filter> = filters
        .iter()
        .copied()
        .take_while(|f| *f != Filter::Other)
        .collect();
    // The output of the stage before, which the next one reads.
    let mut stage: Option<Vec<u8>> = None;
    for (i, filter) in decoded.iter().enumerate() {
        let last = i + 1 == decoded.len();
        let mut sink = Sink::new(limit, !last, budget);
        decode(*filter, stage.as_deref().unwrap_or(input), &mut sink);
        if let Some(hit) = sink.hit {
            return Err(hit);
        }
        if last {
            return Ok(sink.measured());
        }
        stage = Some(sink.kept);
    }
    let mut sink = Sink::new(limit, false, budget);
    if sink.write_all(input).is_err() {
        return Err(sink.hit.unwrap_or(LimitHit::Stream { limit }));
    }
    Ok(sink.measured())
}

/// Decodes as lopdf does: what was decoded before an error counts, and a zlib stream that fails
/// at once is tried again as raw deflate.
fn decode(filter: Filter, input: &[u8], sink: &mut Sink) {
    match filter {
        Filter::Flate => {
            if input.is_empty() {
                return;
            }
            let result = io::copy(&mut ZlibDecoder::new(input), sink);
            if result.is_err() && sink.hit.is_none() && sink.written == 0 && input.len() > 2 {
                let _ = io::copy(&mut DeflateDecoder::new(&input[2..]), sink);
            }
        }
        Filter::Lzw => {
            let mut decoder =
                weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
            let _ = decoder.into_stream(&mut *sink).decode_all(input);
        }
        Filter::Ascii85 => {
            let _ = ascii85(input, sink);
        }
        Filter::Other => {}
    }
}

/// ASCII base-85, as lopdf decodes it: `z` is four zero bytes, whitespace is skipped, and the
/// data ends at `~>` or the first byte outside the alphabet.
fn ascii85(input: &[u8], out: &mut impl Write) -> io::Result<()> {
    let input = input.strip_suffix(b"~>").unwrap_or(input);
    let mut group = 0u32;
    let mut count = 0;
    for &c in input {
        match c {
            b'z' if count == 0 => out.write_all(&[0; 4])?,
            c if c.is_ascii_whitespace() => {}
            b'!'..=b'u' => {
                group = group
                    .checked_mul(85)
                    .and_then(|g| g.checked_add(u32::from(c - b'!')))
                    .ok_or_else(|| io::Error::other("base-85 overflow"))?;
                count += 1;
                if count == 5 {
                    out.write_all(&group.to_be_bytes())?;
                    group = 0;
                    count = 0;
                }
            }
            _ => break,
        }
    }
    if count > 0 {
        for _ in count..5 {
            group = group.wrapping_mul(85).wrapping_add(84);
        }
        out.write_all(&group.to_be_bytes()[..count - 1])?;
    }
    Ok(())
}

/// Where a decoder writes: counts bytes and `Do` operators, keeps the bytes only if asked, and
/// refuses a byte past the limit or once the budget is spent (looked at every
/// [`CHECK_EVERY`] bytes).
struct Sink<'b> {
    limit: u64,
    written: u64,
    /// The limit that stopped it.
    hit: Option<LimitHit>,
    budget: &'b Budget,
    /// When `written` passes this, the budget is looked at.
    next_check: u64,
    keep: bool,
    kept: Vec<u8>,
    draws: u64,
    /// The last three bytes written, to find `Do` between delimiters across writes.
    tail: [u8; 3],
}

/// How many decoded bytes pass between two looks at the CPU clock (a look is a system call;
/// 1 MiB takes about a millisecond to inflate).
const CHECK_EVERY: u64 = 1024 * 1024;

impl<'b> Sink<'b> {
    fn new(limit: u64, keep: bool, budget: &'b Budget) -> Sink<'b> {
        Sink {
            limit,
            written: 0,
            hit: None,
            budget,
            next_check: CHECK_EVERY,
            keep,
            kept: Vec::new(),
            draws: 0,
            tail: [b' '; 3],
        }
    }

    fn measured(&self) -> Measured {
        // A `Do` at the very end has no delimiter after it.
        let [a, b, c] = self.tail;
        let at_end = !is_regular(a) && b == b'D' && c == b'o';
        Measured {
            bytes: self.written,
            draws: self.draws + u64::from(at_end),
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.limit.saturating_sub(self.written);
        if buf.len() as u64 > room {
            self.hit = Some(LimitHit::Stream { limit: self.limit });
            return Err(io::Error::other("over the limit"));
        }
        if self.written >= self.next_check {
            self.next_check = self.written.saturating_add(CHECK_EVERY);
            if let Err(hit) = self.budget.check() {
                self.hit = Some(hit);
                return Err(io::Error::other("over the CPU budget"));
            }
        }
        let [mut a, mut b, mut c] = self.tail;
        for &d in buf {
            if !is_regular(a) && b == b'D' && c == b'o' && !is_regular(d) {
                self.draws += 1;
            }
            [a, b, c] = [b, c, d];
        }
        self.tail = [a, b, c];
        self.written += buf.len() as u64;
        if self.keep {
            self.kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether a byte belongs inside a PDF token (not whitespace, not a delimiter).
fn is_regular(b: u8) -> bool {
    !(b.is_ascii_whitespace()
        || b == 0
        || matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `N G obj` headers: each `obj` keyword after whitespace (not `endobj`).
fn count_object_headers(bytes: &[u8]) -> u64 {
    bytes
        .windows(4)
        .filter(|w| w[0].is_ascii_whitespace() && &w[1..] == b"obj")
        .count() as u64
}

/// The dictionary before a `stream` keyword: back to the `obj` that opened the object.
fn stream_dictionary(before: &[u8]) -> &[u8] {
    let start = before
        .windows(3)
        .rposition(|w| w == b"obj")
        .map_or(0, |n| n + 3);
    &before[start..]
}

/// Whether a raw stream dictionary says it is an image (`/Subtype /Image`).
fn raw_is_image(dict: &[u8]) -> bool {
    find(dict, b"/Subtype").is_some_and(|at| {
        dict[at + b"/Subtype".len()..]
            .trim_ascii_start()
            .strip_prefix(b"/Image")
            .is_some_and(|rest| rest.first().is_none_or(|&b| !is_regular(b)))
    })
}

/// The `/Filter` of a raw stream dictionary: a name or an array of names.
fn raw_filters(dict: &[u8]) -> Vec<Filter> {
    let Some(at) = find(dict, b"/Filter") else {
        return Vec::new();
    };
    let rest = &dict[at + b"/Filter".len()..];
    let rest = rest.trim_ascii_start();
    let list = if let Some(array) = rest.strip_prefix(b"[") {
        &array[..array.iter().position(|&b| b == b']').unwrap_or(array.len())]
    } else {
        let end = rest
            .iter()
            .skip(1)
            .position(|&b| !is_regular(b))
            .map_or(rest.len(), |n| n + 1);
        &rest[..end]
    };
    list.split(|&b| b == b'/')
        .skip(1)
        .map(|name| {
            let end = name
                .iter()
                .position(|&b| !is_regular(b))
                .unwrap_or(name.len());
            Filter::from_name(&name[..end])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;

    /// More CPU time than any of these tests takes.
    fn budget() -> Budget {
        Budget::start(Duration::from_secs(600))
    }

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(bytes).expect("deflate");
        encoder.finish().expect("deflate")
    }

    #[test]
    fn a_stream_is_measured_through_its_filters_up_to_the_limit() {
        let text = b"BT /F1 12 Tf (Hello) Tj ET /Fm1 Do q /Fm2 Do Q".repeat(10);
        let packed = deflate(&text);
        let m = decoded_size(&packed, &[Filter::Flate], 10_000, &budget()).expect("fits");
        assert_eq!(m.bytes, text.len() as u64);
        assert_eq!(m.draws, 20);
        assert_eq!(
            decoded_size(&packed, &[Filter::Flate], 100, &budget()),
            Err(LimitHit::Stream { limit: 100 })
        );
        let mut a85 = Vec::new();
        for chunk in packed.chunks(4) {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            let mut n = u32::from_be_bytes(word);
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = b'!' + (n % 85) as u8;
                n /= 85;
            }
            a85.extend_from_slice(&digits[..chunk.len() + 1]);
        }
        a85.extend_from_slice(b"~>");
        let chained = decoded_size(&a85, &[Filter::Ascii85, Filter::Flate], 10_000, &budget());
        assert_eq!(chained.map(|m| m.bytes), Ok(text.len() as u64));
    }

    #[test]
    fn a_bomb_is_refused_without_being_held() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let packed = deflate(&zeros);
        assert!(packed.len() < 64 * 1024, "{}", packed.len());
        assert_eq!(
            decoded_size(&packed, &[Filter::Flate], 1024 * 1024, &budget()),
            Err(LimitHit::Stream { limit: 1024 * 1024 })
        );
    }

    #[test]
    fn a_spent_budget_stops_the_counter_at_its_next_look() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let packed = deflate(&zeros);
        let spent = Budget::start(Duration::ZERO);
        // Spend a little CPU time, so that a zero budget is passed.
        let mut x = 0u64;
        while spent.check().is_ok() {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        assert_eq!(
            decoded_size(&packed, &[Filter::Flate], u64::MAX, &spent),
            Err(LimitHit::Time {
                limit: Duration::ZERO
            }),
            "{x}"
        );
    }

    #[test]
    fn images_are_told_by_their_subtype() {
        assert!(raw_is_image(
            b"<< /Type /XObject /Subtype /Image /Width 8 >>"
        ));
        assert!(raw_is_image(b"<</Subtype/Image/Width 8>>"));
        assert!(!raw_is_image(b"<< /Subtype /Form >>"));
        assert!(!raw_is_image(b"<< /Subtype /ImageMask >>"));
        assert!(!raw_is_image(b"<< /Length 5 >>"));
    }

    #[test]
    fn raw_filters_are_read_from_names_and_arrays() {
        assert_eq!(
            raw_filters(b"<< /Length 5 /Filter /FlateDecode >>"),
            vec![Filter::Flate]
        );
        assert_eq!(
            raw_filters(b"<</Filter[/ASCII85Decode /FlateDecode]/Length 9>>"),
            vec![Filter::Ascii85, Filter::Flate]
        );
        assert_eq!(raw_filters(b"<< /Length 5 >>"), Vec::<Filter>::new());
        assert_eq!(raw_filters(b"<</Filter/DCTDecode>>"), vec![Filter::Other]);
    }

    #[test]
    fn only_the_encrypt_key_is_hidden() {
        let hidden = hide_encryption(b"<< /Encrypt 9 0 R /EncryptMetadata false /Encrypt<<>> >>");
        assert_eq!(
            hidden,
            b"<< /Xncrypt 9 0 R /EncryptMetadata false /Xncrypt<<>> >>".to_vec()
        );
    }

    #[test]
    fn objects_are_counted_from_their_headers() {
        assert_eq!(
            count_object_headers(b"1 0 obj\n<<>>\nendobj\n2 0 obj 5 endobj"),
            2
        );
    }
}
