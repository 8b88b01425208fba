//! A small page layout for the PDF: paragraphs wrapped to the text width, tables, a shaded note,
//! lists and SVG figures, flowing over A4 pages. It lays everything out first (so the footer can
//! say "page 1 of 2") and then draws with krilla; text widths come from the fonts' own advances.

use std::sync::{Arc, OnceLock};

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::ReportError;

/// A4 in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 44.0;
const TOP: f32 = 40.0;
const BOTTOM: f32 = 50.0;
pub const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

/// Libertinus Serif (SIL Open Font License 1.1, content/fonts/README.md): regular, bold, italic.
const FONT_DATA: [&[u8]; 3] = [
    include_bytes!("../../../../content/fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../../../../content/fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../../../../content/fonts/LibertinusSerif-Italic.otf"),
];

/// The fonts, read once, and embedded (as subsets) in every PDF.
struct Fonts {
    data: [&'static [u8]; 3],
    krilla: [Font; 3],
    svg: Arc<usvg::fontdb::Database>,
}

fn fonts() -> Result<&'static Fonts, ReportError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let data = FONT_DATA;
            let krilla = [
                Font::new(data[0].to_vec().into(), 0)?,
                Font::new(data[1].to_vec().into(), 0)?,
                Font::new(data[2].to_vec().into(), 0)?,
            ];
            let mut db = usvg::fontdb::Database::new();
            for d in data {
                db.load_font_data(d.to_vec());
            }
            // Charts ask for the generic sans-serif family; the PDF has one typeface.
            db.set_sans_serif_family("Libertinus Serif");
            db.set_serif_family("Libertinus Serif");
            Some(Fonts { data, krilla, svg: Arc::new(db) })
        })
        .as_ref()
        .ok_or_else(|| ReportError::Pdf("the built-in fonts couldn't be read".to_owned()))
}

fn index(face: Face) -> usize {
    match face {
        Face::Regular => 0,
        Face::Bold => 1,
        Face::Italic => 2,
    }
}

/// Measures text in one font.
struct Measure {
    face: ttf_parser::Face<'static>,
    per_em: f32,
}

impl Measure {
    fn new(data: &'static [u8]) -> Result<Measure, ReportError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| ReportError::Pdf(format!("font: {e}")))?;
        let per_em = f32::from(face.units_per_em());
        Ok(Measure { face, per_em })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .or_else(|| self.face.glyph_index('?'))
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 / self.per_em * size
    }
}

/// Something to draw on a page.
enum Item {
    Text { x: f32, y: f32, face: Face, size: f32, color: (u8, u8, u8), text: String },
    Rect { x: f32, y: f32, w: f32, h: f32, color: (u8, u8, u8) },
    Line { x1: f32, x2: f32, y: f32, width: f32, color: (u8, u8, u8) },
    Svg { x: f32, y: f32, w: f32, h: f32, tree: Box<usvg::Tree> },
}

pub const INK: (u8, u8, u8) = (0x24, 0x29, 0x2f);
pub const MUTED: (u8, u8, u8) = (0x57, 0x60, 0x6a);
const RULE: (u8, u8, u8) = (0xc9, 0xd1, 0xd9);
const SHADE: (u8, u8, u8) = (0xf1, 0xf3, 0xf5);
const NOTE: (u8, u8, u8) = (0xff, 0xf5, 0xdc);
const NOTE_BAR: (u8, u8, u8) = (0xd9, 0xb4, 0x5a);

/// Pages being laid out.
pub struct Flow {
    measures: [Measure; 3],
    pages: Vec<Vec<Item>>,
    y: f32,
}

impl Flow {
    pub fn new() -> Result<Flow, ReportError> {
        let f = fonts()?;
        Ok(Flow {
            measures: [Measure::new(f.data[0])?, Measure::new(f.data[1])?, Measure::new(f.data[2])?],
            pages: vec![Vec::new()],
            y: TOP,
        })
    }

    fn width(&self, text: &str, face: Face, size: f32) -> f32 {
        self.measures[index(face)].width(text, size)
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > PAGE_H - BOTTOM && self.y > TOP + 1.0 {
            self.new_page();
        }
    }

    /// Splits text into lines no wider than `width` (a word longer than the line is cut).
    pub fn wrap(&self, text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, face, size) <= width
                    || line.is_empty() && self.width(word, face, size) <= width
                {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A very long word: cut it to fit.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, face, size) > width {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    fn line_height(size: f32) -> f32 {
        size * 1.3
    }

    /// A paragraph at `x`, `width` wide.
    pub fn text_at(&mut self, text: &str, face: Face, size: f32, color: (u8, u8, u8), x: f32, width: f32) {
        for line in self.wrap(text, face, size, width) {
            let lh = Self::line_height(size);
            self.ensure(lh);
            self.y += lh;
            self.push(Item::Text { x, y: self.y - lh * 0.25, face, size, color, text: line });
        }
    }

    pub fn paragraph(&mut self, text: &str, face: Face, size: f32, color: (u8, u8, u8)) {
        self.text_at(text, face, size, color, MARGIN_X, TEXT_W);
        self.y += size * 0.35;
    }

    /// A section heading, kept with at least `keep` points of what follows.
    pub fn heading(&mut self, text: &str, keep: f32) {
        self.ensure(30.0 + keep);
        self.y += 12.0;
        self.text_at(text, Face::Bold, 12.0, INK, MARGIN_X, TEXT_W);
        self.y += 3.0;
        self.push(Item::Line { x1: MARGIN_X, x2: PAGE_W - MARGIN_X, y: self.y, width: 0.6, color: RULE });
        self.y += 5.0;
    }

    pub fn bullets(&mut self, items: &[String], numbered: bool) {
        let size = 9.5;
        for (i, item) in items.iter().enumerate() {
            let mark = if numbered { format!("{}.", i + 1) } else { "•".to_owned() };
            let lines = self.wrap(item, Face::Regular, size, TEXT_W - 16.0);
            let lh = Self::line_height(size);
            self.ensure(lh);
            let first_y = self.y + lh - lh * 0.25;
            self.push(Item::Text {
                x: MARGIN_X + 2.0,
                y: first_y,
                face: Face::Regular,
                size,
                color: INK,
                text: mark,
            });
            for line in lines {
                self.ensure(lh);
                self.y += lh;
                self.push(Item::Text {
                    x: MARGIN_X + 16.0,
                    y: self.y - lh * 0.25,
                    face: Face::Regular,
                    size,
                    color: INK,
                    text: line,
                });
            }
            self.y += 1.5;
        }
        self.y += 3.0;
    }

    /// A table: `fixed` gives each column's share of the text width (the last takes the rest when
    /// `None`); the header row is shaded; rows never split over pages.
    pub fn table(&mut self, shares: &[f32], header: Option<&[&str]>, rows: &[Vec<String>], size: f32) {
        let widths: Vec<f32> = shares.iter().map(|s| s * TEXT_W).collect();
        let pad = 3.0;
        let lh = Self::line_height(size);
        let draw_row = |flow: &mut Flow, cells: &[String], face: Face, shade: bool| {
            let wrapped: Vec<Vec<String>> =
                cells.iter().zip(&widths).map(|(c, w)| flow.wrap(c, face, size, w - 2.0 * pad)).collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
            flow.ensure(height);
            let top = flow.y;
            if shade {
                flow.push(Item::Rect { x: MARGIN_X, y: top, w: TEXT_W, h: height, color: SHADE });
            }
            let mut x = MARGIN_X;
            for (lines, w) in wrapped.into_iter().zip(&widths) {
                let mut y = top + pad;
                for line in lines {
                    y += lh;
                    flow.push(Item::Text {
                        x: x + pad,
                        y: y - lh * 0.25,
                        face,
                        size,
                        color: INK,
                        text: line,
                    });
                }
                x += w;
            }
            flow.y = top + height;
            flow.push(Item::Line { x1: MARGIN_X, x2: PAGE_W - MARGIN_X, y: flow.y, width: 0.4, color: RULE });
        };
        if let Some(h) = header {
            let cells: Vec<String> = h.iter().map(|s| (*s).to_owned()).collect();
            draw_row(self, &cells, Face::Bold, true);
        }
        for row in rows {
            draw_row(self, row, Face::Regular, false);
        }
        self.y += 6.0;
    }

    /// Lines in a shaded box with a bar on the left (the item 9 note); `bold` lines are stronger.
    pub fn note(&mut self, lines: &[(String, bool)]) {
        let size = 9.5;
        let lh = Self::line_height(size);
        let wrapped: Vec<(String, Face)> = lines
            .iter()
            .flat_map(|(t, bold)| {
                let face = if *bold { Face::Bold } else { Face::Regular };
                self.wrap(t, face, size, TEXT_W - 20.0).into_iter().map(move |l| (l, face))
            })
            .collect();
        let height = wrapped.len() as f32 * lh + 10.0;
        self.ensure(height);
        let top = self.y;
        self.push(Item::Rect { x: MARGIN_X, y: top, w: TEXT_W, h: height, color: NOTE });
        self.push(Item::Rect { x: MARGIN_X, y: top, w: 3.0, h: height, color: NOTE_BAR });
        let mut y = top + 5.0;
        for (line, face) in wrapped {
            y += lh;
            self.push(Item::Text {
                x: MARGIN_X + 10.0,
                y: y - lh * 0.25,
                face,
                size,
                color: INK,
                text: line,
            });
        }
        self.y = top + height + 8.0;
    }

    /// SVG figures side by side, each `share` of the text width, scaled to keep their proportions.
    pub fn figures(&mut self, svgs: &[&str], share: f32) -> Result<(), ReportError> {
        let opts = usvg::Options { fontdb: fonts()?.svg.clone(), ..usvg::Options::default() };
        let gap = 10.0;
        let mut trees = Vec::new();
        for svg in svgs {
            let tree =
                usvg::Tree::from_str(svg, &opts).map_err(|e| ReportError::Pdf(format!("a chart: {e}")))?;
            trees.push(tree);
        }
        let w = (share * TEXT_W - gap * (svgs.len() as f32 - 1.0).max(0.0) * share).min(TEXT_W);
        let heights: Vec<f32> = trees.iter().map(|t| w * t.size().height() / t.size().width()).collect();
        let row_h = heights.iter().copied().fold(0.0, f32::max);
        self.ensure(row_h + 4.0);
        let mut x = MARGIN_X;
        for (tree, h) in trees.into_iter().zip(heights) {
            self.push(Item::Svg { x, y: self.y + 2.0, w, h, tree: Box::new(tree) });
            x += w + gap;
        }
        self.y += row_h + 8.0;
        Ok(())
    }

    /// Draws every page with a footer, and returns the PDF's bytes.
    pub fn finish(self, title: &str, footer: &str) -> Result<Vec<u8>, ReportError> {
        let f = fonts()?;
        let mut doc = Document::new_with(SerializeSettings::default());
        doc.set_metadata(
            krilla::metadata::Metadata::new().title(title.to_owned()).creator("Thaw".to_owned()),
        );
        let total = self.pages.len();
        let size = |s: f32| s;
        for (n, items) in self.pages.into_iter().enumerate() {
            let settings = krilla::page::PageSettings::from_wh(PAGE_W, PAGE_H)
                .ok_or_else(|| ReportError::Pdf("page size".to_owned()))?;
            let mut page = doc.start_page_with(settings);
            let mut surface = page.surface();
            let mut footer_items = vec![Item::Text {
                x: MARGIN_X,
                y: PAGE_H - 26.0,
                face: Face::Regular,
                size: 7.5,
                color: MUTED,
                text: footer.to_owned(),
            }];
            let page_label = format!("page {} of {total}", n + 1);
            let label_w = Measure::new(f.data[0])?.width(&page_label, 7.5);
            footer_items.push(Item::Text {
                x: PAGE_W - MARGIN_X - label_w,
                y: PAGE_H - 26.0,
                face: Face::Regular,
                size: 7.5,
                color: MUTED,
                text: page_label,
            });
            for item in items.into_iter().chain(footer_items) {
                match item {
                    Item::Text { x, y, face, size: s, color, text } => {
                        surface.set_fill(Some(fill(color)));
                        surface.draw_text(
                            Point::from_xy(x, y),
                            f.krilla[index(face)].clone(),
                            size(s),
                            &text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Item::Rect { x, y, w, h, color } => {
                        if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                            let mut pb = PathBuilder::new();
                            pb.push_rect(rect);
                            if let Some(path) = pb.finish() {
                                surface.set_stroke(None);
                                surface.set_fill(Some(fill(color)));
                                surface.draw_path(&path);
                            }
                        }
                    }
                    Item::Line { x1, x2, y, width, color } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(x1, y);
                        pb.line_to(x2, y);
                        if let Some(path) = pb.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                paint: rgb::Color::new(color.0, color.1, color.2).into(),
                                width,
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                            surface.set_stroke(None);
                        }
                    }
                    Item::Svg { x, y, w, h, tree } => {
                        surface.push_transform(&Transform::from_translate(x, y));
                        if let Some(size) = Size::from_wh(w, h) {
                            surface.draw_svg(&tree, size, SvgSettings::default());
                        }
                        surface.pop();
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        doc.finish().map_err(|e| ReportError::Pdf(format!("{e:?}")))
    }
}

fn fill(color: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}
