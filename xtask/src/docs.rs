//! The documentation as a book, and the checks that keep it honest.
//!
//! `cargo xtask docs` renders `README.md` and every `docs/*.md` page into a browsable book in
//! `target/book/` (`index.html` is the README; a sidebar lists every page; `*.md` links
//! become `*.html`; the SVGs of `docs/img/` are copied), after regenerating the benchmark
//! charts from the tables of `docs/performance.md` (see `charts.rs`). The renderer is
//! pulldown-cmark plus a small template: mdBook would be a second tool to build or
//! download on a 2-core CI for the same result.
//!
//! `cargo xtask test --only docs` builds the book and checks:
//! - every relative link and `#anchor` in `README.md` and `docs/*.md` resolves (anchors are
//!   GitHub's heading slugs), and no rustdoc-style `` [`Name`] `` link is left unresolved;
//! - every fenced code block names its language (`text` for illustrations, which no test
//!   runs);
//! - the ```` ```rust ```` samples of docs pages that the core does not already compile
//!   as doctests (`docs/rust.md` is, through `jwt_core`'s `#[doc = include_str!]`) run under
//!   `rustdoc --test` against the workspace's `jwt-core`.
//!
//! The other languages' samples run in their own suites: `docs/node.md` and the Node README
//! in `bindings/node/test/docs.test.mjs`, `docs/cli.md` in `crates/jwt-cli/tests/docs.rs`,
//! `docs/kotlin.md` against the dist jar (`cargo xtask dist --only kotlin`).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag};

use crate::charts;
use crate::util::{self, Ctx, Result};

/// Sidebar order; pages not listed here follow in name order.
const ORDER: &[&str] = &[
    "rust",
    "python",
    "node",
    "kotlin",
    "swift",
    "cli",
    "security",
    "jwe",
    "errors",
    "performance",
    "architecture",
];

/// One page of the book: its source (relative to the root) and its HTML file name.
struct Page {
    src: String,
    html: String,
    title: String,
    text: String,
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn write(p: &Path, text: &str) -> Result {
    std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
}

/// `README.md` then `docs/*.md`, in sidebar order.
fn pages(root: &Path) -> Result<Vec<Page>> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("docs"))
        .map_err(|e| format!("docs/: {e}"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".md"))
                .map(str::to_owned)
        })
        .collect();
    let rank = |n: &String| ORDER.iter().position(|o| o == n).unwrap_or(ORDER.len());
    names.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    let mut out = vec![("README.md".to_owned(), "index.html".to_owned())];
    out.extend(
        names
            .into_iter()
            .map(|n| (format!("docs/{n}.md"), format!("{n}.html"))),
    );
    out.into_iter()
        .map(|(src, html)| {
            let text = read(&root.join(&src))?;
            let title = text
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .map(|t| t.replace('`', ""))
                .unwrap_or_else(|| src.clone());
            Ok(Page {
                src,
                html,
                title,
                text,
            })
        })
        .collect()
}

/// GitHub's anchor for a heading: lower case, spaces to `-`, punctuation other than `-`
/// and `_` dropped; repeated headings get `-1`, `-2`, ...
fn slug(text: &str, seen: &mut HashMap<String, usize>) -> String {
    let base: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect();
    let n = seen.entry(base.clone()).or_insert(0);
    let s = if *n == 0 {
        base.clone()
    } else {
        format!("{base}-{n}")
    };
    *n += 1;
    s
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// The events of a page with an `id` on every heading (GitHub's slugs).
fn events(text: &str) -> Vec<Event<'_>> {
    let mut evs: Vec<Event> = Parser::new_ext(text, options()).collect();
    let mut seen = HashMap::new();
    let mut i = 0;
    while i < evs.len() {
        if let Event::Start(Tag::Heading { .. }) = &evs[i] {
            let mut title = String::new();
            let mut j = i + 1;
            while j < evs.len() && !is_heading_end(&evs[j]) {
                if let Event::Text(t) | Event::Code(t) = &evs[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            let s = slug(&title, &mut seen);
            if let Event::Start(Tag::Heading { id, .. }) = &mut evs[i] {
                *id = Some(CowStr::from(s));
            }
            i = j;
        }
        i += 1;
    }
    evs
}

fn is_heading_end(e: &Event) -> bool {
    matches!(e, Event::End(pulldown_cmark::TagEnd::Heading(_)))
}

/// The anchors a page defines.
fn anchors(text: &str) -> BTreeSet<String> {
    events(text)
        .into_iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// `a/b/../c` -> `a/c`; `None` when the path leaves the repository.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    Some(out)
}

fn is_external(url: &str) -> bool {
    url.contains("://") || url.starts_with("mailto:")
}

/// A relative link of `src` split into (repository path, anchor).
fn resolve(src: &str, url: &str) -> Option<(PathBuf, Option<String>)> {
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a.to_owned())),
        None => (url, None),
    };
    let target = if path.is_empty() {
        PathBuf::from(src)
    } else {
        normalize(&Path::new(src).parent()?.join(path))?
    };
    Some((target, anchor))
}

/// Where a repository path is linked from inside `target/book/`.
fn book_href(target: &Path, anchor: Option<&str>) -> String {
    let t = target.to_string_lossy().replace('\\', "/");
    let base = if t == "README.md" {
        "index.html".to_owned()
    } else if let Some(name) = t.strip_prefix("docs/").filter(|n| !n.contains('/')) {
        match name.strip_suffix(".md") {
            Some(stem) => format!("{stem}.html"),
            None => name.to_owned(),
        }
    } else if let Some(img) = t.strip_prefix("docs/img/") {
        format!("img/{img}")
    } else {
        // Outside the book: back to the source tree (target/book -> the root).
        format!("../../{t}")
    };
    match anchor {
        Some(a) => format!("{base}#{a}"),
        None => base,
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Every problem with the links and code fences of the book's pages, as
/// `file:line: what is wrong; what to do`.
fn check(root: &Path, pages: &[Page]) -> Vec<String> {
    let anchors_of: HashMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|p| (p.src.as_str(), anchors(&p.text)))
        .collect();
    let mut problems = Vec::new();
    for p in pages {
        let mut broken = Vec::new();
        let mut callback = |b: BrokenLink| {
            let r = b.reference.to_string();
            // `[`Name`]` is a rustdoc intra-doc link: it renders as brackets outside rustdoc.
            let code_like = r.starts_with('`') && r.ends_with('`');
            if b.link_type != LinkType::Shortcut || code_like {
                broken.push((b.span.start, r));
            }
            None
        };
        let parser = Parser::new_with_broken_link_callback(&p.text, options(), Some(&mut callback));
        let evs: Vec<(Event, std::ops::Range<usize>)> = parser.into_offset_iter().collect();
        for (e, range) in &evs {
            let line = line_of(&p.text, range.start);
            match e {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    let url = dest_url.as_ref();
                    if is_external(url) {
                        continue;
                    }
                    let Some((target, anchor)) = resolve(&p.src, url) else {
                        problems.push(format!(
                            "{}:{line}: link `{url}` leaves the repository; link inside it or use a full URL",
                            p.src
                        ));
                        continue;
                    };
                    let key = target.to_string_lossy().replace('\\', "/");
                    if !anchors_of.contains_key(key.as_str()) && !root.join(&target).exists() {
                        problems.push(format!(
                            "{}:{line}: link `{url}`: {} does not exist; fix the path (relative to {})",
                            p.src,
                            target.display(),
                            Path::new(&p.src).parent().map_or(".".into(), |d| d.display().to_string())
                        ));
                        continue;
                    }
                    if let Some(a) = anchor {
                        let defined = match anchors_of.get(key.as_str()) {
                            Some(set) => set.clone(),
                            None if key.ends_with(".md") => {
                                anchors(&read(&root.join(&target)).unwrap_or_default())
                            }
                            None => continue,
                        };
                        if !defined.contains(&a) {
                            problems.push(format!(
                                "{}:{line}: link `{url}`: {key} has no heading with anchor `#{a}`; anchors there: {}",
                                p.src,
                                defined.iter().cloned().collect::<Vec<_>>().join(", ")
                            ));
                        }
                    }
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.is_empty() => {
                    problems.push(format!(
                        "{}:{line}: code block without a language; name it (```rust, ```js, ```sh, ...) \
                         or mark an illustration that no test runs as ```text",
                        p.src
                    ));
                }
                _ => {}
            }
        }
        for (at, r) in broken {
            problems.push(format!(
                "{}:{}: `[{r}]` is not a link outside rustdoc; give it a target, e.g. [{r}](path), or drop the brackets",
                p.src,
                line_of(&p.text, at)
            ));
        }
    }
    problems
}

/// A link of page `src` as the book must write it (external links unchanged).
fn book_url<'a>(src: &str, url: CowStr<'a>) -> CowStr<'a> {
    if is_external(&url) {
        return url;
    }
    match resolve(src, &url) {
        Some((target, anchor)) => book_href(&target, anchor.as_deref()).into(),
        None => url,
    }
}

/// The HTML of one page: links rewritten for the book, hidden `# ` lines of Rust samples
/// dropped (as rustdoc and mdBook do).
fn render_page(page: &Page) -> String {
    let mut in_rust = false;
    let evs = events(&page.text).into_iter().map(|e| match e {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref lang))) => {
            in_rust = lang.split(',').next() == Some("rust");
            e
        }
        Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
            in_rust = false;
            e
        }
        Event::Text(t) if in_rust => {
            let kept: String = t
                .split_inclusive('\n')
                .filter(|l| {
                    let l = l.trim_start();
                    !(l.starts_with("# ") || l.trim_end() == "#")
                })
                .collect();
            Event::Text(kept.into())
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: book_url(&page.src, dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: book_url(&page.src, dest_url),
            title,
            id,
        }),
        e => e,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, evs);
    html
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const CSS: &str = "\
*{box-sizing:border-box}
body{margin:0;display:flex;font:16px/1.55 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328}
nav{width:230px;flex:none;min-height:100vh;padding:16px;background:#f6f8fa;border-right:1px solid #d0d7de;position:sticky;top:0;align-self:flex-start}
nav a{display:block;padding:3px 8px;border-radius:6px;color:#1f2328;text-decoration:none;font-size:14px}
nav a:hover{background:#eaeef2}
nav a.current{background:#ddf4ff;font-weight:600}
nav .brand{font-weight:700;font-size:18px;margin-bottom:8px}
main{max-width:940px;padding:24px 40px;min-width:0}
a{color:#0969da}
pre{background:#f6f8fa;padding:12px 14px;border-radius:6px;overflow:auto;font-size:13.5px;line-height:1.45}
code{font:13.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
:not(pre)>code{background:#eff1f3;padding:.1em .35em;border-radius:4px}
table{border-collapse:collapse;margin:12px 0;display:block;overflow:auto}
th,td{border:1px solid #d0d7de;padding:5px 10px}
tr:nth-child(2n) td{background:#f6f8fa}
img{max-width:100%}
h1,h2{border-bottom:1px solid #d8dee4;padding-bottom:.3em}
h1 a.anchor,h2 a.anchor,h3 a.anchor{visibility:hidden}
";

fn html_page(page: &Page, nav: &str, content: &str) -> String {
    let nav = nav.replace(
        &format!("<a href=\"{}\">", page.html),
        &format!("<a class=\"current\" href=\"{}\">", page.html),
    );
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} - jwt-core</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n\
         <body>\n<nav>\n<a class=\"brand\" href=\"index.html\">jwt-core</a>\n{nav}</nav>\n\
         <main>\n{content}</main>\n</body>\n</html>\n",
        esc(&page.title)
    )
}

/// Regenerate the charts, then write the book to `target/book/`. Returns the pages.
fn build_book(ctx: &Ctx) -> Result<Vec<Page>> {
    charts(ctx)?;
    let pages = pages(&ctx.root)?;
    let out = ctx.root.join("target/book");
    let img = out.join("img");
    std::fs::create_dir_all(&img).map_err(|e| format!("{}: {e}", img.display()))?;
    let mut nav = String::new();
    for p in &pages {
        let _ = writeln!(nav, "<a href=\"{}\">{}</a>", p.html, esc(&p.title));
    }
    for p in &pages {
        write(&out.join(&p.html), &html_page(p, &nav, &render_page(p)))?;
    }
    write(&out.join("style.css"), CSS)?;
    if let Ok(dir) = std::fs::read_dir(ctx.root.join("docs/img")) {
        for e in dir.filter_map(|e| e.ok()) {
            std::fs::copy(e.path(), img.join(e.file_name()))
                .map_err(|err| format!("{}: {err}", e.path().display()))?;
        }
    }
    eprintln!(
        "    wrote {} pages to {}",
        pages.len(),
        out.join("index.html").display()
    );
    Ok(pages)
}

/// `cargo xtask docs`: charts, book, link check.
pub fn build(ctx: &Ctx) -> Result {
    util::step("docs: charts and book (target/book/)");
    let pages = build_book(ctx)?;
    links(ctx, &pages)
}

fn links(ctx: &Ctx, pages: &[Page]) -> Result {
    util::step("docs: links, anchors and code fences");
    let problems = check(&ctx.root, pages);
    if problems.is_empty() {
        eprintln!(
            "    ok: every relative link and anchor of {} pages resolves",
            pages.len()
        );
        Ok(())
    } else {
        for p in &problems {
            eprintln!("    {p}");
        }
        Err(format!(
            "{} documentation problem(s), listed above",
            problems.len()
        ))
    }
}

/// The book, the link check and the Rust samples of the docs pages.
pub fn test(ctx: &Ctx) -> Result {
    build(ctx)?;
    rust_samples(ctx)
}

/// `rustdoc --test` on every docs page with ```rust samples that the core does not
/// already include as doctests, against a freshly built `jwt-core`.
fn rust_samples(ctx: &Ctx) -> Result {
    let lib = read(&ctx.root.join("crates/jwt-core/src/lib.rs"))?;
    let mut docs: Vec<PathBuf> = std::fs::read_dir(ctx.root.join("docs"))
        .map_err(|e| format!("docs/: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| {
            let name = p
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            !lib.contains(&format!("docs/{name}\")"))
                && std::fs::read_to_string(p).is_ok_and(|t| t.contains("```rust"))
        })
        .collect();
    docs.sort();
    if docs.is_empty() {
        return Ok(());
    }
    util::step("docs: Rust samples (rustdoc --test) against jwt-core");
    let out = util::output(
        Command::new(util::cargo_bin())
            .args(["build", "-p", "jwt-core", "--lib", "--message-format=json"])
            .current_dir(&ctx.root)
            .env("CARGO_TARGET_DIR", &ctx.target),
    )?;
    let rlib = out
        .lines()
        .filter(|l| {
            l.contains("\"reason\":\"compiler-artifact\"") && l.contains("\"name\":\"jwt_core\"")
        })
        .find_map(|l| {
            let at = l.find("\"filenames\":[\"")? + "\"filenames\":[\"".len();
            let files = &l[at..];
            files[..files.find(']')?]
                .split("\",\"")
                .map(|f| f.trim_matches('"'))
                .find(|f| f.ends_with(".rlib"))
                .map(PathBuf::from)
        })
        .ok_or("cargo build -p jwt-core did not report a jwt_core rlib")?;
    let deps = rlib.parent().ok_or("rlib has no folder")?.join("deps");
    for doc in docs {
        let mut cmd = Command::new("rustdoc");
        cmd.arg("--test")
            .arg(&doc)
            .args(["--edition", "2024", "--crate-name"])
            .arg(format!(
                "docs_{}",
                doc.file_stem()
                    .map_or("page".into(), |s| s.to_string_lossy().replace('-', "_"))
            ))
            .arg("--extern")
            .arg(format!("jwt_core={}", rlib.display()))
            .arg("-L")
            .arg(format!("dependency={}", deps.display()))
            .current_dir(&ctx.root);
        util::run(&mut cmd)
            .map_err(|e| format!("a ```rust sample of {} failed: {e}", doc.display()))?;
    }
    Ok(())
}

/// Regenerate the benchmark charts from `docs/performance.md`; `cargo xtask bench` calls
/// this after every run.
pub fn charts(ctx: &Ctx) -> Result {
    util::step("docs: benchmark charts from docs/performance.md");
    let written = charts::refresh(&ctx.root.join("docs/performance.md"))?;
    eprintln!("    docs/img/{{{}}}", written.join(","));
    Ok(())
}

/// Nothing to measure: `main` refreshes the charts after every bench (see [`charts`]).
pub fn bench(_ctx: &Ctx) -> Result {
    Ok(())
}

pub fn dist(_ctx: &Ctx) -> Result {
    Ok(())
}

pub fn codegen(_ctx: &Ctx, _check: bool) -> Result {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        let mut seen = HashMap::new();
        assert_eq!(
            slug("Migrating from the jsonwebtoken crate", &mut seen),
            "migrating-from-the-jsonwebtoken-crate"
        );
        assert_eq!(
            slug("Node.js: @jwt-core/node", &mut seen),
            "nodejs-jwt-corenode"
        );
        assert_eq!(slug("Errors", &mut seen), "errors");
        assert_eq!(slug("Errors", &mut seen), "errors-1");
        let a = anchors("# A `b` c\n\n## For the bindings\n");
        assert!(
            a.contains("a-b-c") && a.contains("for-the-bindings"),
            "{a:?}"
        );
    }

    #[test]
    fn links_are_rewritten_for_the_book() {
        let r = |src: &str, url: &str| {
            let (t, a) = resolve(src, url).unwrap();
            book_href(&t, a.as_deref())
        };
        assert_eq!(r("README.md", "docs/rust.md"), "rust.html");
        assert_eq!(r("docs/node.md", "jwe.md#api"), "jwe.html#api");
        assert_eq!(r("docs/security.md", "img/token.svg"), "img/token.svg");
        assert_eq!(r("docs/rust.md", "#keys"), "rust.html#keys");
        assert_eq!(r("docs/security.md", "../README.md"), "index.html");
        assert_eq!(
            r("docs/security.md", "../services/jwt-service"),
            "../../services/jwt-service"
        );
        assert!(resolve("docs/a.md", "../../x").is_none());
    }

    fn page(src: &str, text: &str) -> Page {
        Page {
            src: src.into(),
            html: "x.html".into(),
            title: "x".into(),
            text: text.into(),
        }
    }

    #[test]
    fn the_checker_finds_broken_links() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let pages = [page(
            "docs/a.md",
            "# A\n\n[ok](../README.md) [ok](#a) [gone](nope.md)\n\n[bad](#b)\n\n```\nx\n```\n\n[`Name`]\n\n[0, n-1]\n",
        )];
        let p = check(root, &pages);
        assert_eq!(p.len(), 4, "{p:#?}");
        assert!(p[0].starts_with("docs/a.md:3: link `nope.md`"), "{}", p[0]);
        assert!(p[1].starts_with("docs/a.md:5: link `#b`"), "{}", p[1]);
        assert!(
            p[2].starts_with("docs/a.md:7: code block without a language"),
            "{}",
            p[2]
        );
        assert!(p[3].starts_with("docs/a.md:11: `[`Name`]`"), "{}", p[3]);
    }

    #[test]
    fn hidden_rust_lines_are_not_rendered() {
        let html = render_page(&page(
            "docs/a.md",
            "```rust\n# let x = 1;\nlet y = 2;\n```\n",
        ));
        assert!(html.contains("let y") && !html.contains("let x"), "{html}");
    }
}
