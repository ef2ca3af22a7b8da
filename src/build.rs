//! The pipeline in one place: `site.toml` → content → tree → Markdown → render →
//! output. [`load`] stops before rendering (for `serve` and `check`); [`build`] runs
//! it all and swaps the result in.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::tree::{self, Site, TreeOptions};
use crate::content::{self, Document};
use crate::diagnostic::{self, Diagnostic, Failure};
use crate::markdown::{self, RenderOptions, Rendered};
use crate::output;
use crate::render::{self, Renderer, Sink};
use crate::theme::{self, Theme};

/// What `follicle build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` from site.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A site read, placed and rendered to HTML fragments, ready for templates.
pub struct LoadedSite {
    pub config: Config,
    pub site: Site,
    pub theme: Theme,
    /// FAQ answers as HTML, per page.
    pub faq_html: Vec<Vec<String>>,
    /// Warnings found while loading (errors make [`load`] fail).
    pub warnings: Vec<Diagnostic>,
}

/// What a successful build made.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
    pub seconds: f64,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
}

/// Read `site.toml`, applying command-line overrides.
pub fn load_config(opts: &BuildOptions) -> Result<Config, Failure> {
    let mut config = Config::load(&opts.root).map_err(Failure::usage)?;
    if let Some(url) = &opts.base_url {
        config.base_url = crate::config::normalise_base_url(url).map_err(|m| {
            Failure::usage(
                Diagnostic::error("--base-url", m)
                    .hint("pass a full address such as https://clinic.example/"),
            )
        })?;
    }
    Ok(config)
}

/// Everything up to rendering templates.
pub fn load(opts: &BuildOptions, config: Config) -> Result<LoadedSite, Failure> {
    let theme_result = theme::load(&opts.root, &config.theme);
    let loaded = content::load(&opts.root, &config);
    let mut diags = loaded.diagnostics.clone();
    let loaded = content::Loaded {
        diagnostics: Vec::new(),
        ..loaded
    };
    let (mut site, tree_diags) = tree::build(
        loaded,
        &config,
        TreeOptions {
            drafts: opts.drafts,
        },
    );
    diags.extend(tree_diags);
    let faq_html = render_markdown(&mut site, &config, &mut diags);
    diags.extend(check_anchors(&site));
    let theme = match theme_result {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    diagnostic::sort(&mut diags);
    match theme {
        Some(theme) if !diags.iter().any(Diagnostic::is_error) => Ok(LoadedSite {
            config,
            site,
            theme,
            faq_html,
            warnings: diags,
        }),
        _ => Err(Failure::Content(diags)),
    }
}

fn options_for(config: &Config, doc: &Document) -> RenderOptions {
    RenderOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        anchor_links: doc
            .meta
            .anchor_links
            .unwrap_or(config.markdown.anchor_links),
        external_links_new_tab: config.markdown.external_links_new_tab,
    }
}

fn render_doc(doc: &Document, site: &Site, config: &Config) -> Rendered {
    let mut r = markdown::render(
        markdown::Source {
            file: &doc.file,
            dir: &doc.link_dir,
            body: &doc.body,
            body_line: doc.body_line,
        },
        site,
        options_for(config, doc),
    );
    if let Some(s) = &doc.meta.summary {
        r.summary = Some(format!("<p>{}</p>\n", markdown::escape_attr(s)));
    }
    r
}

/// Markdown stage: every page and section body, and FAQ answers, in parallel.
fn render_markdown(
    site: &mut Site,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<String>> {
    let page_results: Vec<(Rendered, Vec<String>, Vec<Diagnostic>)> = site
        .pages
        .par_iter()
        .map(|p| {
            let r = render_doc(&p.doc, site, config);
            let (faq, faq_diags) = render_faq(&p.doc, site, config);
            (r, faq, faq_diags)
        })
        .collect();
    let section_results: Vec<Rendered> = site
        .sections
        .par_iter()
        .map(|s| render_doc(&s.doc, site, config))
        .collect();
    let mut faq_html = Vec::with_capacity(page_results.len());
    for (p, (mut r, faq, faq_diags)) in site.pages.iter_mut().zip(page_results) {
        diags.append(&mut r.diagnostics);
        diags.extend(faq_diags);
        p.rendered = r;
        faq_html.push(faq);
    }
    for (s, mut r) in site.sections.iter_mut().zip(section_results) {
        diags.append(&mut r.diagnostics);
        s.rendered = r;
    }
    faq_html
}

/// FAQ answers are Markdown; their links resolve like the body's.
fn render_faq(doc: &Document, site: &Site, config: &Config) -> (Vec<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let html = doc
        .meta
        .faq
        .iter()
        .map(|f| {
            let (line, _) = content::frontmatter::locate_key(&doc.front, "answer", doc.front_line);
            let mut r = markdown::render(
                markdown::Source {
                    file: &doc.file,
                    dir: &doc.link_dir,
                    body: &f.answer,
                    body_line: line,
                },
                site,
                RenderOptions {
                    anchor_links: false,
                    ..options_for(config, doc)
                },
            );
            diags.append(&mut r.diagnostics);
            r.html
        })
        .collect();
    (html, diags)
}

/// `@/page.md#anchor` links must name a heading that exists on the target.
fn check_anchors(site: &Site) -> Vec<Diagnostic> {
    // A URL claimed twice is already an error; its anchors are not checked.
    let mut ids: std::collections::HashMap<&str, Option<&[String]>> =
        std::collections::HashMap::new();
    let all = site
        .pages
        .iter()
        .map(|p| (p.url.as_str(), p.rendered.heading_ids.as_slice()))
        .chain(
            site.sections
                .iter()
                .map(|s| (s.url.as_str(), s.rendered.heading_ids.as_slice())),
        );
    for (url, list) in all {
        ids.entry(url)
            .and_modify(|v| *v = None)
            .or_insert(Some(list));
    }
    let mut diags = Vec::new();
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.doc, &p.rendered))
        .chain(site.sections.iter().map(|s| (&s.doc, &s.rendered)));
    for (doc, rendered) in docs {
        if !doc.body.contains("@/") && !doc.body.contains(".md#") {
            continue;
        }
        for link in &rendered.links {
            let Some((url, anchor)) = link.href.split_once('#') else {
                continue;
            };
            if url.is_empty() || !url.starts_with('/') {
                continue;
            }
            if let Some(Some(known)) = ids.get(url) {
                if !known.iter().any(|k| k == anchor) {
                    let mut d = Diagnostic::error(&doc.file, format!("the link to `{}` names `#{anchor}`, which is not a heading on that page", url))
                        .at(link.line, link.column);
                    d = match diagnostic::did_you_mean(anchor, known.iter().map(String::as_str)) {
                        Some(best) => d.hint(format!("did you mean `#{best}`?")),
                        None => d.hint("anchors are the heading text in lowercase with dashes, e.g. `#days-1-to-4`"),
                    };
                    diags.push(d);
                }
            }
        }
    }
    diags
}

/// `follicle build`: load, render into staging, swap in.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let config = load_config(opts)?;
    let out_dir = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(&config.output_dir));
    let target = output::check(&opts.root, &out_dir).map_err(Failure::usage)?;
    let loaded = load(opts, config)?;
    let staging = target.stage().map_err(|e| {
        Failure::Internal(format!(
            "cannot create a staging folder beside {}: {e}",
            target.dir.display()
        ))
    })?;
    let outcome = render_all(&loaded, &staging);
    if !outcome.internal.is_empty() {
        staging.abandon();
        return Err(Failure::Internal(outcome.internal.join("\n")));
    }
    if !outcome.diagnostics.is_empty() {
        staging.abandon();
        let mut d = outcome.diagnostics;
        d.extend(loaded.warnings);
        diagnostic::sort(&mut d);
        return Err(Failure::Content(d));
    }
    staging.commit().map_err(|e| {
        Failure::Internal(format!(
            "cannot move the new site into {}: {e}",
            target.dir.display()
        ))
    })?;
    Ok(BuildReport {
        pages: outcome.pages,
        sections: outcome.sections,
        files: outcome.files,
        seconds: start.elapsed().as_secs_f64(),
        output: target.dir,
        warnings: loaded.warnings,
    })
}

/// Render every output of a loaded site through `sink`.
pub fn render_all(loaded: &LoadedSite, sink: &dyn Sink) -> render::Outcome {
    let renderer = Renderer::new(
        &loaded.config,
        &loaded.site,
        &loaded.theme,
        &loaded.faq_html,
    );
    let jobs = render::plan(&loaded.site, &loaded.config, &loaded.theme);
    renderer.run(&jobs, sink)
}

/// The site root given on the command line, or the current folder.
pub fn root_or_cwd(root: Option<&Path>) -> PathBuf {
    root.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
