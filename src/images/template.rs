//! Zola's image functions for templates: `resize_image(path, width, height,
//! op, format, quality)` and `image_meta(path)`.
//!
//! Takes: a path as Zola resolves it (`@/care/kit/photo.jpg`, a name beside
//! the page in its bundle, or one under `content/`, `static/` or a theme's
//! `static/`). Gives: the copy's `url`, `static_path` and size, computed from
//! the header alone (the same limits as Markdown photos: a bomb is refused
//! unread). The copy itself is only *requested* here; the render stage makes
//! every requested copy after the pages ([`Ctx::take_requests`]), through the
//! same cache and output as Markdown photos, with no metadata.
//!
//! The functions read their site from a [`Slot`] the render stage fills, and
//! note every source a job used ([`take_used`]) so `serve` re-renders the
//! pages whose images changed.

use super::cache::{key, Cache};
use super::publish::Copy;
use super::{decode, kind_of, Entry, Format, Info, Kind, Problem};
use crate::config::ImageOptions;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// Where copies made by `resize_image` are published (as in Zola).
pub const DIR: &str = "processed_images";

/// The site the functions work for, set by the render stage for the time of
/// a render (empty: the functions say they cannot be used here).
#[derive(Debug, Default)]
pub struct Slot(RwLock<Option<Arc<Ctx>>>);

impl Slot {
    pub fn set(&self, ctx: Option<Arc<Ctx>>) {
        if let Ok(mut s) = self.0.write() {
            *s = ctx;
        }
    }

    fn get(&self) -> Option<Arc<Ctx>> {
        self.0.read().ok().and_then(|s| s.clone())
    }
}

/// One copy asked for by a template.
#[derive(Debug, Clone)]
pub struct Request {
    pub entry: Entry,
    pub info: Info,
    pub copy: Copy,
    pub quality: u8,
}

/// What the functions need of the site.
#[derive(Debug)]
pub struct Ctx {
    /// The site's `content/` and `static/` folders.
    pub content: PathBuf,
    pub statics: PathBuf,
    /// The theme chain's static files on disk, by name.
    pub theme_statics: BTreeMap<String, PathBuf>,
    pub root: PathBuf,
    pub opts: ImageOptions,
    /// The base URL's path (`/my-clinic`), in front of every URL.
    pub prefix: String,
    pub cache: Arc<Cache>,
    requests: Mutex<BTreeMap<String, Request>>,
    probes: Mutex<HashMap<PathBuf, Result<Info, Problem>>>,
}

thread_local! {
    /// Sources read by the functions on this thread since [`take_used`].
    static USED: RefCell<BTreeSet<PathBuf>> = const { RefCell::new(BTreeSet::new()) };
}

/// The image files the functions read on this thread since the last call
/// (one job renders on one thread).
pub fn take_used() -> BTreeSet<PathBuf> {
    USED.with(|u| std::mem::take(&mut *u.borrow_mut()))
}

/// An image a function was pointed at: the file and what its header says.
struct Found {
    source: PathBuf,
    /// For messages and the copy's name: `content/care/kit/photo.jpg`.
    file: String,
    info: Info,
}

impl Ctx {
    /// `content` is the site's `content/` folder (named by the caller: the
    /// images layer sits below `content`).
    pub fn new(
        root: &Path,
        content: PathBuf,
        opts: ImageOptions,
        prefix: &str,
        cache: Arc<Cache>,
        theme_statics: BTreeMap<String, PathBuf>,
    ) -> Ctx {
        Ctx {
            content,
            statics: root.join(crate::config::SITE_STATIC_DIR),
            theme_statics,
            root: root.to_path_buf(),
            opts,
            prefix: prefix.to_string(),
            cache,
            requests: Mutex::default(),
            probes: Mutex::default(),
        }
    }

    /// Every copy requested since the last call, once each, by output path.
    pub fn take_requests(&self) -> Vec<Request> {
        self.requests
            .lock()
            .map(|mut r| std::mem::take(&mut *r).into_values().collect())
            .unwrap_or_default()
    }

    /// The file `path` names, tried as Zola does: `@/…` in `content/`; else
    /// beside the page (`page_dir`), then under `content/`, `static/` and the
    /// themes' `static/`.
    fn resolve(&self, path: &str, page_dir: Option<&Path>) -> Result<PathBuf, Problem> {
        let rel = path
            .strip_prefix("@/")
            .unwrap_or(path)
            .trim_start_matches('/');
        let safe = !rel.is_empty()
            && Path::new(rel)
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !safe {
            return Err(Problem::new(
                format!("`{path}` is not a path inside the site"),
                "give the image's path under content/ or static/, such as \"care/kit/photo.jpg\" or \"@/care/kit/photo.jpg\"",
            ));
        }
        let mut tries: Vec<PathBuf> = Vec::new();
        if !path.starts_with("@/") && !path.starts_with('/') {
            tries.extend(page_dir.map(|d| d.join(rel)));
        }
        tries.push(self.content.join(rel));
        if !path.starts_with("@/") {
            tries.push(self.statics.join(rel));
            tries.extend(self.theme_statics.get(rel).cloned());
        }
        tries.into_iter().find(|p| p.is_file()).ok_or_else(|| {
            Problem::new(
                format!("there is no image `{path}`"),
                "check the spelling; the path is looked up beside the page, then under content/, static/ and the theme's static/ (`@/` means content/)",
            )
        })
    }

    /// Resolve `path` and read its header (once per file per render).
    fn find(&self, path: &str, page_dir: Option<&Path>) -> Result<Found, Problem> {
        let source = self.resolve(path, page_dir)?;
        let file = source
            .strip_prefix(&self.root)
            .unwrap_or(&source)
            .to_string_lossy()
            .replace('\\', "/");
        USED.with(|u| u.borrow_mut().insert(source.clone()));
        match kind_of(&file) {
            Some(Kind::Image(_)) => {}
            Some(Kind::Unsupported(name)) => {
                return Err(Problem::new(
                    format!("`{file}` is a {name} file, which browsers do not show"),
                    "export it as JPEG or PNG and use that file",
                ))
            }
            None => {
                return Err(Problem::new(
                    format!("`{file}` is not an image (JPEG, PNG, WebP, GIF or SVG)"),
                    "point the function at an image file",
                ))
            }
        }
        let cached = self
            .probes
            .lock()
            .ok()
            .and_then(|p| p.get(&source).cloned());
        let info = match cached {
            Some(r) => r,
            None => {
                let r = probe(&source, &file);
                if let Ok(mut p) = self.probes.lock() {
                    p.insert(source.clone(), r.clone());
                }
                r
            }
        };
        let info = info.map_err(|p| Problem::new(format!("`{file}`: {}", p.what), p.hint))?;
        Ok(Found { source, file, info })
    }
}

/// The header of `source`; an SVG's size from its `width`/`height` or `viewBox`.
pub fn probe(source: &Path, file: &str) -> Result<Info, Problem> {
    if kind_of(file) != Some(Kind::Image(Format::Svg)) {
        return decode::probe(source);
    }
    let text = std::fs::read_to_string(source).map_err(|e| {
        Problem::new(
            format!("cannot read the image: {e}"),
            "check the file's permissions",
        )
    })?;
    let (width, height) = svg_size(&text).unwrap_or((0, 0));
    Ok(Info {
        width,
        height,
        format: Format::Svg,
        orientation: 1,
    })
}

/// The size an SVG's root element declares (`width`/`height` in pixels, else
/// its `viewBox`).
fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[at..at + tag[at..].find('"')?])
    };
    let px = |v: &str| v.trim_end_matches("px").trim().parse::<f64>().ok();
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let vb: Vec<f64> = attr("viewBox")?
        .split([' ', ','])
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    (vb.len() == 4).then(|| (vb[2].round() as u32, vb[3].round() as u32))
}

/// A resize as Zola names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Scale,
    FitWidth,
    FitHeight,
    Fit,
    Fill,
}

const OPS: &str = "scale, fit_width, fit_height, fit or fill";

impl Op {
    pub fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "scale" => Op::Scale,
            "fit_width" => Op::FitWidth,
            "fit_height" => Op::FitHeight,
            "fit" => Op::Fit,
            "fill" => Op::Fill,
            _ => return None,
        })
    }

    /// The copy's size and whether it is cropped, for an image `w0` × `h0`.
    pub fn target(
        self,
        (w0, h0): (u32, u32),
        width: Option<u32>,
        height: Option<u32>,
    ) -> Result<(u32, u32, bool), String> {
        let need = |v: Option<u32>, name: &str| {
            v.filter(|&v| v > 0)
                .ok_or_else(|| format!("`{}` needs a `{name}` above 0", self.name()))
        };
        let scaled = |num: u32, of: u32, by: u32| {
            ((u64::from(num) * u64::from(by) / u64::from(of.max(1))) as u32).max(1)
        };
        Ok(match self {
            Op::Scale => (need(width, "width")?, need(height, "height")?, false),
            Op::FitWidth => {
                let w = need(width, "width")?;
                (w, scaled(h0, w0, w), false)
            }
            Op::FitHeight => {
                let h = need(height, "height")?;
                (scaled(w0, h0, h), h, false)
            }
            Op::Fit => {
                let (w, h) = (need(width, "width")?, need(height, "height")?);
                if w0 <= w && h0 <= h {
                    (w0, h0, false)
                } else if u64::from(w0) * u64::from(h) > u64::from(h0) * u64::from(w) {
                    (w, scaled(h0, w0, w), false)
                } else {
                    (scaled(w0, h0, h), h, false)
                }
            }
            Op::Fill => (need(width, "width")?, need(height, "height")?, true),
        })
    }

    fn name(self) -> &'static str {
        match self {
            Op::Scale => "scale",
            Op::FitWidth => "fit_width",
            Op::FitHeight => "fit_height",
            Op::Fit => "fit",
            Op::Fill => "fill",
        }
    }
}

/// The format of a copy: `auto` keeps a JPEG, PNG or WebP source's format.
fn out_format(name: &str, source: Format) -> Option<Format> {
    Some(match name {
        "auto" => source,
        "jpg" | "jpeg" => Format::Jpeg,
        "png" => Format::Png,
        "webp" => Format::Webp,
        "avif" => Format::Avif,
        _ => return None,
    })
}

/// The directory of the page being rendered, for bundle files.
fn page_dir(ctx: &Ctx, state: &tera::State) -> Option<PathBuf> {
    let page: tera::Value = state.get("page").ok().flatten()?;
    let file = page.get_from_path("source_file")?.as_str()?.to_string();
    Some(ctx.root.join(file).parent()?.to_path_buf())
}

/// Between an error's message and its fix in the text Tera carries (split
/// again by [`crate::theme::template_error`]).
pub const FIX: &str = "\u{1f}fix: ";

fn error(what: impl std::fmt::Display, hint: &str) -> tera::Error {
    tera::Error::message(format!("{what}{FIX}{hint}"))
}

fn site(slot: &Slot, name: &str) -> tera::TeraResult<Arc<Ctx>> {
    slot.get().ok_or_else(|| {
        error(
            format!("`{name}` works in page, section and shortcode templates only"),
            "call it from a template the site renders",
        )
    })
}

/// The arguments of `resize_image`, read and checked.
struct Args {
    path: String,
    op: Op,
    width: Option<u32>,
    height: Option<u32>,
    format: String,
    quality: Option<u8>,
}

fn args(kwargs: &tera::Kwargs) -> tera::TeraResult<Args> {
    let size = |name: &str| -> tera::TeraResult<Option<u32>> {
        match kwargs.get::<i64>(name)? {
            None => Ok(None),
            Some(v) if (1..=i64::from(decode::MAX_SIDE)).contains(&v) => Ok(Some(v as u32)),
            Some(v) => Err(error(
                format!("`{name}={v}` is not a size this function makes"),
                &format!("give a number of pixels from 1 to {}", decode::MAX_SIDE),
            )),
        }
    };
    let op_name = kwargs.get::<&str>("op")?.unwrap_or("fill").to_string();
    let op = Op::parse(&op_name).ok_or_else(|| {
        error(
            format!("`op=\"{op_name}\"` is not a resize this function knows"),
            &format!("use one of {OPS}"),
        )
    })?;
    let quality = match kwargs.get::<i64>("quality")? {
        None => None,
        Some(q) if (1..=100).contains(&q) => Some(q as u8),
        Some(q) => {
            return Err(error(
                format!("`quality={q}` is out of range"),
                "give a quality from 1 to 100",
            ))
        }
    };
    Ok(Args {
        path: kwargs.must_get::<&str>("path")?.to_string(),
        op,
        width: size("width")?,
        height: size("height")?,
        format: kwargs.get::<&str>("format")?.unwrap_or("auto").to_string(),
        quality,
    })
}

/// `resize_image(path, width, height, op="fill", format="auto", quality)`.
pub fn resize_image(
    slot: &Slot,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let ctx = site(slot, "resize_image")?;
    let a = args(&kwargs)?;
    let found = ctx
        .find(&a.path, page_dir(&ctx, state).as_deref())
        .map_err(|p| error(p.what, &p.hint))?;
    let info = found.info;
    if !info.format.is_processed() {
        return Err(error(
            format!(
                "`{}` is a {:?} file, which is published as it is and cannot be resized",
                found.file, info.format
            ),
            "use image_meta for its size, or export a JPEG or PNG to resize",
        ));
    }
    let format = out_format(&a.format, info.format).ok_or_else(|| {
        error(
            format!(
                "`format=\"{}\"` is not a format this function writes",
                a.format
            ),
            "use auto, jpg, png, webp or avif",
        )
    })?;
    let (width, height, crop) = a
        .op
        .target((info.width, info.height), a.width, a.height)
        .map_err(|m| error(m, "add the missing size, as in resize_image(path=…, width=800, height=600, op=\"fill\")"))?;
    let quality = a.quality.unwrap_or(ctx.opts.quality);
    let output = copy_path(&ctx, &found, (width, height, crop), format, quality)?;
    let request = Request {
        entry: Entry {
            source: found.source,
            file: found.file,
            output: String::new(),
            info: Ok(info),
        },
        info,
        copy: Copy {
            path: output.clone(),
            width,
            height,
            format,
            crop,
        },
        quality,
    };
    if let Ok(mut r) = ctx.requests.lock() {
        r.entry(output.clone()).or_insert(request);
    }
    let mut m = tera::Map::new();
    let url = format!("{}/{output}", ctx.prefix);
    m.insert("url".into(), url.into());
    m.insert("static_path".into(), output.into());
    for (k, v) in [
        ("width", width),
        ("height", height),
        ("orig_width", info.width),
        ("orig_height", info.height),
    ] {
        m.insert(k.into(), i64::from(v).into());
    }
    Ok(tera::Value::from(m))
}

/// `processed_images/photo.<16 hex>.webp`: named by the source's content
/// and the settings, so a changed photo gets a new URL.
fn copy_path(
    ctx: &Ctx,
    found: &Found,
    (w, h, crop): (u32, u32, bool),
    format: Format,
    quality: u8,
) -> tera::TeraResult<String> {
    let (hash, _) = ctx.cache.source_hash(&found.source).map_err(|e| {
        error(
            format!("cannot read `{}`: {e}", found.file),
            "check the file's permissions",
        )
    })?;
    let settings = format!(
        "{w}x{h}{crop}q{quality}s{}{}",
        ctx.opts.avif_speed,
        format.ext()
    );
    let k = key(&[&hash, &settings]);
    let stem = Path::new(&found.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok(format!("{DIR}/{stem}.{}.{}", &k[..16], format.ext()))
}

/// `image_meta(path)`: `{width, height, format}` from the header (upright).
pub fn image_meta(
    slot: &Slot,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let ctx = site(slot, "image_meta")?;
    let path = kwargs.must_get::<&str>("path")?;
    let found = ctx
        .find(path, page_dir(&ctx, state).as_deref())
        .map_err(|p| error(p.what, &p.hint))?;
    let mut m = tera::Map::new();
    m.insert("width".into(), i64::from(found.info.width).into());
    m.insert("height".into(), i64::from(found.info.height).into());
    m.insert("format".into(), found.info.format.ext().into());
    Ok(tera::Value::from(m))
}

/// Register both functions on `tera`, reading their site from `slot`.
pub fn register(tera: &mut tera::Tera, slot: &Arc<Slot>) {
    let s = slot.clone();
    tera.register_function("resize_image", move |k: tera::Kwargs, st: &tera::State| {
        resize_image(&s, k, st)
    });
    let s = slot.clone();
    tera.register_function("image_meta", move |k: tera::Kwargs, st: &tera::State| {
        image_meta(&s, k, st)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_size_as_zola_does() {
        let t = |op: Op, w, h| op.target((4000, 3000), w, h);
        assert_eq!(t(Op::Scale, Some(100), Some(100)), Ok((100, 100, false)));
        assert_eq!(t(Op::FitWidth, Some(800), None), Ok((800, 600, false)));
        assert_eq!(t(Op::FitHeight, None, Some(300)), Ok((400, 300, false)));
        assert_eq!(t(Op::Fit, Some(800), Some(800)), Ok((800, 600, false)));
        assert_eq!(t(Op::Fit, Some(8000), Some(8000)), Ok((4000, 3000, false)));
        assert_eq!(t(Op::Fill, Some(200), Some(200)), Ok((200, 200, true)));
        assert!(t(Op::Fill, Some(200), None).is_err());
        assert_eq!(Op::parse("stretch"), None);
    }

    #[test]
    fn svg_sizes_from_attributes_or_viewbox() {
        assert_eq!(
            svg_size("<svg width=\"30px\" height=\"20\">"),
            Some((30, 20))
        );
        assert_eq!(
            svg_size("<?xml?><svg viewBox=\"0 0 640 480\" x=\"1\">"),
            Some((640, 480))
        );
        assert_eq!(svg_size("<svg>"), None);
    }
}
