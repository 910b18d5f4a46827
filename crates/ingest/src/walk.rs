//! Expanding inputs (files, directories, `-`) into the files to read.

use std::path::Path;

use chorus_model::InputError;

/// The files an input names, in sorted order: the file itself, every file
/// under a directory (recursively; hidden files and folders skipped), or `-`.
pub fn expand(input: &str) -> Result<Vec<String>, InputError> {
    if input == "-" {
        return Ok(vec!["-".to_string()]);
    }
    let path = Path::new(input);
    let meta = std::fs::metadata(path)
        .map_err(|e| InputError { path: input.to_string(), error: format!("cannot read: {e}") })?;
    if !meta.is_dir() {
        return Ok(vec![input.to_string()]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    walk_dir(path, &mut out, &mut errors);
    out.sort();
    if out.is_empty() && !errors.is_empty() {
        return Err(errors.remove(0));
    }
    if out.is_empty() {
        return Err(InputError { path: input.to_string(), error: "directory holds no files".into() });
    }
    Ok(out)
}

fn walk_dir(dir: &Path, out: &mut Vec<String>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError { path: dir.display().to_string(), error: format!("cannot read: {e}") });
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let p = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk_dir(&p, out, errors),
            Ok(_) => out.push(p.display().to_string()),
            Err(e) => errors.push(InputError { path: p.display().to_string(), error: format!("cannot read: {e}") }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_recursively_in_sorted_order_skipping_hidden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "x").unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        let files = expand(dir.path().to_str().unwrap()).unwrap();
        assert_eq!(files.len(), 2);
        assert!(files[0].ends_with("b.txt"));
        assert!(files[1].ends_with("sub/a.txt"));
    }

    #[test]
    fn missing_path_is_an_error_naming_it() {
        let e = expand("/no/such/place").unwrap_err();
        assert_eq!(e.path, "/no/such/place");
        assert!(e.error.contains("cannot read"));
    }
}
