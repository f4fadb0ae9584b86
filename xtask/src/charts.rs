//! Benchmark sections and their charts: [`write_marked_section`] writes an area's marked
//! section of `docs/performance.md`, and each section gets one SVG chart
//! (`<!-- AREA:begin -->` .. `<!-- AREA:end -->`), written to `docs/img/perf-AREA.svg` from
//! the markdown tables the benches measured, so a chart can never disagree with its table.
//!
//! How a table becomes bars:
//! - a *metric column* is one whose every filled cell is a number with a unit, either in
//!   the cell (`2.83 µs`, `1.11 ms`, `221,224/s`) or in the header (`µs/op`, `HS256 ns/op`,
//!   `p50 ms`, `req/s`); ratio (`1.40x`), percentage and unitless columns are not charted;
//! - the row's label is the text of the columns before the first metric column;
//! - when the rows are workloads and the columns libraries (two or more metric columns of
//!   one kind, and a first column that is not `library`/`part`), each row is one group of
//!   bars; otherwise each metric column is a group with one bar per row;
//! - every group is scaled on its own, and each bar is labelled with its value and its
//!   ratio to the group's best (lowest time, highest rate), the way the tables report
//!   ratios against the best peer. Cached rows (a label with "cache") are drawn but are
//!   not the reference, since they skip the work; a "where the time goes" table is a
//!   breakdown of one call, so its bars carry values only.
//!
//! [`refresh`] is called by [`write_marked_section`] (every bench that writes a
//! section), by `cargo xtask bench` after all areas ran (the Node and Python benches write
//! their sections from their own scripts), and by `cargo xtask docs`.

use std::fmt::Write as _;
use std::path::Path;

use crate::util::Result;

/// What a metric measures: lower is better for times, higher for rates.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// A duration; the value is in nanoseconds.
    Time,
    /// Events per second.
    Rate,
}

/// One bar: its label, its value (ns or per second) and the text shown next to it.
#[derive(Debug)]
struct Bar {
    label: String,
    value: f64,
    shown: String,
}

/// A group of bars compared with each other.
#[derive(Debug)]
struct Group {
    title: String,
    kind: Kind,
    bars: Vec<Bar>,
}

/// One table's groups, under the heading that precedes the table.
#[derive(Debug)]
struct Panel {
    title: String,
    groups: Vec<Group>,
}

/// Replace the text between `<!-- {tag}:begin -->` and `<!-- {tag}:end -->` in the
/// markdown file `path` with `body` (appending the marked section when absent, creating
/// the file with `title` when missing). Each area owns its own markers, e.g. in
/// `docs/performance.md`, so areas never overwrite each other's sections.
pub fn write_marked_section(path: &Path, title: &str, tag: &str, body: &str) -> Result {
    let begin = format!("<!-- {tag}:begin -->");
    let end = format!("<!-- {tag}:end -->");
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| format!("{title}\n"));
    let block = format!("{begin}\n{}\n{end}", body.trim_end());
    let new = match (old.find(&begin), old.find(&end)) {
        (Some(b), Some(e)) if e > b => format!("{}{block}{}", &old[..b], &old[e + end.len()..]),
        _ => format!("{}\n\n{block}\n", old.trim_end()),
    };
    std::fs::write(path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("    updated {} ({tag} section)", path.display());
    // The section's chart (docs/img/perf-TAG.svg) follows its table.
    refresh(path).map(|_| ())
}

/// Regenerate every chart of the markdown file `doc` (`docs/performance.md`) into
/// `img/perf-AREA.svg` next to it, and make sure the document links each chart right
/// after the section's end marker (outside the markers, which the benches rewrite).
/// Returns the charts written.
pub fn refresh(doc: &Path) -> Result<Vec<String>> {
    let mut text = std::fs::read_to_string(doc).map_err(|e| format!("{}: {e}", doc.display()))?;
    let dir = doc.parent().ok_or("docs file has no parent folder")?;
    let img = dir.join("img");
    let mut written = Vec::new();
    for (tag, body) in sections(&text.clone()) {
        let panels = panels(&body);
        if panels.iter().all(|p| p.groups.is_empty()) {
            continue;
        }
        std::fs::create_dir_all(&img).map_err(|e| format!("{}: {e}", img.display()))?;
        let name = format!("perf-{tag}.svg");
        let svg = render(&chart_title(&tag, &body, &text), &panels);
        let path = img.join(&name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            std::fs::write(&path, &svg).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let link = format!("](img/{name})");
        if !text.contains(&link) {
            let end = format!("<!-- {tag}:end -->");
            if let Some(at) = text.find(&end) {
                let at = at + end.len();
                text.insert_str(
                    at,
                    &format!("\n\n![Chart of the {tag} tables above](img/{name})"),
                );
            }
        }
        written.push(name);
    }
    if std::fs::read_to_string(doc).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(doc, &text).map_err(|e| format!("{}: {e}", doc.display()))?;
    }
    Ok(written)
}

/// `(tag, body)` of every `<!-- tag:begin -->` .. `<!-- tag:end -->` section.
fn sections(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(b) = rest.find("<!-- ") {
        let after = &rest[b + 5..];
        let Some(close) = after.find(" -->") else {
            break;
        };
        let marker = &after[..close];
        rest = &after[close..];
        let Some(tag) = marker.strip_suffix(":begin") else {
            continue;
        };
        let end = format!("<!-- {tag}:end -->");
        if let Some(e) = rest.find(&end) {
            out.push((tag.to_owned(), rest[4..e].to_owned()));
            rest = &rest[e + end.len()..];
        }
    }
    out
}

/// The chart's title: the section's first heading, or the heading just above its begin
/// marker, or the tag.
fn chart_title(tag: &str, body: &str, doc: &str) -> String {
    let inside = body.lines().find_map(heading);
    let above = doc.find(&format!("<!-- {tag}:begin -->")).and_then(|b| {
        doc[..b]
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(heading)
    });
    inside.or(above).unwrap_or_else(|| tag.to_owned())
}

fn heading(line: &str) -> Option<String> {
    let t = line.trim_start();
    t.starts_with('#')
        .then(|| clean(t.trim_start_matches('#')))
        .filter(|s| !s.is_empty())
}

/// Strip markdown emphasis and code marks from a cell or heading.
fn clean(s: &str) -> String {
    s.replace("**", "").replace('`', "").trim().to_owned()
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(clean).collect()
}

/// Every table of a section as a panel (tables without a metric column are left out).
fn panels(body: &str) -> Vec<Panel> {
    let mut out = Vec::new();
    let mut title = String::new();
    let lines: Vec<&str> = body.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if let Some(h) = heading(lines[i]) {
            title = h;
        }
        let is_table = |l: &str| l.trim_start().starts_with('|');
        if is_table(lines[i])
            && lines
                .get(i + 1)
                .is_some_and(|l| l.contains("---") && is_table(l))
        {
            let header = cells(lines[i]);
            let mut rows = Vec::new();
            i += 2;
            while i < lines.len() && is_table(lines[i]) {
                rows.push(cells(lines[i]));
                i += 1;
            }
            let groups = groups(&header, &rows);
            if !groups.is_empty() {
                out.push(Panel {
                    title: title.clone(),
                    groups,
                });
            }
            continue;
        }
        i += 1;
    }
    out
}

/// A number and its unit in a cell: `2.83 µs`, `706 ns (ring)`, `221,224/s`, `158330`.
fn parse_cell(cell: &str) -> Option<(f64, Option<Kind>, f64)> {
    let t = cell.split(" (").next()?.trim().replace(',', "");
    if t.ends_with('x') || t.ends_with('%') {
        return None;
    }
    let (num, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(p) => (&t[..p], t[p..].trim()),
        None => (t.as_str(), ""),
    };
    let n: f64 = num.parse().ok()?;
    let (kind, scale) = match unit {
        "" => (None, 1.0),
        "/s" => (Some(Kind::Rate), 1.0),
        u => (Some(Kind::Time), time_scale(u)?),
    };
    Some((n, kind, scale))
}

/// Nanoseconds per unit.
fn time_scale(unit: &str) -> Option<f64> {
    match unit {
        "ns" | "ns/op" => Some(1.0),
        "µs" | "us" | "µs/op" | "us/op" => Some(1e3),
        "ms" | "ms/op" => Some(1e6),
        "s" => Some(1e9),
        _ => None,
    }
}

/// The unit a header names (`µs/op`, `jwt-core µs`, `HS256 ns/op`, `p50 ms`, `req/s`).
fn header_unit(h: &str) -> Option<(Kind, f64, &str)> {
    let last = h.split_whitespace().last()?;
    if last.ends_with("/s") {
        return Some((Kind::Rate, 1.0, last));
    }
    time_scale(last).map(|s| (Kind::Time, s, last))
}

/// A metric column: its kind and, per row, the value and the text to show.
type Column = (Kind, Vec<Option<(f64, String)>>);

fn metric_column(header: &str, rows: &[Vec<String>], col: usize) -> Option<Column> {
    if header.contains(" / ") || header.to_lowercase().contains("ratio") {
        return None;
    }
    let from_header = header_unit(header);
    let mut kind = from_header.map(|u| u.0);
    let mut values = Vec::new();
    let mut any = false;
    for row in rows {
        let cell = row.get(col).map_or("", String::as_str);
        if cell.is_empty() || cell == "-" {
            values.push(None);
            continue;
        }
        let (n, cell_kind, scale) = parse_cell(cell)?;
        let (k, scale, shown) = match (cell_kind, from_header) {
            (Some(k), _) => (k, scale, cell.to_owned()),
            (None, Some((k, s, unit))) => (k, s, format!("{cell} {unit}")),
            (None, None) => return None,
        };
        if kind.is_some_and(|prev| prev != k) {
            return None;
        }
        kind = Some(k);
        any = true;
        values.push(Some((n * scale, shown)));
    }
    Some((kind?, values)).filter(|_| any)
}

fn groups(header: &[String], rows: &[Vec<String>]) -> Vec<Group> {
    let metrics: Vec<(usize, Column)> = (0..header.len())
        .filter_map(|c| metric_column(&header[c], rows, c).map(|m| (c, m)))
        .collect();
    let Some(first) = metrics.first().map(|m| m.0) else {
        return Vec::new();
    };
    let label = |row: &Vec<String>| {
        row[..first.min(row.len())]
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let first_header = header[0].to_lowercase();
    let one_kind = metrics.iter().all(|m| m.1.0 == metrics[0].1.0);
    let per_row = metrics.len() >= 2 && one_kind && !["library", "part"].contains(&&*first_header);
    let mut out = Vec::new();
    if per_row {
        for (r, row) in rows.iter().enumerate() {
            let bars = metrics
                .iter()
                .filter_map(|(c, (_, vals))| {
                    vals[r].as_ref().map(|(v, shown)| Bar {
                        label: header[*c].clone(),
                        value: *v,
                        shown: shown.clone(),
                    })
                })
                .collect();
            out.push(Group {
                title: label(row),
                kind: metrics[0].1.0,
                bars,
            });
        }
    } else {
        for (c, (kind, vals)) in &metrics {
            let bars = rows
                .iter()
                .zip(vals)
                .filter_map(|(row, v)| {
                    v.as_ref().map(|(v, shown)| Bar {
                        label: label(row),
                        value: *v,
                        shown: shown.clone(),
                    })
                })
                .collect();
            out.push(Group {
                title: if metrics.len() > 1 {
                    header[*c].clone()
                } else {
                    String::new()
                },
                kind: *kind,
                bars,
            });
        }
    }
    out.retain(|g| g.bars.len() >= 2 && g.bars.iter().all(|b| b.value > 0.0));
    out
}

// ---------------------------------------------------------------------------------------
// SVG

const WIDTH: f64 = 820.0;
const LABEL_W: f64 = 270.0;
const BAR_W: f64 = 360.0;
const ROW_H: f64 = 18.0;
const FONT: &str = "font-family=\"-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\"";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// Our own library's bars stand out.
fn ours(label: &str) -> bool {
    let l = label.to_lowercase();
    l.contains("jwt-core") || l.contains("jwt_core")
}

fn render(title: &str, panels: &[Panel]) -> String {
    let mut body = String::new();
    let mut y = 62.0;
    for p in panels {
        y += 12.0;
        if p.title == title {
            y -= 20.0;
        } else {
            let _ = writeln!(
                body,
                "<text x=\"10\" y=\"{y}\" font-size=\"14\" font-weight=\"bold\">{}</text>",
                esc(&p.title)
            );
        }
        y += 8.0;
        for g in &p.groups {
            if !g.title.is_empty() {
                y += ROW_H;
                let _ = writeln!(
                    body,
                    "<text x=\"10\" y=\"{}\" font-size=\"12\" font-weight=\"bold\" fill=\"#333\">{}</text>",
                    y - 4.0,
                    esc(&truncate(&g.title, 100))
                );
            }
            let max = g.bars.iter().map(|b| b.value).fold(0.0, f64::max);
            // A cached result skips the work: it is drawn, but is not the reference.
            let uncached: Vec<f64> = g
                .bars
                .iter()
                .filter(|b| !b.label.to_lowercase().contains("cache"))
                .map(|b| b.value)
                .collect();
            let reference = if uncached.is_empty() {
                g.bars.iter().map(|b| b.value).collect()
            } else {
                uncached
            };
            let best = match g.kind {
                Kind::Time => reference.iter().copied().fold(f64::INFINITY, f64::min),
                Kind::Rate => reference.iter().copied().fold(0.0, f64::max),
            };
            let breakdown = p.title.to_lowercase().contains("where the time goes");
            for b in &g.bars {
                let w = (b.value / max * BAR_W).max(1.5);
                let ratio = match g.kind {
                    Kind::Time => b.value / best,
                    Kind::Rate => best / b.value,
                };
                let ratio = if breakdown {
                    String::new()
                } else if (ratio - 1.0).abs() < 0.005 {
                    " (best)".to_owned()
                } else if ratio < 0.1 {
                    format!(" ({ratio:.4}x)")
                } else {
                    format!(" ({ratio:.2}x)")
                };
                let fill = if ours(&b.label) { "#2f6fb0" } else { "#a7b1bc" };
                let _ = writeln!(
                    body,
                    "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
                     <rect x=\"{}\" y=\"{}\" width=\"{w:.1}\" height=\"12\" fill=\"{fill}\"/>\
                     <text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"#333\">{}{ratio}</text>",
                    LABEL_W - 6.0,
                    y + 14.0,
                    esc(&truncate(&b.label, 40)),
                    LABEL_W,
                    y + 4.0,
                    LABEL_W + w + 5.0,
                    y + 14.0,
                    esc(&b.shown),
                );
                y += ROW_H;
            }
            y += 4.0;
        }
        y += 6.0;
    }
    let height = y + 12.0;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" {FONT} role=\"img\">\n\
         <title>{t}</title>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">{t}</text>\n\
         <text x=\"10\" y=\"40\" font-size=\"11\" fill=\"#555\">Generated by cargo xtask from the \
         tables of docs/performance.md. Each group is scaled on its own: times, shorter is faster; \
         rates, longer is better.</text>\n\
         <text x=\"10\" y=\"54\" font-size=\"11\" fill=\"#555\">(best) marks the group's best \
         value (cached rows aside), (N.NNx) how far a bar is from it. Blue: jwt-core.</text>\n\
         {body}</svg>\n",
        t = esc(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# P\n<!-- a:begin -->\n## Rust core\n\n\
        | alg | op | jwt-core | peer | peer / jwt-core |\n|---|---|---:|---:|---:|\n\
        | HS256 | verify | 2.00 µs | 4.00 µs | 2.00x |\n| RS256 | sign | 1.50 ms | - | - |\n\
        <!-- a:end -->\n<!-- b:begin -->\n### HS256 sign\n\n| library | µs/op |\n|---|---:|\n\
        | jwt-core | 5.00 |\n| other | 1,000.00 |\n\n| comparison | speed-up |\n|---|---:|\n| x | 1.6x |\n\
        <!-- b:end -->\n";

    #[test]
    fn tables_become_groups() {
        let s = sections(DOC);
        assert_eq!(s.len(), 2);
        let a = panels(&s[0].1);
        assert_eq!(a.len(), 1);
        // Rows are workloads: one group per row; the RS256 row has one value, so no group.
        assert_eq!(a[0].groups.len(), 1);
        let g = &a[0].groups[0];
        assert_eq!(g.title, "HS256 verify");
        assert_eq!(g.bars.len(), 2);
        assert_eq!(g.bars[1].value, 4000.0);
        // Rows are libraries: one group for the column; the ratio table is not charted.
        let b = panels(&s[1].1);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].title, "HS256 sign");
        assert_eq!(b[0].groups[0].bars[1].value, 1_000_000.0);
        assert_eq!(b[0].groups[0].bars[1].shown, "1,000.00 µs/op");
    }

    #[test]
    fn ratios_are_against_the_best() {
        let s = sections(DOC);
        let svg = render("t", &panels(&s[1].1));
        assert!(svg.contains("5.00 µs/op (best)"), "{svg}");
        assert!(svg.contains("1,000.00 µs/op (200.00x)"), "{svg}");
    }

    #[test]
    fn cached_rows_are_not_the_reference() {
        let doc = "<!-- c:begin -->\n### HS256 verify\n\n| library | µs/op |\n|---|---:|\n\
            | jwt-core verify | 8.00 |\n| jwt-core verify cache | 0.10 |\n| peer | 16.00 |\n<!-- c:end -->\n";
        let svg = render("t", &panels(&sections(doc)[0].1));
        assert!(svg.contains("8.00 µs/op (best)"), "{svg}");
        assert!(svg.contains("16.00 µs/op (2.00x)"), "{svg}");
        assert!(svg.contains("0.10 µs/op (0.0125x)"), "{svg}");
    }

    #[test]
    fn cells() {
        assert_eq!(
            parse_cell("706 ns (ring)"),
            Some((706.0, Some(Kind::Time), 1.0))
        );
        assert_eq!(
            parse_cell("221,224/s"),
            Some((221224.0, Some(Kind::Rate), 1.0))
        );
        assert_eq!(parse_cell("1.40x"), None);
        assert_eq!(parse_cell("99%"), None);
        assert_eq!(parse_cell("met"), None);
    }
}
