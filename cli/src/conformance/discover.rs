//! Finds and loads the case files under the paths given to `stepwise test`.
//!
//! A path that is a file is a case file, whatever its name. A directory is
//! searched recursively for `*.json` files, skipping hidden entries
//! (`.git`), definition files named `*.asl.json`, and any file that a case
//! found in the same run names as its `definition`. Everything else that
//! does not load is reported as a bad case, never skipped silently.

use super::case::{Case, CaseError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Why the paths themselves could not be searched.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A path given does not exist or cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A case file found: loaded, or why it could not be.
#[derive(Debug)]
pub enum Found {
    /// A usable case.
    Case(Box<Case>),
    /// A file that is not a usable case.
    Bad {
        /// The file.
        path: PathBuf,
        /// Why.
        error: CaseError,
    },
}

impl Found {
    /// The case file's path.
    pub fn path(&self) -> &Path {
        match self {
            Found::Case(case) => &case.path,
            Found::Bad { path, .. } => path,
        }
    }
}

/// Finds and loads every case under `paths`, in path order.
pub fn load(paths: &[PathBuf]) -> Result<Vec<Found>, DiscoverError> {
    let mut files = BTreeSet::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).map_err(|source| DiscoverError::Unreadable { path: path.clone(), source })?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.insert(path.clone());
        }
    }
    let found: Vec<Found> = files
        .into_iter()
        .map(|path| match Case::load(&path) {
            Ok(case) => Found::Case(Box::new(case)),
            Err(error) => Found::Bad { path, error },
        })
        .collect();
    let definitions: BTreeSet<PathBuf> = found
        .iter()
        .filter_map(|f| match f {
            Found::Case(case) => case.definition_file.as_deref().and_then(|p| p.canonicalize().ok()),
            Found::Bad { .. } => None,
        })
        .collect();
    Ok(found.into_iter().filter(|f| f.path().canonicalize().map_or(true, |p| !definitions.contains(&p))).collect())
}

fn walk(dir: &Path, files: &mut BTreeSet<PathBuf>) -> Result<(), DiscoverError> {
    let unreadable = |source| DiscoverError::Unreadable { path: dir.to_owned(), source };
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // `metadata` follows symbolic links, so a linked directory is searched.
        let is_dir = std::fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false);
        if is_dir {
            walk(&path, files)?;
        } else if name.ends_with(".json") && !name.ends_with(".asl.json") {
            files.insert(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cases_and_skips_their_definitions() {
        let dir = std::env::temp_dir().join(format!("stepwise-discover-{}", std::process::id()));
        let sub = dir.join("orders");
        std::fs::create_dir_all(sub.join(".hidden")).expect("temp dir");
        let write = |name: &str, text: &str| std::fs::write(sub.join(name), text).expect("write");
        let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
        write("machine.json", definition);
        write("other.asl.json", definition);
        write("a.json", r#"{"definition": "machine.json", "expected": {"status": "SUCCEEDED"}}"#);
        write("b.json", r#"{"definition": "other.asl.json", "expected": {"status": "SUCCEEDED"}}"#);
        write("broken.json", "{");
        write("notes.txt", "not a case");
        std::fs::write(sub.join(".hidden/c.json"), "{").expect("write");

        let found = load(std::slice::from_ref(&dir)).expect("readable");
        let names: Vec<String> = found
            .iter()
            .map(|f| match f {
                Found::Case(case) => format!("{}/{}", case.category, case.name),
                Found::Bad { path, .. } => format!("bad {}", path.file_name().unwrap_or_default().to_string_lossy()),
            })
            .collect();
        assert_eq!(names, ["orders/a", "orders/b", "bad broken.json"]);
        if let Some(Found::Case(case)) = found.first() {
            assert_eq!(case.definition["StartAt"], "P");
        }
        assert!(load(&[dir.join("missing")]).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
