//! Glyphs to lines: pdf-extract calls us once per glyph with its text matrix; we start a new line
//! when the baseline moves, and put a space where a gap opens between two runs of text. The
//! reading's CPU budget is looked at every page and every few thousand glyphs: past it, the
//! extractor is stopped.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::bounds::LimitHit;
use super::budget::Budget;

/// A vertical move larger than this many font sizes is always a new line, even to the right.
const LINE_JUMP: f64 = 1.5;
/// A move down of more than this many font sizes, back to the left, is a new line.
const LINE_STEP: f64 = 0.5;
/// A horizontal gap wider than this many font sizes between two runs of text is a space.
const WORD_GAP: f64 = 0.1;

/// How many glyphs are laid out between two looks at the budget.
const GLYPHS_PER_CHECK: u32 = 4096;

/// The text of every page, in order, as laid out lines (not yet normalized).
pub(super) struct Pages<'b> {
    budget: &'b Budget,
    /// The budget was spent: the extractor was stopped.
    spent: Option<LimitHit>,
    /// Glyphs since the budget was last looked at.
    glyphs: u32,
    done: Vec<String>,
    page: String,
    pen: Option<Pen>,
    /// The next glyph starts a new run of text (a string of a `Tj`/`TJ` operator).
    run_start: bool,
}

/// Where the previous glyph ended, in device space (y grows downwards here).
#[derive(Clone, Copy)]
struct Pen {
    end_x: f64,
    y: f64,
}

impl<'b> Pages<'b> {
    pub(super) fn new(budget: &'b Budget) -> Pages<'b> {
        Pages {
            budget,
            spent: None,
            glyphs: 0,
            done: Vec::new(),
            page: String::new(),
            pen: None,
            run_start: false,
        }
    }

    pub(super) fn finish(self) -> Vec<String> {
        self.done
    }

    /// Whether the extractor was stopped for the budget.
    pub(super) fn over_budget(&self) -> Result<(), LimitHit> {
        self.spent.clone().map_or(Ok(()), Err)
    }

    /// Stops the extractor (with an error it passes back) once the budget is spent.
    fn check_budget(&mut self) -> Result<(), OutputError> {
        self.glyphs = 0;
        self.budget.check().map_err(|hit| {
            self.spent = Some(hit);
            OutputError::FormatError(std::fmt::Error)
        })
    }
}

impl OutputDev for Pages<'_> {
    fn begin_page(
        &mut self,
        _: u32,
        _: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page.clear();
        self.pen = None;
        self.check_budget()
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.done.push(std::mem::take(&mut self.page));
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if self.glyphs >= GLYPHS_PER_CHECK {
            self.check_budget()?;
        }
        // The glyph's size on the page: the side of a square with the area of its em box.
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt();
        let (x, y) = (trm.m31, -trm.m32);
        if let Some(pen) = self.pen {
            let dy = (y - pen.y).abs();
            if dy > LINE_JUMP * size || (x < pen.end_x && dy > LINE_STEP * size) {
                self.page.push('\n');
            } else if self.run_start && x > pen.end_x + WORD_GAP * size {
                self.page.push(' ');
            }
        }
        self.page.push_str(text);
        self.run_start = false;
        self.pen = Some(Pen {
            end_x: x + width * size,
            y,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.run_start = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
