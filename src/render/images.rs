//! The render stage's side of `resize_image` and `image_meta`: the site they
//! work for while the jobs run, and, after the jobs, every copy the
//! templates asked for, made through the same cache and output as Markdown
//! photos (see [`crate::images::template`]).

use super::{JobError, Renderer, Sink, SinkOut};
use crate::images::publish::{Copy, Failed};
use crate::images::template::{Ctx, Request};
use crate::theme::FileSource;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

impl Renderer<'_> {
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
