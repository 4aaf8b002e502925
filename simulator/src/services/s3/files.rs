//! Object bodies as real files: `<state>/s3/<bucket>/<key>`, written atomically (a temporary
//! file in `<state>/s3/.tmp`, then a rename).
//!
//! Each `/`-separated key segment is kept readable; bytes outside a safe set are
//! percent-encoded, and the segments `""`, `.` and `..` become `%`, `%2E` and `%2E%2E`, so
//! no key can leave its bucket folder. Keys that cannot have their natural path (a segment
//! longer than a file name may be, a key that is also a "folder" of another key such as `a`
//! and `a/b`, or names that collide on a case-insensitive file system) are stored under
//! `%objects/<sha256 of key>`; no encoded segment starts with `%o`, so that folder never
//! clashes with a key. The path used is recorded in the object's metadata.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::AwsError;

/// The longest encoded segment kept as a file name (file systems allow 255 bytes).
const MAX_SEGMENT: usize = 200;
const FALLBACK_DIR: &str = "%objects";

pub fn s3_dir(state: &Path) -> PathBuf {
    state.join("s3")
}

pub fn bucket_dir(state: &Path, bucket: &str) -> PathBuf {
    s3_dir(state).join(bucket)
}

fn safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~!'()+,=@ ".contains(&b)
}

/// One key segment as a file name.
pub fn encode_segment(seg: &str) -> String {
    match seg {
        "" => return "%".to_string(),
        "." => return "%2E".to_string(),
        ".." => return "%2E%2E".to_string(),
        _ => {}
    }
    let mut out = String::with_capacity(seg.len());
    for b in seg.bytes() {
        if safe(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The natural relative path of a key (`/`-separated), or `None` if a segment is too long.
pub fn natural_path(key: &str) -> Option<String> {
    let segs: Vec<String> = key.split('/').map(encode_segment).collect();
    if segs.iter().any(|s| s.len() > MAX_SEGMENT) {
        return None;
    }
    Some(segs.join("/"))
}

/// The fallback relative path of a key.
pub fn fallback_path(key: &str) -> String {
    format!(
        "{FALLBACK_DIR}/{}",
        hex::encode(Sha256::digest(key.as_bytes()))
    )
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> AwsError {
    AwsError::internal(format!("cannot {what} {}: {e}", path.display()))
}

fn to_fs(base: &Path, rel: &str) -> PathBuf {
    rel.split('/').fold(base.to_path_buf(), |p, s| p.join(s))
}

/// Whether `rel` can hold this object: free (or the object's own previous file) and its
/// folder can be created.
fn usable(base: &Path, rel: &str, previous: Option<&str>) -> bool {
    let path = to_fs(base, rel);
    if path.is_dir() {
        return false;
    }
    if path.exists() && previous != Some(rel) {
        return false;
    }
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent).is_ok() && parent.is_dir(),
        None => false,
    }
}

/// Writes an object body atomically and returns the relative path it was stored at.
/// `previous` is the path of the object's current body, if any (removed when it moves).
pub fn write_object(
    state: &Path,
    bucket: &str,
    key: &str,
    bytes: &[u8],
    previous: Option<&str>,
) -> Result<String, AwsError> {
    let base = bucket_dir(state, bucket);
    std::fs::create_dir_all(&base).map_err(|e| io_error("create", &base, e))?;
    let rel = match natural_path(key) {
        Some(p) if usable(&base, &p, previous) => p,
        _ => {
            let p = fallback_path(key);
            let parent = base.join(FALLBACK_DIR);
            std::fs::create_dir_all(&parent).map_err(|e| io_error("create", &parent, e))?;
            p
        }
    };
    let target = to_fs(&base, &rel);
    let tmp_dir = s3_dir(state).join(".tmp");
    std::fs::create_dir_all(&tmp_dir).map_err(|e| io_error("create", &tmp_dir, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&tmp_dir)
        .map_err(|e| io_error("create a file in", &tmp_dir, e))?;
    crate::faults::charge_file_write(bytes.len())
        .and_then(|_| tmp.write_all(bytes))
        .and_then(|_| tmp.flush())
        .map_err(|e| io_error("write", tmp.path(), e))?;
    tmp.persist(&target)
        .map_err(|e| io_error("write", &target, e.error))?;
    if let Some(old) = previous
        && old != rel
    {
        remove_object(state, bucket, old);
    }
    Ok(rel)
}

/// Temporary files older than this are left over by a killed process (a write takes far
/// less): [`sweep_stale_temporaries`] removes them.
pub const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes temporary object files left in `<state>/s3/.tmp` by a process killed while
/// writing (best effort; files younger than `older_than` may be another process's write
/// in progress and are kept). Returns how many were removed.
pub fn sweep_stale_temporaries(state: &Path, older_than: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(s3_dir(state).join(".tmp")) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    entries
        .flatten()
        .filter(|e| {
            e.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified()
                        .ok()
                        .and_then(|t| now.duration_since(t).ok())
                        .is_some_and(|age| age > older_than)
            })
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

pub fn read_object(state: &Path, bucket: &str, rel: &str) -> Result<Vec<u8>, AwsError> {
    let path = to_fs(&bucket_dir(state, bucket), rel);
    std::fs::read(&path).map_err(|e| io_error("read", &path, e))
}

/// Removes an object file and the folders it leaves empty (best effort: a leftover file
/// is harmless, the metadata decides what exists).
pub fn remove_object(state: &Path, bucket: &str, rel: &str) {
    let base = bucket_dir(state, bucket);
    let path = to_fs(&base, rel);
    let _ = std::fs::remove_file(&path);
    let mut dir = path.parent().map(Path::to_path_buf);
    while let Some(d) = dir {
        if d == base || !d.starts_with(&base) || std::fs::remove_dir(&d).is_err() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
}

/// Removes a bucket's folder (DeleteBucket on an empty bucket).
pub fn remove_bucket_dir(state: &Path, bucket: &str) -> Result<(), AwsError> {
    let dir = bucket_dir(state, bucket);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("remove", &dir, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_readable_and_cannot_escape() {
        assert_eq!(
            natural_path("AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/x.json.gz").unwrap(),
            "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/x.json.gz"
        );
        assert_eq!(
            natural_path("../../etc/passwd").unwrap(),
            "%2E%2E/%2E%2E/etc/passwd"
        );
        assert_eq!(natural_path("a//b/").unwrap(), "a/%/b/%");
        assert_eq!(natural_path("a%b?c").unwrap(), "a%25b%3Fc");
        assert_eq!(natural_path("caf\u{e9}").unwrap(), "caf%C3%A9");
        assert!(natural_path(&"x".repeat(300)).is_none());
        assert!(!encode_segment("objects").starts_with('%'));
    }

    #[test]
    fn hostile_keys_are_written_inside_the_bucket_folder() {
        let outer = tempfile::tempdir().unwrap(); // test setup
        let state = outer.path().join("state");
        let keys = [
            "..".to_string(),
            "../../../../outside".to_string(),
            "/etc/absolute".to_string(),
            "//double/absolute".to_string(),
            "nul\0/..\0/x".to_string(),
            "./.././x".to_string(),
            format!("{}/long", "l".repeat(4000)),
            "a/".repeat(600),
        ];
        let bucket = bucket_dir(&state, "jail");
        for (i, key) in keys.iter().enumerate() {
            let rel = write_object(&state, "jail", key, key.as_bytes(), None).unwrap();
            let path = to_fs(&bucket, &rel);
            assert!(path.starts_with(&bucket), "{key:?} -> {rel}");
            assert!(
                !rel.split('/')
                    .any(|s| s.is_empty() || s == "." || s == ".."),
                "{key:?} -> {rel}"
            );
            assert!(!rel.contains('\0'), "{key:?} -> {rel}");
            assert_eq!(
                read_object(&state, "jail", &rel).unwrap(),
                key.as_bytes(),
                "{i}"
            );
        }
        let names: Vec<_> = std::fs::read_dir(outer.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state")]);
        assert!(!Path::new("/etc/absolute").exists());
    }

    #[test]
    fn temporaries_left_by_a_killed_writer_are_swept_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let tmp = s3_dir(dir.path()).join(".tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let old = tmp.join(".tmpOLD");
        let fresh = tmp.join(".tmpNEW");
        std::fs::write(&old, b"partial").unwrap();
        std::fs::write(&fresh, b"in progress").unwrap();
        let two_hours_ago = std::time::SystemTime::now() - 2 * STALE_TEMPORARY;
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        assert_eq!(sweep_stale_temporaries(dir.path(), STALE_TEMPORARY), 1);
        assert!(!old.exists());
        assert!(fresh.exists());
        assert_eq!(
            sweep_stale_temporaries(tempfile::tempdir().unwrap().path(), STALE_TEMPORARY),
            0
        );
    }

    #[test]
    fn file_and_folder_keys_coexist() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let a = write_object(dir.path(), "b", "a", b"1", None).unwrap();
        let ab = write_object(dir.path(), "b", "a/b", b"2", None).unwrap();
        assert_eq!(a, "a");
        assert!(ab.starts_with("%objects/"), "{ab}");
        assert_eq!(read_object(dir.path(), "b", &a).unwrap(), b"1");
        assert_eq!(read_object(dir.path(), "b", &ab).unwrap(), b"2");
        // Overwriting keeps the same file.
        let again = write_object(dir.path(), "b", "a", b"3", Some(&a)).unwrap();
        assert_eq!(again, "a");
        assert_eq!(read_object(dir.path(), "b", "a").unwrap(), b"3");
        remove_object(dir.path(), "b", &ab);
        assert!(!dir.path().join("s3/b/%objects").exists());
    }
}
