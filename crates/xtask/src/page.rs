//! The release page without trunk: what `trunk build --release` does for this page, done with
//! the tools the project needs anyway (cargo, wasm-bindgen-cli, npm's wasm-opt), so that README's
//! run command does not spend a quarter of an hour compiling trunk. Trunk stays the developers'
//! loop (plain `trunk serve`), and both read the same list of files: `index.html`'s `data-trunk`
//! links, which this module follows — `rel="rust"` (the threaded module: cargo, wasm-bindgen,
//! wasm-opt at `data-wasm-opt`), `copy-file`, `copy-dir` and `css` (copied as they are:
//! `Trunk.toml` sets `filehash = false`). The links are then dropped from the page, the style
//! sheet linked by a relative URL. `cargo xtask test` builds `dist/` both ways and compares them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, page_env, phase, repo_root};

/// One `<link data-trunk …>` of index.html.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrunkLink {
    /// The whole tag, as written.
    pub(crate) tag: String,
    /// Its `rel`.
    pub(crate) rel: String,
    /// Its `href`, relative to the repo root.
    pub(crate) href: String,
    /// Its `data-wasm-opt` (the rust link's optimisation level), if any.
    pub(crate) wasm_opt: Option<String>,
    /// Its `data-target-path`: the folder of dist/ a copied file goes to (trunk's attribute).
    pub(crate) target_path: Option<String>,
}

/// Every `data-trunk` link of `html`, in order.
pub(crate) fn trunk_links(html: &str) -> Vec<TrunkLink> {
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<link data-trunk") {
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..=start + len];
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).map(|at| {
                let value = &tag[at + key.len()..];
                value[..value.find('"').unwrap_or(value.len())].to_string()
            })
        };
        links.push(TrunkLink {
            tag: tag.to_string(),
            rel: attr("rel").unwrap_or_default(),
            href: attr("href").unwrap_or_default(),
            wasm_opt: attr("data-wasm-opt"),
            target_path: attr("data-target-path"),
        });
        rest = &rest[start + len + 1..];
    }
    links
}

/// Builds the page into `out` (emptied first) as trunk would.
pub(crate) fn build(out: &Path) -> Result<(), String> {
    let root = repo_root();
    let html = fs::read_to_string(root.join("index.html")).map_err(|e| format!("cannot read index.html: {e}"))?;
    let links = trunk_links(&html);
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut page = html.clone();
    for link in &links {
        let from = root.join(&link.href);
        let replacement = match link.rel.as_str() {
            "rust" => {
                rust_module(&from, link.wasm_opt.as_deref().unwrap_or("3"), out)?;
                String::new()
            }
            "copy-file" => {
                let dir = match &link.target_path {
                    Some(target) if !target.split('/').any(|part| part == ".." || part.is_empty()) => out.join(target),
                    Some(target) => return Err(format!("index.html: data-target-path=\"{target}\" leaves dist/")),
                    None => out.to_path_buf(),
                };
                fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                copy(&from, &dir.join(file_name(&from)?))?;
                String::new()
            }
            "copy-dir" => {
                copy_dir(&from, &out.join(file_name(&from)?))?;
                String::new()
            }
            "css" => {
                let name = file_name(&from)?;
                copy(&from, &out.join(&name))?;
                format!("<link rel=\"stylesheet\" href=\"{name}\">")
            }
            other => {
                return Err(format!(
                    "index.html: a data-trunk link with rel=\"{other}\" that the xtask does not build"
                ));
            }
        };
        page = page.replacen(&link.tag, &replacement, 1);
    }
    // The links' lines, now empty, go too.
    let page: String =
        page.lines().filter(|l| !l.trim().is_empty() || l.is_empty()).map(|l| format!("{l}\n")).collect();
    fs::write(out.join("index.html"), page).map_err(|e| format!("cannot write index.html: {e}"))?;
    println!("[xtask] page: {} data-trunk links of index.html built into {}", links.len(), out.display());
    Ok(())
}

/// The threaded module of the crate at `manifest`: cargo (with build-std), wasm-bindgen for
/// `--target web` under the package's name, wasm-opt at `level`.
fn rust_module(manifest: &Path, level: &str, out: &Path) -> Result<(), String> {
    let text = fs::read_to_string(manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let name = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = \"").and_then(|v| v.strip_suffix('"')))
        .ok_or_else(|| format!("{}: no package name", manifest.display()))?
        .to_string();
    let manifest_arg = manifest.to_string_lossy().into_owned();
    let build = cargo(&["build", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path", &manifest_arg]);
    phase("threaded wasm module (cargo)", build)?;
    // The crate is its own workspace: its target dir is beside its manifest (trunk's too).
    let crate_dir = manifest.parent().unwrap_or(Path::new("."));
    let artifact: PathBuf =
        crate_dir.join("target/wasm32-unknown-unknown/release").join(format!("{}.wasm", name.replace('-', "_")));
    bindgen_and_opt(&artifact, &name, level, out, "threaded wasm module")
}

/// wasm-bindgen (`--target web`, no TypeScript) of `artifact` into `out` as `<name>.js` and
/// `<name>_bg.wasm`, then npm's wasm-opt at `-O<level>` in place. Shared by both builds.
pub(crate) fn bindgen_and_opt(artifact: &Path, name: &str, level: &str, out: &Path, what: &str) -> Result<(), String> {
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen.args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"]).arg(out).arg(artifact);
    phase(&format!("{what} (wasm-bindgen)"), bindgen)?;
    let wasm = out.join(format!("{name}_bg.wasm"));
    let mut opt = page_env(Command::new("wasm-opt"));
    opt.arg(format!("-O{level}")).arg(&wasm).arg("-o").arg(&wasm);
    phase(&format!("{what} (wasm-opt)"), opt)
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} has no file name", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()))?;
        } else {
            copy(&path, &to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_read_with_their_attributes() {
        let html = "<head>\n  <link data-trunk rel=\"rust\" href=\"crates/web/Cargo.toml\" data-wasm-opt=\"3\">\n  \
                    <link data-trunk rel=\"copy-file\" href=\"www/app.js\">\n  \
                    <link rel=\"icon\" href=\"data:,\">\n</head>";
        let links = trunk_links(html);
        assert_eq!(links.len(), 2);
        assert_eq!((links[0].rel.as_str(), links[0].href.as_str()), ("rust", "crates/web/Cargo.toml"));
        assert_eq!(links[0].wasm_opt.as_deref(), Some("3"));
        assert_eq!(
            (links[1].rel.as_str(), links[1].href.as_str(), links[1].wasm_opt.as_deref()),
            ("copy-file", "www/app.js", None)
        );
    }

    #[test]
    fn the_real_page_lists_only_what_the_xtask_builds() {
        let html = fs::read_to_string(repo_root().join("index.html")).unwrap();
        let links = trunk_links(&html);
        assert_eq!(links.iter().filter(|l| l.rel == "rust").count(), 1);
        for link in &links {
            assert!(["rust", "copy-file", "copy-dir", "css"].contains(&link.rel.as_str()), "{link:?}");
            assert!(repo_root().join(&link.href).exists(), "{} is missing", link.href);
        }
    }
}
