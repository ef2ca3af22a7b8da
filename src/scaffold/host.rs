//! `follicle init --host`: the files a host needs to build and publish the new
//! site on every push: a GitHub Pages workflow, a `netlify.toml`, or a note
//! with the Cloudflare Pages settings. Netlify and Cloudflare Pages run
//! `follicle-publish.sh`, which installs Follicle on their build machine.
//!
//! Every host builds Follicle from its source with `cargo install --git`; the
//! Git address comes from `--follicle-git`. Without it the files hold a sample
//! address and a "[Clinic: …]" note, which `follicle check` reports (rule
//! `placeholder`, [`crate::check::placeholders::DEPLOY_FILES`]) until replaced.

use std::path::{Path, PathBuf};

use crate::diagnostic::Failure;

/// Where a new site will be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    GitHub,
    Netlify,
    Cloudflare,
}

/// The names `--host` takes, as the help and the error list them.
pub const HOST_NAMES: &str = "github, netlify, cloudflare or none";

/// The address written when `--follicle-git` is not given: a reserved example
/// domain, so `follicle check` reports it.
pub const SAMPLE_GIT: &str = "https://git.example/follicle.git";

/// The note beside the sample address (a "[Clinic: …]" note, also reported).
const SAMPLE_NOTE: &str = "[Clinic: replace this with the Git address of Follicle's source, \
e.g. https://github.com/OWNER/follicle.git, or run follicle init with --follicle-git]";

/// How long installing Follicle takes on a host's machine, for the comments.
const COMPILE_NOTE: &str = "Compiling Follicle takes about seven minutes";

impl Host {
    /// `github`, `netlify` or `cloudflare` (any case; `gh`, `github-pages`,
    /// `cloudflare-pages` and `cf` too); `none` or an empty answer is `None`.
    pub fn from_name(name: &str) -> Result<Option<Host>, Failure> {
        match name.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Ok(None),
            "github" | "gh" | "github-pages" => Ok(Some(Host::GitHub)),
            "netlify" => Ok(Some(Host::Netlify)),
            "cloudflare" | "cf" | "cloudflare-pages" => Ok(Some(Host::Cloudflare)),
            other => Err(super::usage(
                Path::new("--host"),
                &format!("`{other}` is not a host follicle init knows"),
                &format!(
                    "choose {HOST_NAMES}, or leave --host out for any other host \
                     (see the deploy guides in Follicle's docs)"
                ),
            )),
        }
    }

    /// What to do once, on the host, for the files written to work.
    pub fn next_step(self) -> String {
        match self {
            Host::GitHub => format!(
                "push the site to GitHub; in the repository's Settings > Pages set Source to \
                 \"GitHub Actions\" ({GITHUB_WORKFLOW} then publishes every push to main)"
            ),
            Host::Netlify => format!(
                "push the site to a Git host and import the repository in Netlify \
                 ({NETLIFY_TOML} holds the settings)"
            ),
            Host::Cloudflare => {
                format!("push the site to a Git host, then follow {CLOUDFLARE_NOTE}")
            }
        }
    }

    /// The files this host needs, relative to the site folder, with their text.
    /// The `[publish] host` value for this host's dialect of `_redirects`,
    /// if it has one of its own.
    pub fn publish_host(self) -> Option<&'static str> {
        match self {
            Host::GitHub => None,
            Host::Netlify => Some("netlify"),
            Host::Cloudflare => Some("cloudflare"),
        }
    }

    pub fn files(self, git: &str) -> Vec<(PathBuf, String)> {
        let note = if git == SAMPLE_GIT {
            format!("# {SAMPLE_NOTE}\n")
        } else {
            String::new()
        };
        match self {
            Host::GitHub => {
                let note = note.replace("# ", "  # ");
                vec![(PathBuf::from(GITHUB_WORKFLOW), github_workflow(git, &note))]
            }
            Host::Netlify => vec![
                (PathBuf::from(NETLIFY_TOML), netlify_toml()),
                (PathBuf::from(PUBLISH_SCRIPT), publish_script(git, &note)),
            ],
            Host::Cloudflare => vec![
                (PathBuf::from(CLOUDFLARE_NOTE), cloudflare_note()),
                (PathBuf::from(PUBLISH_SCRIPT), publish_script(git, &note)),
            ],
        }
    }
}

pub const GITHUB_WORKFLOW: &str = ".github/workflows/pages.yml";
pub const NETLIFY_TOML: &str = "netlify.toml";
pub const CLOUDFLARE_NOTE: &str = "CLOUDFLARE-PAGES.md";
pub const PUBLISH_SCRIPT: &str = "follicle-publish.sh";

/// The Git address cargo installs Follicle from: `--follicle-git`, checked,
/// else [`SAMPLE_GIT`]. It lands in YAML, TOML and shell text, so quotes,
/// backslashes, `$`, backticks and spaces are refused rather than escaped.
pub fn git_address(given: Option<&str>) -> Result<String, Failure> {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(SAMPLE_GIT.to_string());
    };
    let bad = |what: &str| {
        super::usage(
            Path::new("--follicle-git"),
            &format!("`{given}` {what}"),
            "give the address `git clone` takes, e.g. https://github.com/OWNER/follicle.git",
        )
    };
    if let Some(c) = given
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'\\$`".contains(*c))
    {
        return Err(bad(&format!(
            "holds `{}`, which a Git address never has",
            c.escape_default()
        )));
    }
    let url = url::Url::parse(given).map_err(|_| bad("is not a web address"))?;
    if !matches!(url.scheme(), "https" | "http" | "ssh" | "git") || url.host_str().is_none() {
        return Err(bad(
            "is not an https://, ssh:// or git:// address with a host",
        ));
    }
    Ok(given.to_string())
}

/// The GitHub Pages workflow. The address comes from GitHub Pages itself
/// (`configure-pages`), so a project site's sub-path is in every link.
fn github_workflow(git: &str, note: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    format!(
        r#"# Publishes the site with GitHub Pages on every push to the main branch.
# Written by `follicle init --host github`. Once, in the repository's
# Settings > Pages, set "Source" to "GitHub Actions".
#
# The site's address comes from GitHub Pages (a project site has a path, such as
# https://USER.github.io/my-clinic/), so every link carries that path whatever
# base_url says in site.toml. This file must be at the top of the repository:
# keep the site folder there too, or add `working-directory:` to the steps.
name: Publish the site

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  # Where cargo gets Follicle's source.
{note}  FOLLICLE_GIT: '{git}'

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      # {COMPILE_NOTE}; the cache keeps it for the
      # next runs. Change the key to install a newer Follicle.
      - id: cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/follicle
          key: follicle-{version}-${{{{ runner.os }}}}
      - name: Install Follicle
        if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --locked --git "$FOLLICLE_GIT" follicle
      - name: Check the site
        run: follicle check --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - name: Build the site
        run: follicle build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#
    )
}

/// Netlify's settings: the publish script, with the preview's own address
/// for deploy previews and branch deploys.
fn netlify_toml() -> String {
    format!(
        r#"# Netlify's settings for this site, written by `follicle init --host netlify`.
# Netlify reads this file at the top of the repository. {COMPILE_NOTE}
# on Netlify's machine (see {PUBLISH_SCRIPT}). Netlify reads the _headers and
# _redirects files the build writes into public/.

[build]
command = "sh {PUBLISH_SCRIPT}"
publish = "public"

# Previews have their own address; links must use it.
[context.deploy-preview]
command = "sh {PUBLISH_SCRIPT} \"$DEPLOY_PRIME_URL/\""

[context.branch-deploy]
command = "sh {PUBLISH_SCRIPT} \"$DEPLOY_PRIME_URL/\""
"#
    )
}

/// What to type into Cloudflare Pages (it has no settings file for builds).
fn cloudflare_note() -> String {
    format!(
        r#"# Publishing this site on Cloudflare Pages

Written by `follicle init --host cloudflare`. Cloudflare Pages has no settings
file for its builds: type these in once.

1. In the Cloudflare dashboard, open **Workers & Pages**, choose **Create**,
   then **Pages** and **Connect to Git**, and pick this site's repository.
2. Under **Build settings**:
   - Framework preset: **None**
   - Build command: `sh {PUBLISH_SCRIPT}`
   - Build output directory: `public`
   - Root directory: the folder holding `site.toml` (empty if it is the top of
     the repository)
3. Save and deploy.

Cloudflare's build machine has no Rust, so `{PUBLISH_SCRIPT}` installs it and
then Follicle before it checks and builds the site. {COMPILE_NOTE}, on
every build, because Cloudflare keeps no cache of it. To skip that, build on
your computer and upload the folder: `follicle build`, then
`npx wrangler pages deploy public`.

Cloudflare Pages reads the `_headers` and `_redirects` files the build writes
into `public/`.
"#
    )
}

/// Installs Follicle where it is missing (Rust too, on hosts without it), then
/// checks and builds the site; `$1` is the address to build for, if given.
fn publish_script(git: &str, note: &str) -> String {
    format!(
        r#"#!/bin/sh
# Checks and builds the site on a host's build machine (Netlify, Cloudflare
# Pages), written by `follicle init`. Usage: sh {PUBLISH_SCRIPT} [ADDRESS]
# ADDRESS (optional) replaces base_url, for a preview's own address.
set -eu

# Where cargo gets Follicle's source.
{note}FOLLICLE_GIT='{git}'

if ! command -v follicle > /dev/null 2>&1; then
  if ! command -v cargo > /dev/null 2>&1; then
    if [ ! -f "$HOME/.cargo/env" ]; then
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    fi
    . "$HOME/.cargo/env"
  fi
  # {COMPILE_NOTE}.
  cargo install --locked --git "$FOLLICLE_GIT" follicle
  PATH="${{CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"
fi

if [ $# -gt 0 ] && [ -n "$1" ]; then
  follicle check --base-url "$1"
  follicle build --base-url "$1"
else
  follicle check
  follicle build
fi
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_file_is_one_check_scans_for_placeholders() {
        for host in [Host::GitHub, Host::Netlify, Host::Cloudflare] {
            for (path, text) in host.files(SAMPLE_GIT) {
                let path = path.to_str().unwrap();
                assert!(
                    crate::check::placeholders::DEPLOY_FILES.contains(&path),
                    "{path}"
                );
                assert!(
                    text.contains(SAMPLE_GIT) || [CLOUDFLARE_NOTE, NETLIFY_TOML].contains(&path),
                    "{path}"
                );
            }
        }
    }

    #[test]
    fn host_names_and_git_addresses() {
        assert_eq!(Host::from_name(" GitHub ").unwrap(), Some(Host::GitHub));
        assert_eq!(
            Host::from_name("cloudflare-pages").unwrap(),
            Some(Host::Cloudflare)
        );
        assert_eq!(Host::from_name("").unwrap(), None);
        assert!(Host::from_name("vercel").is_err());
        assert_eq!(git_address(None).unwrap(), SAMPLE_GIT);
        assert_eq!(
            git_address(Some("ssh://git@github.com/acme/follicle.git")).unwrap(),
            "ssh://git@github.com/acme/follicle.git"
        );
        for bad in [
            "https://a/b c",
            "https://a/`x`",
            "ftp://a/b",
            "mailto:a@b.test",
        ] {
            assert!(git_address(Some(bad)).is_err(), "{bad}");
        }
    }
}
