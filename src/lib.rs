//! Follicle: a static site generator for clinics' patient-education sites.
//!
//! # The pipeline
//!
//! `follicle build` runs these stages in order; [`build::build`] reads like this list.
//!
//! 1. [`config`]: `site.toml` → [`config::Config`] (unknown keys are errors).
//! 2. [`output::check`]: is the output folder safe to replace? Refused before any
//!    file is touched.
//! 3. [`theme`]: theme chain (site theme → `extends` → embedded `clinic`) → compiled
//!    Tera, static files, i18n strings.
//! 4. [`content`]: walk `content/`, decode, split and validate front matter →
//!    [`content::Document`]s and assets (in parallel; every bad file reported).
//! 5. [`content::tree`]: place documents in sections, assign URLs, sort, collect
//!    taxonomies, refuse URL collisions → [`content::tree::Site`].
//! 5. (b) [`images`]: each raster's header (read while loading) and `[images]`
//!    give its [`images::Plan`]: the widths and formats it is published in,
//!    which Markdown writes as `<picture>`; the files themselves (metadata
//!    stripped, resized, AVIF/WebP) are made by [`images::publish`] when the
//!    render stage reaches the asset, from `.follicle-cache/images/`.
//! 6. [`markdown`]: each body → HTML, TOC, summary, links (in parallel; shortcodes
//!    expanded first by [`markdown::shortcodes`] through the theme's
//!    `templates/shortcodes/`, positions mapped back by [`markdown::position`]; raw
//!    HTML cleaned against an allowlist by [`markdown::raw_html`]), then
//!    `@/page.md#anchor` links are checked against the target's headings. A
//!    one-shot `build` releases each Markdown text once its HTML exists.
//! 7. [`render`]: one [`render::Job`] per output file, typed contexts
//!    ([`render::context`]), run on rayon through an [`output::Sink`];
//!    [`render::publish`] writes the static hosts' `_headers` and `_redirects`.
//!    Every link carries the base path of a sub-path `base_url`
//!    ([`config::Config::path_prefix`]); output file names never do.
//! 8. [`search`]: each language's indexed pages → a sharded search index under
//!    `search-index/<lang>/` (stemmed terms, BM25 scores), written through the
//!    same sink; the clinic theme's `/search/` page reads it in the browser.
//! 9. [`output`]: the sink is a staging folder beside the output (the output of
//!    two builds ago, reused: files whose bytes are unchanged are not rewritten,
//!    files nobody wrote are pruned); on success it is swapped in atomically.
//!
//! `build`, `check` and `serve` run the same stage functions
//! ([`build::load_with`], [`build::assemble`]), differing only in a
//! [`build::Mode`]: whether Markdown is cached between rebuilds (keyed by
//! [`build::DocKey`] and reused while the document is the same by value), whether bodies
//! are released once rendered, and whether errors stop the run.
//!
//! `follicle check` ([`check`]) loads and renders the same way into memory, then
//! checks links, accessibility, content, medical review and reading level.
//!
//! Other commands reuse the stages: [`serve`] (`follicle serve`: an in-memory
//! server with live reload; `follicle watch`) drives an [`incremental::Session`],
//! which keeps the loaded site, re-reads only changed files and re-renders only
//! the outputs whose inputs changed; [`import`] writes a Follicle site from a
//! Zola, Hugo or Jekyll folder (`follicle import`, never writing into it;
//! [`import::in_place`] does it into `.follicle-cache/peer-site/` when
//! `build` or `check` runs in such a folder, and names the peer's files back);
//! [`scaffold`] writes `follicle init` sites and
//! `follicle new` articles; [`content::translations`] measures translation
//! coverage and staleness for `check`.
//!
//! Cross-cutting: [`diagnostic`] (every user error with file:line:col and a hint,
//! a stable [`diagnostic::Code`] (documented, one per kind of problem; `check`
//! files build findings under its rules by code) and a structured
//! [`diagnostic::Context`] (the page being rendered), exit code classes), [`parse`] (TOML/YAML → typed values with positions
//! from the parser, a key → place map per block, and `parse::mistakes`: the
//! writer's common mistakes told with the exact fix),
//! [`url_policy`] (the one scheme policy every typed URL passes),
//! [`finder`] (the one classification of broken links, missing images and
//! missing alt text, used by `build` on Markdown links and `check` on HTML),
//! [`faults`] (fault injection for the reliability tests), [`memory`] (the
//! largest page read, named by the out-of-memory message), `timing`
//! (`FOLLICLE_TIMING=1` prints each stage's milliseconds, cores busy and peak
//! memory to stderr).
//!
//! # Layers
//!
//! Each module uses only modules on the lines above its own, never one on its
//! own line or below (`tests/architecture.rs` reads this list and fails on any
//! `crate::` path against it):
//!
//! ```text
//! layer: diagnostic faults timing memory
//! layer: parse url_policy
//! layer: finder
//! layer: config
//! layer: images
//! layer: markdown
//! layer: content
//! layer: theme
//! layer: output
//! layer: render
//! layer: search
//! layer: build
//! layer: incremental check
//! layer: serve scaffold import
//! ```
//!
//! # Architecture invariants
//!
//! - Only `main.rs` prints or exits (the one exception: `timing`, a developer aid
//!   that is silent unless `FOLLICLE_TIMING` is set); library code returns
//!   [`diagnostic::Failure`].
//! - Stages between loading and output are pure: they take values and return
//!   values (tree, Markdown, render, and `check::run`). The disk is touched only
//!   by loading (`config::Config::load`, `content::load`, `theme::load`), by
//!   `output`, and at the commands' edges: `scaffold` writes new files, `serve`
//!   listens and watches, `check::check` reads site.toml for placeholders and
//!   keeps the external-link cache.
//! - Raw serde structs (what a writer typed) and validated types (what the
//!   pipeline sees) are different types: `RawFrontMatter` → `Meta`.
//! - Nothing is written outside the output folder or its staging sibling; only a
//!   folder carrying [`output::MARKER`] is ever replaced; a failed build leaves the
//!   previous output byte-identical.
//! - The same input gives byte-identical output whatever the thread count: every
//!   list is sorted with a total order that ends in the URL or path.
//! - A page's output depends on: its own document, its section's ancestors (for
//!   breadcrumbs), its neighbours (previous/next titles), the URLs of what it
//!   links to, the site config and the templates. Listings depend on the
//!   `PageLink` fields of their pages. Incremental rebuilds follow these edges.
//! - No module decides by another's message text: diagnostics are classified by
//!   their code and merged by their fields (`tests/architecture.rs` fails on a
//!   diagnostic made without a code, or a code missing from the docs page).
//! - Every template context key is always present (`null` when not applicable).
//! - What a writer types is escaped where it lands (Tera autoescape, `escape_attr`,
//!   `seo::json_for_script`); the one HTML a writer controls, raw HTML inside
//!   Markdown, is cleaned by `markdown::raw_html` unless `raw_html = "trusted"`.

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod faults;
pub mod finder;
pub mod images;
pub mod import;
pub mod incremental;
pub mod markdown;
pub mod memory;
pub mod output;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod theme;
mod timing;
pub mod url_policy;
