//! The render stage's side of `resize_image` and `image_meta`: the site they
//! work for while the jobs run, and, after the jobs, every copy the
//! templates asked for, made through the same cache and output as Markdown
//! photos (see [`crate::images::template`]). And the rasters of the themes'
//! `static/` folders, published as content photos' originals are: upright,
//! without metadata.

use super::{Job, JobError, Renderer, Sink, SinkOut};
use crate::images::publish::{Copy, Failed};
use crate::images::template::{Ctx, Request};
use crate::theme::FileSource;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

impl Renderer<'_> {
    /// A JPEG, PNG, WebP or GIF in a theme's `static/` (the site's own theme
    /// or one it extends), published upright and without metadata at its own
    /// path (not resized: themes link these files by name). `None` for any
    /// other file, and for the built-in theme's (ours, made clean).
    pub(super) fn publish_static_image(
        &self,
        job: &Job,
        name: &str,
        sink: &dyn Sink,
    ) -> Option<Result<(), JobError>> {
        use crate::images::{Entry, Kind};
        let FileSource::Disk(source) = &self.theme.static_files[name] else {
            return None;
        };
        let Some(Kind::Image(format)) = crate::images::kind_of(name) else {
            return None;
        };
        if !format.is_processed() && format != crate::images::Format::Gif {
            return None;
        }
        let root = &self.site.images.root;
        let file = source
            .strip_prefix(root)
            .unwrap_or(source)
            .to_string_lossy()
            .replace('\\', "/");
        let entry = Entry {
            source: source.clone(),
            info: crate::images::decode::probe(source),
            file,
            output: name.to_string(),
        };
        if let Err(p) = &entry.info {
            return Some(Err(JobError::User(p.at_file(&entry.file))));
        }
        Some(self.publish_image(job, &entry, sink))
    }

    /// The template functions' view of the site.
    pub(super) fn image_ctx(&self) -> Arc<Ctx> {
        let theme_statics = self
            .theme
            .static_files
            .iter()
            .filter_map(|(name, src)| match src {
                FileSource::Disk(p) => Some((name.clone(), p.clone())),
                FileSource::Embedded(_) => None,
            })
            .collect();
        Arc::new(Ctx::new(
            &self.site.images.root,
            self.site.images.root.join(crate::content::CONTENT_DIR),
            self.config.images.clone(),
            self.config.path_prefix(),
            self.site.images.cache.clone(),
            theme_statics,
        ))
    }

    /// Make every copy the templates requested: each source decoded once per
    /// quality, the groups in parallel. Gives the failures.
    pub(super) fn publish_requested(&self, ctx: &Ctx, sink: &dyn Sink) -> Vec<JobError> {
        let mut groups: BTreeMap<(PathBuf, u8), Vec<Request>> = BTreeMap::new();
        for r in ctx.take_requests() {
            groups
                .entry((r.entry.source.clone(), r.quality))
                .or_default()
                .push(r);
        }
        let groups: Vec<Vec<Request>> = groups.into_values().collect();
        groups
            .par_iter()
            .filter_map(|g| self.publish_group(g, sink).err())
            .collect()
    }

    fn publish_group(&self, group: &[Request], sink: &dyn Sink) -> Result<(), JobError> {
        let first = &group[0];
        let copies: Vec<Copy> = group.iter().map(|r| r.copy.clone()).collect();
        let mut opts = self.config.images.clone();
        opts.quality = first.quality;
        let out = SinkOut(sink);
        let cache = &self.site.images.cache;
        match crate::images::publish(&first.entry, &first.info, &copies, &opts, cache, &out) {
            Ok(_) => Ok(()),
            Err(Failed::Image(p)) => Err(JobError::User(p.at_file(&first.entry.file))),
            Err(Failed::Io { path, error }) => {
                if crate::output::is_disk_full(&error) {
                    return Err(JobError::DiskFull);
                }
                Err(JobError::Internal(format!(
                    "cannot write {path} (for resize_image of {}): {error}",
                    first.entry.file
                )))
            }
        }
    }
}
