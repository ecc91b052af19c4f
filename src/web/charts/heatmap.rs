//! A heatmap of a matrix: the cells drawn as one scaled image, with labels, a lit row or column and a legend.

use std::cell::RefCell;

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{HtmlCanvasElement, ImageData};

use super::colour::{Scale, fill_rgba, legend};
use super::{ACCENT, DrawError, Grid, INK, MUTED, css, is_cjk};
use crate::page::chart_data::Heatmap;
use crate::web::canvas::Surface;
use crate::web::dom;

/// The rectangle a heatmap may use, in CSS pixels of its canvas.
#[derive(Clone, Copy, Debug)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

thread_local! {
    /// Scratch canvases for the cell images, one per image size: drawImage copies a scratch
    /// canvas at once, so maps of one size can share it, and keeping one per size spares the
    /// browser reallocating a backing store for every map of every frame.
    static SCRATCH: RefCell<Vec<((u32, u32), HtmlCanvasElement)>> = const { RefCell::new(Vec::new()) };
}

/// At most this many sizes are kept, the least recently used dropped first (a page shows
/// eight maps; dragging a size slider brings new sizes).
const SCRATCH_SIZES: usize = 12;

fn scratch(cols: u32, rows: u32) -> Result<HtmlCanvasElement, DrawError> {
    SCRATCH.with(|cell| {
        let mut kept = cell.borrow_mut();
        // Least recently used first: a size found moves to the end.
        if let Some(i) = kept.iter().position(|(size, _)| *size == (cols, rows)) {
            let entry = kept.remove(i);
            let c = entry.1.clone();
            kept.push(entry);
            return Ok(c);
        }
        let c = dom::document()
            .create_element("canvas")?
            .dyn_into::<HtmlCanvasElement>()
            .map_err(|_| DrawError("not a canvas".into()))?;
        c.set_width(cols);
        c.set_height(rows);
        if kept.len() >= SCRATCH_SIZES {
            kept.remove(0);
        }
        kept.push(((cols, rows), c.clone()));
        Ok(c)
    })
}

/// Height of the title above the cells, CSS pixels.
const TITLE_H: f64 = 16.0;
/// Height kept for the legend below the cells, even when none is drawn, so heatmaps side by
/// side line up.
const LEGEND_H: f64 = 22.0;
/// Width of the row labels left of the cells.
const LABEL_W: f64 = 14.0;

/// Draws `map` inside `area` and returns the cell grid (CSS pixels) for hovering.
/// Cells stay square-ish: the grid is centred when the area's shape differs from the matrix's.
pub fn draw(s: &Surface, area: Area, map: &Heatmap) -> Result<Grid, DrawError> {
    let (grid, cell) = layout(area, map, s.ui);
    draw_title(s, area, &map.title)?;
    let filled = map.filled_cols.unwrap_or(grid.cols).min(grid.cols);
    draw_cells(s, &grid, map, filled)?;
    // Thin separators when cells are large enough to read one by one.
    if cell >= 7.0 {
        draw_separators(s, &grid);
    }
    draw_unfilled_and_frame(s, &grid, filled);
    draw_lit(s, &grid, map);
    draw_axis_labels(s, &grid, map)?;
    if map.show_legend {
        let lw = grid.w.clamp(90.0 * s.ui, 160.0 * s.ui).min(area.w - LABEL_W * s.ui);
        let lx = (grid.x + (grid.w - lw) / 2.0).max(area.x + LABEL_W * s.ui);
        let scale = if map.unit_scale { Scale::Unit } else { Scale::Symmetric(map.limit) };
        legend(s, s.px(lx), s.px(grid.y + grid.h + 6.0), s.px(lw), scale);
    }
    Ok(grid)
}

/// The room a heatmap keeps around its cells at text scale `ui` (CSS pixels): (width, height).
pub fn frame_size(ui: f64) -> (f64, f64) {
    (LABEL_W * ui, (TITLE_H + LEGEND_H + 12.0) * ui)
}

/// Where the cells go inside `area` (CSS pixels), and the side of one cell; labels and
/// titles take room in proportion to the text scale `ui`.
fn layout(area: Area, map: &Heatmap, ui: f64) -> (Grid, f64) {
    let (rows, cols) = map.shape;
    let avail_w = (area.w - LABEL_W * ui).max(4.0);
    let avail_h = (area.h - (TITLE_H + LEGEND_H + 12.0) * ui).max(4.0);
    // Square cells, as large as the area allows.
    let cell = (avail_w / cols.max(1) as f64).min(avail_h / rows.max(1) as f64).min(map.max_cell.unwrap_or(f64::MAX));
    let (gw, gh) = (cell * cols as f64, cell * rows as f64);
    let gx = area.x + LABEL_W * ui + (avail_w - gw) / 2.0;
    let gy = area.y + (TITLE_H + 12.0) * ui;
    (Grid { x: gx, y: gy, w: gw, h: gh, rows, cols }, cell)
}

/// The map's title over its area; where the whole title is too wide (a phone, large type),
/// only its name, the part before ": " ("h₁ … h_T: H units × T steps" becomes "h₁ … h_T").
fn draw_title(s: &Surface, area: Area, title: &str) -> Result<(), DrawError> {
    let ctx = &s.ctx;
    let title = match title.split_once(": ") {
        Some((name, _)) if s.text_width(title, 12.0) > s.px(area.w) => name,
        _ => title,
    };
    ctx.set_fill_style_str(&css(INK));
    ctx.set_font(&s.font(12.0));
    ctx.set_text_baseline("top");
    ctx.set_text_align("left");
    ctx.fill_text(title, s.px(area.x), s.px(area.y))?;
    Ok(())
}

/// The cells: one RGBA image, scaled up without smoothing. Columns from `filled` on stay white.
fn draw_cells(s: &Surface, grid: &Grid, map: &Heatmap, filled: usize) -> Result<(), DrawError> {
    let (rows, cols) = (grid.rows, grid.cols);
    let mut rgba = vec![0xffu8; rows * cols * 4];
    // Row-major pixels from a column-major matrix; columns not computed yet stay white.
    if map.values.len() == rows * cols {
        fill_rgba(map.values, (rows, cols), filled, map.limit, &mut rgba);
    }
    if rows > 0 && cols > 0 {
        let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), cols as u32, rows as u32)?;
        let sc = scratch(cols as u32, rows as u32)?;
        let sctx = sc
            .get_context("2d")?
            .ok_or("no 2d context")?
            .dyn_into::<web_sys::CanvasRenderingContext2d>()
            .map_err(|_| DrawError("not a 2d context".into()))?;
        sctx.put_image_data(&img, 0.0, 0.0)?;
        let ctx = &s.ctx;
        ctx.set_image_smoothing_enabled(false);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &sc,
            s.px(grid.x),
            s.px(grid.y),
            s.px(grid.w),
            s.px(grid.h),
        )?;
    }
    Ok(())
}

/// Thin white lines between the cells.
fn draw_separators(s: &Surface, grid: &Grid) {
    let ctx = &s.ctx;
    let Grid { x: gx, y: gy, w: gw, h: gh, rows, cols } = *grid;
    ctx.set_stroke_style_str("rgba(255,255,255,0.9)");
    ctx.set_line_width(s.px(1.0));
    ctx.begin_path();
    for j in 1..cols {
        let x = s.px(gx + gw * j as f64 / cols as f64);
        ctx.move_to(x, s.px(gy));
        ctx.line_to(x, s.px(gy + gh));
    }
    for i in 1..rows {
        let y = s.px(gy + gh * i as f64 / rows as f64);
        ctx.move_to(s.px(gx), y);
        ctx.line_to(s.px(gx + gw), y);
    }
    ctx.stroke();
}

/// A light hatch over the columns not computed yet (so "empty" reads differently from "zero"),
/// then a frame round the cells.
fn draw_unfilled_and_frame(s: &Surface, grid: &Grid, filled: usize) {
    let ctx = &s.ctx;
    let Grid { x: gx, y: gy, w: gw, h: gh, cols, .. } = *grid;
    if filled < cols {
        ctx.set_fill_style_str("rgba(229,231,235,0.7)");
        let x0 = gx + gw * filled as f64 / cols as f64;
        ctx.fill_rect(s.px(x0), s.px(gy), s.px(gx + gw - x0), s.px(gh));
    }
    ctx.set_stroke_style_str("rgba(31,41,55,0.35)");
    ctx.set_line_width(s.px(1.0));
    ctx.stroke_rect(s.px(gx), s.px(gy), s.px(gw), s.px(gh));
}

/// The lit row or column, outlined in the accent colour.
fn draw_lit(s: &Surface, grid: &Grid, map: &Heatmap) {
    let ctx = &s.ctx;
    let Grid { x: gx, y: gy, w: gw, h: gh, rows, cols } = *grid;
    ctx.set_stroke_style_str(&css(ACCENT));
    ctx.set_line_width(s.px(2.0));
    if let Some(r) = map.lit_row.filter(|&r| r < rows) {
        let y = gy + gh * r as f64 / rows as f64;
        ctx.stroke_rect(s.px(gx - 1.0), s.px(y), s.px(gw + 2.0), s.px(gh / rows as f64));
    }
    if let Some(c) = map.lit_col.filter(|&c| c < cols) {
        let x = gx + gw * c as f64 / cols as f64;
        ctx.stroke_rect(s.px(x), s.px(gy - 1.0), s.px(gw / cols as f64), s.px(gh + 2.0));
    }
}

/// Axis labels: the first and last index, and the names, each only where it fits without
/// touching another.
fn draw_axis_labels(s: &Surface, grid: &Grid, map: &Heatmap) -> Result<(), DrawError> {
    let ctx = &s.ctx;
    let Grid { x: gx, y: gy, w: gw, h: gh, rows, cols } = *grid;
    ctx.set_fill_style_str(&css(MUTED));
    ctx.set_font(&s.font(10.0));
    let gap = s.text_px(10.0) * 0.6;
    let line = s.text_px(10.0) * 1.1;
    if cols > 1 {
        let first = if map.col_label.is_empty() { "1".to_string() } else { format!("{} 1", map.col_label) };
        let last = cols.to_string();
        let (wf, wl) = (s.text_width(&first, 10.0), s.text_width(&last, 10.0));
        let first = if wf + gap + wl <= s.px(gw) { first } else { "1".to_string() };
        ctx.set_text_baseline("bottom");
        ctx.set_text_align("left");
        ctx.fill_text(&first, s.px(gx), s.px(gy - 1.0))?;
        if s.text_width(&first, 10.0) + gap + wl <= s.px(gw) {
            ctx.set_text_align("right");
            ctx.fill_text(&last, s.px(gx + gw), s.px(gy - 1.0))?;
        }
    }
    if map.blocks.len() > 1 {
        return draw_blocks(s, grid, map.blocks);
    }
    ctx.set_text_align("right");
    ctx.set_text_baseline("top");
    ctx.fill_text("1", s.px(gx - 3.0), s.px(gy))?;
    if rows > 1 && s.px(gh) >= 2.0 * line + gap {
        ctx.set_text_baseline("bottom");
        ctx.fill_text(&rows.to_string(), s.px(gx - 3.0), s.px(gy + gh))?;
    }
    draw_row_name(s, grid, map.row_label, line + gap)
}

/// The names of the blocks of rows beside them, each block's first row under a dark line.
fn draw_blocks(s: &Surface, grid: &Grid, names: &[&str]) -> Result<(), DrawError> {
    let ctx = &s.ctx;
    let Grid { x: gx, y: gy, w: gw, h: gh, .. } = *grid;
    let block_h = gh / names.len() as f64;
    ctx.set_stroke_style_str(&css(INK));
    ctx.set_line_width(s.px(1.5));
    ctx.begin_path();
    for k in 1..names.len() {
        let y = s.px(gy + block_h * k as f64);
        ctx.move_to(s.px(gx - 2.0), y);
        ctx.line_to(s.px(gx + gw + 2.0), y);
    }
    ctx.stroke();
    ctx.set_fill_style_str(&css(INK));
    ctx.set_font(&s.font(11.0));
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    for (k, name) in names.iter().enumerate() {
        ctx.fill_text(name, s.px(gx - 3.0), s.px(gy + block_h * (k as f64 + 0.5)))?;
    }
    Ok(())
}

/// The rows' name beside the grid, between its first and last numbers, when there is room
/// (`room`: device pixels each number takes): Japanese written downwards upright, as vertical
/// Japanese is, other scripts turned.
fn draw_row_name(s: &Surface, grid: &Grid, label: &str, room: f64) -> Result<(), DrawError> {
    let ctx = &s.ctx;
    let Grid { x: gx, y: gy, h: gh, .. } = *grid;
    let upright = !label.is_empty() && label.chars().all(is_cjk);
    if upright {
        let chars: Vec<char> = label.chars().collect();
        let (step, top) = (s.text_px(10.0) * 1.2, s.px(gy + gh / 2.0));
        if s.px(gh) >= step * chars.len() as f64 + 2.0 * room {
            ctx.set_text_align("center");
            ctx.set_text_baseline("middle");
            let x = s.px(gx - 4.0) - step / 2.0;
            for (i, c) in chars.iter().enumerate() {
                let y = top + (i as f64 + 0.5 - chars.len() as f64 / 2.0) * step;
                // The long vowel mark runs along the line: down, in vertical writing.
                if *c == 'ー' {
                    ctx.save();
                    ctx.translate(x, y)?;
                    ctx.rotate(std::f64::consts::FRAC_PI_2)?;
                    ctx.fill_text("ー", 0.0, 0.0)?;
                    ctx.restore();
                } else {
                    ctx.fill_text(&c.to_string(), x, y)?;
                }
            }
        }
    } else if s.px(gh) >= s.text_width(label, 10.0) + 2.0 * room {
        ctx.save();
        ctx.translate(s.px(gx - 4.0), s.px(gy + gh / 2.0))?;
        ctx.rotate(-std::f64::consts::FRAC_PI_2)?;
        ctx.set_text_align("center");
        ctx.set_text_baseline("bottom");
        ctx.fill_text(label, 0.0, 0.0)?;
        ctx.restore();
    }
    Ok(())
}
