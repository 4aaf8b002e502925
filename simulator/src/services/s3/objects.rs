//! Objects: PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2, and helpers for
//! other parts of the simulator (`put_object_internal` for log delivery, `object`,
//! `object_bytes`, `list_objects`).
//!
//! Metadata is a document per object (kind `object:<bucket>`, id = key, so the store's
//! binary order by id is S3's UTF-8 key order); the body is a real file (see `files`).
//! Only the latest version of a key is kept.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use super::acl;
use super::buckets::{self, BucketDoc, canonical_user_id, decode_token, encode_token, owned};
use super::config::SSE_ALGORITHMS;
use super::errors::*;
use super::files;
use super::model::*;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::store::DocKey;

pub const MAX_KEY_BYTES: usize = 1024;
pub const DEFAULT_MAX_KEYS: i64 = 1000;
pub const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";
const STORAGE_CLASSES: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
    "EXPRESS_ONEZONE",
];

/// An object's metadata as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectDoc {
    pub key: String,
    pub size: i64,
    /// Quoted MD5 hex, as S3 returns it.
    pub etag: String,
    pub last_modified_ms: i64,
    pub content_type: String,
    pub content_encoding: Option<String>,
    pub content_disposition: Option<String>,
    pub content_language: Option<String>,
    pub cache_control: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub server_side_encryption: String,
    pub sse_kms_key_id: Option<String>,
    pub bucket_key_enabled: bool,
    pub storage_class: String,
    pub tagging: Option<String>,
    pub owner_account_id: String,
    /// Where the body is, relative to `<state>/s3/<bucket>/`, `/`-separated.
    pub file: String,
}

fn kind(bucket: &str) -> String {
    format!("object:{bucket}")
}

fn load(env: &Env<'_>, bucket: &str, key: &str) -> Result<Option<ObjectDoc>, AwsError> {
    let kind = kind(bucket);
    let k = DocKey {
        service: buckets::SERVICE,
        kind: &kind,
        account_id: "",
        region: "",
        id: key,
    };
    match env.db.document(&k)? {
        None => Ok(None),
        Some(v) => serde_json::from_value(v).map(Some).map_err(|e| {
            AwsError::internal(format!("corrupt object document {bucket}/{key}: {e}"))
        }),
    }
}

/// Every object of a bucket in key order.
pub fn stored_objects(env: &Env<'_>, bucket: &str) -> Result<Vec<ObjectDoc>, AwsError> {
    env.db
        .documents(buckets::SERVICE, &kind(bucket), Some(""), Some(""))?
        .into_iter()
        .map(|d| {
            serde_json::from_value(d.body).map_err(|e| {
                AwsError::internal(format!("corrupt object document {bucket}/{}: {e}", d.id))
            })
        })
        .collect()
}

pub fn etag_of(bytes: &[u8]) -> String {
    format!("\"{}\"", hex::encode(Md5::digest(bytes)))
}

/// How an object is encrypted: the request's choice, else the bucket default.
fn resolve_sse(
    bucket: &BucketDoc,
    sse: Option<&str>,
    kms_key: Option<&str>,
    bucket_key: Option<bool>,
) -> Result<(String, Option<String>, bool), AwsError> {
    if let Some(alg) = sse {
        if !SSE_ALGORITHMS.contains(&alg) {
            return Err(invalid_argument(
                "The encryption method specified is not supported",
            ));
        }
        if kms_key.is_some() && alg == "AES256" {
            return Err(invalid_argument(
                "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
            ));
        }
        let kms = alg != "AES256";
        return Ok((
            alg.to_string(),
            kms_key.map(String::from),
            kms && bucket_key.unwrap_or(false),
        ));
    }
    if kms_key.is_some() {
        return Err(invalid_argument(
            "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
        ));
    }
    let enc = bucket.encryption_or_default();
    let rule = enc.rules.first();
    let default = rule.and_then(|r| r.apply_server_side_encryption_by_default.clone());
    let alg = default
        .as_ref()
        .map_or_else(|| "AES256".to_string(), |d| d.sse_algorithm.clone());
    let kms = alg != "AES256";
    Ok((
        alg,
        default.and_then(|d| d.kms_master_key_id),
        kms && bucket_key
            .or(rule.and_then(|r| r.bucket_key_enabled))
            .unwrap_or(false),
    ))
}

fn check_key(key: &str) -> Result<(), AwsError> {
    if key.is_empty() {
        return Err(AwsError::client(
            "ValidationException",
            "1 validation error detected: Value '' at 'key' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(AwsError::client("KeyTooLongError", "Your key is too long"));
    }
    Ok(())
}

/// Writes the body and the metadata (the file last-but-one, so a failed write stores
/// nothing; the transaction rolls back the metadata if the call fails later).
fn store(
    env: &Env<'_>,
    bucket: &BucketDoc,
    mut doc: ObjectDoc,
    bytes: &[u8],
) -> Result<ObjectDoc, AwsError> {
    let previous = load(env, &bucket.name, &doc.key)?.map(|o| o.file);
    doc.file = files::write_object(
        env.state_dir,
        &bucket.name,
        &doc.key,
        bytes,
        previous.as_deref(),
    )?;
    let body = serde_json::to_value(&doc)
        .map_err(|e| AwsError::internal(format!("cannot serialise object: {e}")))?;
    let kind = kind(&bucket.name);
    env.db.put_document(
        &DocKey {
            service: buckets::SERVICE,
            kind: &kind,
            account_id: "",
            region: "",
            id: &doc.key,
        },
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(doc)
}

fn decode_body(req: &PutObjectRequest) -> Result<Vec<u8>, AwsError> {
    match (&req.body, &req.body_text) {
        (Some(_), Some(_)) => Err(invalid_argument(
            "Specify the object body as either Body (base64) or BodyText, not both",
        )),
        (Some(b64), None) => B64.decode(b64.as_bytes()).map_err(|_| {
            AwsError::serialization("Body must be base64-encoded (use BodyText for text)")
        }),
        (None, Some(text)) => Ok(text.as_bytes().to_vec()),
        (None, None) => Ok(Vec::new()),
    }
}

fn put_response(o: &ObjectDoc) -> PutObjectResponse {
    let kms = o.server_side_encryption != "AES256";
    PutObjectResponse {
        etag: Some(o.etag.clone()),
        server_side_encryption: Some(o.server_side_encryption.clone()),
        ssekms_key_id: if kms { o.sse_kms_key_id.clone() } else { None },
        bucket_key_enabled: o.bucket_key_enabled.then_some(true),
        size: None,
    }
}

pub fn put_object(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutObjectRequest,
) -> Result<PutObjectResponse, AwsError> {
    let bucket = owned(env, ctx, &req.bucket)?;
    check_key(&req.key)?;
    let bytes = decode_body(&req)?;
    if let Some(md5) = &req.content_md5 {
        let given = B64
            .decode(md5.as_bytes())
            .ok()
            .filter(|d| d.len() == 16)
            .ok_or_else(|| {
                AwsError::client(
                    "InvalidDigest",
                    "The Content-MD5 you specified was invalid.",
                )
            })?;
        if given.as_slice() != Md5::digest(&bytes).as_slice() {
            return Err(AwsError::client(
                "BadDigest",
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    let storage_class = req
        .storage_class
        .clone()
        .unwrap_or_else(|| "STANDARD".into());
    if !STORAGE_CLASSES.contains(&storage_class.as_str()) {
        return Err(AwsError::client(
            "InvalidStorageClass",
            "The storage class you specified is not valid",
        ));
    }
    if let Some(canned) = &req.acl {
        let owner = canonical_user_id(&bucket.owner_account_id);
        let p = acl::canned_policy(canned, &owner)?;
        if bucket.acls_disabled() && !acl::is_owner_only(&p, &owner) {
            return Err(AwsError::client(
                "AccessControlListNotSupported",
                "The bucket does not allow ACLs",
            ));
        }
        let blocks = bucket
            .public_access_block
            .as_ref()
            .and_then(|b| b.block_public_acls)
            .unwrap_or(false);
        if blocks && acl::acl_is_public(&p) {
            return Err(access_denied());
        }
    }
    let (sse, kms_key, bucket_key) = resolve_sse(
        &bucket,
        req.server_side_encryption.as_deref(),
        req.ssekms_key_id.as_deref(),
        req.bucket_key_enabled,
    )?;
    let doc = ObjectDoc {
        key: req.key.clone(),
        size: bytes.len() as i64,
        etag: etag_of(&bytes),
        last_modified_ms: clock::to_millis(env.now),
        content_type: req
            .content_type
            .clone()
            .unwrap_or_else(|| DEFAULT_CONTENT_TYPE.into()),
        content_encoding: req.content_encoding.clone(),
        content_disposition: req.content_disposition.clone(),
        content_language: req.content_language.clone(),
        cache_control: req.cache_control.clone(),
        metadata: req.metadata.clone().unwrap_or_default(),
        server_side_encryption: sse,
        sse_kms_key_id: kms_key,
        bucket_key_enabled: bucket_key,
        storage_class,
        tagging: req.tagging.clone(),
        // With ACLs disabled the bucket owner owns every object.
        owner_account_id: if bucket.acls_disabled() {
            bucket.owner_account_id.clone()
        } else {
            ctx.account_id.clone()
        },
        file: String::new(),
    };
    let stored = store(env, &bucket, doc, &bytes)?;
    Ok(put_response(&stored))
}

/// `bytes=a-b`, `bytes=a-`, `bytes=-n` -> the inclusive byte range, or `None` when the range
/// cannot be satisfied. A header S3 cannot parse is ignored (the whole object), as S3 does.
fn parse_range(spec: &str, size: u64) -> Option<Option<(u64, u64)>> {
    let Some(r) = spec.trim().strip_prefix("bytes=") else {
        return Some(None);
    };
    let Some((a, b)) = r.split_once('-') else {
        return Some(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let range = match (a.parse::<u64>().ok(), b.parse::<u64>().ok()) {
        (Some(first), last) if a.len() + b.len() > 0 => {
            if last.is_some_and(|l| l < first) {
                return Some(None);
            }
            if first >= size {
                return None;
            }
            (first, last.unwrap_or(size - 1).min(size - 1))
        }
        (None, Some(n)) if a.is_empty() => {
            if n == 0 || size == 0 {
                return None;
            }
            (size.saturating_sub(n), size - 1)
        }
        _ => return Some(None),
    };
    Some(Some(range))
}

fn strip_quotes(s: &str) -> &str {
    s.trim().trim_matches('"')
}

fn read_checked(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: &GetObjectRequest,
) -> Result<(BucketDoc, ObjectDoc), AwsError> {
    let bucket = owned(env, ctx, &req.bucket)?;
    check_key(&req.key)?;
    let obj = load(env, &bucket.name, &req.key)?.ok_or_else(no_such_key)?;
    if let Some(v) = &req.version_id
        && v != "null"
    {
        return Err(AwsError::new(
            "NoSuchVersion",
            "The specified version does not exist.",
            404,
        ));
    }
    if let Some(m) = &req.if_match
        && strip_quotes(m) != "*"
        && strip_quotes(m) != strip_quotes(&obj.etag)
    {
        return Err(AwsError::new(
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
            412,
        ));
    }
    if let Some(m) = &req.if_none_match
        && (strip_quotes(m) == "*" || strip_quotes(m) == strip_quotes(&obj.etag))
    {
        return Err(AwsError::new("NotModified", "Not Modified", 304));
    }
    Ok((bucket, obj))
}

fn object_response(o: &ObjectDoc) -> GetObjectResponse {
    let kms = o.server_side_encryption != "AES256";
    // HTTP dates have second precision.
    let secs = (o.last_modified_ms.div_euclid(1000)) as f64;
    GetObjectResponse {
        body: None,
        accept_ranges: Some("bytes".into()),
        content_length: Some(o.size),
        content_range: None,
        content_type: Some(o.content_type.clone()),
        content_encoding: o.content_encoding.clone(),
        content_disposition: o.content_disposition.clone(),
        content_language: o.content_language.clone(),
        cache_control: o.cache_control.clone(),
        etag: Some(o.etag.clone()),
        last_modified: Some(secs),
        metadata: (!o.metadata.is_empty()).then(|| o.metadata.clone()),
        server_side_encryption: Some(o.server_side_encryption.clone()),
        ssekms_key_id: if kms { o.sse_kms_key_id.clone() } else { None },
        bucket_key_enabled: o.bucket_key_enabled.then_some(true),
        storage_class: (o.storage_class != "STANDARD").then(|| o.storage_class.clone()),
        tag_count: o
            .tagging
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(|t| t.split('&').count() as i64),
    }
}

fn invalid_range() -> AwsError {
    AwsError::new(
        "InvalidRange",
        "The requested range is not satisfiable",
        416,
    )
}

pub fn get_object(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetObjectRequest,
) -> Result<GetObjectResponse, AwsError> {
    let (bucket, obj) = read_checked(env, ctx, &req)?;
    let bytes = files::read_object(env.state_dir, &bucket.name, &obj.file)?;
    let mut out = object_response(&obj);
    let size = bytes.len() as u64;
    let body = match req.range.as_deref().map(|r| parse_range(r, size)) {
        None | Some(Some(None)) => bytes,
        Some(None) => return Err(invalid_range()),
        Some(Some(Some((a, b)))) => {
            out.content_range = Some(format!("bytes {a}-{b}/{size}"));
            out.content_length = Some((b - a + 1) as i64);
            bytes[a as usize..=b as usize].to_vec()
        }
    };
    out.body = Some(B64.encode(body));
    Ok(out)
}

/// HeadObject: GetObject without the body; errors surface as `NotFound`/`Forbidden`.
pub fn head_object(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: HeadObjectRequest,
) -> Result<GetObjectResponse, AwsError> {
    let (_bucket, obj) = read_checked(env, ctx, &req).map_err(head_error)?;
    let mut out = object_response(&obj);
    if let Some(r) = req.range.as_deref() {
        match parse_range(r, obj.size as u64) {
            None => return Err(invalid_range()),
            Some(None) => {}
            Some(Some((a, b))) => {
                out.content_range = Some(format!("bytes {a}-{b}/{}", obj.size));
                out.content_length = Some((b - a + 1) as i64);
            }
        }
    }
    Ok(out)
}

/// DeleteObject succeeds whether or not the key exists.
pub fn delete_object(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DeleteObjectRequest,
) -> Result<Empty, AwsError> {
    let bucket = owned(env, ctx, &req.bucket)?;
    check_key(&req.key)?;
    if let Some(obj) = load(env, &bucket.name, &req.key)? {
        let kind = kind(&bucket.name);
        env.db.delete_document(&DocKey {
            service: buckets::SERVICE,
            kind: &kind,
            account_id: "",
            region: "",
            id: &req.key,
        })?;
        files::remove_object(env.state_dir, &bucket.name, &obj.file);
    }
    Ok(Empty {})
}

/// Percent-encoding of `EncodingType=url` (unreserved characters and `/` kept).
fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One listed entry: an object or a rolled-up common prefix.
enum Entry {
    Key(Box<ObjectDoc>),
    Prefix(String),
}

/// The continuation marker: the last key or common prefix a page returned.
fn token_marker(token: &str) -> Option<(bool, String)> {
    let raw = decode_token(token)?;
    if let Some(k) = raw.strip_prefix("k:") {
        Some((false, k.to_string()))
    } else {
        raw.strip_prefix("p:").map(|p| (true, p.to_string()))
    }
}

pub fn list_objects_v2(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListObjectsV2Request,
) -> Result<ListObjectsV2Response, AwsError> {
    let bucket = owned(env, ctx, &req.bucket)?;
    let max_keys = req.max_keys.unwrap_or(DEFAULT_MAX_KEYS);
    if max_keys < 0 || max_keys > i64::from(i32::MAX) {
        return Err(invalid_argument(
            "Argument maxKeys must be an integer between 0 and 2147483647",
        ));
    }
    // S3 returns at most 1000 keys per page whatever MaxKeys says.
    let page = max_keys.min(DEFAULT_MAX_KEYS) as usize;
    let encode = match req.encoding_type.as_deref() {
        None => false,
        Some("url") => true,
        Some(_) => {
            return Err(invalid_argument(
                "Invalid Encoding Method specified in Request",
            ));
        }
    };
    let marker = match &req.continuation_token {
        None => None,
        Some(t) => Some(
            token_marker(t)
                .ok_or_else(|| invalid_argument("The continuation token provided is incorrect"))?,
        ),
    };
    let prefix = req.prefix.clone().unwrap_or_default();
    let delimiter = req.delimiter.clone().filter(|d| !d.is_empty());

    let mut entries: Vec<Entry> = Vec::new();
    let mut truncated = false;
    for obj in stored_objects(env, &bucket.name)? {
        let key = obj.key.as_str();
        if !key.starts_with(&prefix) {
            continue;
        }
        if let Some(after) = &req.start_after
            && key <= after.as_str()
        {
            continue;
        }
        if let Some((is_prefix, m)) = &marker
            && (key <= m.as_str() || (*is_prefix && key.starts_with(m.as_str())))
        {
            continue;
        }
        let entry = match &delimiter {
            Some(d) => match key[prefix.len()..].find(d.as_str()) {
                Some(i) => Entry::Prefix(key[..prefix.len() + i + d.len()].to_string()),
                None => Entry::Key(Box::new(obj)),
            },
            None => Entry::Key(Box::new(obj)),
        };
        if let (Entry::Prefix(p), Some(Entry::Prefix(last))) = (&entry, entries.last())
            && p == last
        {
            continue;
        }
        if entries.len() == page {
            // MaxKeys=0 answers an empty, untruncated page.
            truncated = page > 0;
            break;
        }
        entries.push(entry);
    }

    let next = if truncated {
        entries.last().map(|e| match e {
            Entry::Key(o) => encode_token(&format!("k:{}", o.key)),
            Entry::Prefix(p) => encode_token(&format!("p:{p}")),
        })
    } else {
        None
    };
    let enc = |s: &str| if encode { url_encode(s) } else { s.to_string() };
    let owner = req.fetch_owner.unwrap_or(false);
    let mut contents = Vec::new();
    let mut common_prefixes = Vec::new();
    for e in entries {
        match e {
            Entry::Key(o) => contents.push(Object {
                key: enc(&o.key),
                last_modified: clock::to_epoch_seconds(clock::from_millis(o.last_modified_ms)),
                etag: o.etag,
                size: o.size,
                storage_class: o.storage_class,
                owner: owner.then(|| Owner {
                    id: Some(canonical_user_id(&o.owner_account_id)),
                    display_name: None,
                }),
            }),
            Entry::Prefix(p) => common_prefixes.push(CommonPrefix { prefix: enc(&p) }),
        }
    }
    Ok(ListObjectsV2Response {
        is_truncated: truncated,
        key_count: (contents.len() + common_prefixes.len()) as i64,
        contents,
        name: bucket.name,
        prefix: req.prefix.as_deref().map(enc),
        delimiter: req.delimiter.as_deref().map(enc),
        max_keys,
        common_prefixes,
        encoding_type: req.encoding_type,
        continuation_token: req.continuation_token,
        next_continuation_token: next,
        start_after: req.start_after.as_deref().map(enc),
    })
}

// ---- helpers for other parts of the simulator (no recording, no caller checks) ----

/// An object as other services see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectInfo {
    pub bucket: String,
    pub key: String,
    pub size: i64,
    pub etag: String,
    pub last_modified: chrono::DateTime<chrono::Utc>,
    pub content_type: String,
    pub server_side_encryption: String,
    pub sse_kms_key_id: Option<String>,
    /// The body's file on disk.
    pub path: PathBuf,
}

fn info(env: &Env<'_>, bucket: &str, o: ObjectDoc) -> ObjectInfo {
    let path = o
        .file
        .split('/')
        .fold(files::bucket_dir(env.state_dir, bucket), |p, s| p.join(s));
    ObjectInfo {
        bucket: bucket.to_string(),
        key: o.key,
        size: o.size,
        etag: o.etag,
        last_modified: clock::from_millis(o.last_modified_ms),
        content_type: o.content_type,
        server_side_encryption: o.server_side_encryption,
        sse_kms_key_id: o.sse_kms_key_id,
        path,
    }
}

/// Stores an object as a service would (CloudTrail log delivery): no caller, region or
/// ownership checks; the object belongs to the bucket owner. `sse` is
/// `(algorithm, kms key id)`; `None` uses the bucket's default encryption.
pub fn put_object_internal(
    env: &Env<'_>,
    bucket: &str,
    key: &str,
    bytes: &[u8],
    content_type: &str,
    sse: Option<(&str, Option<&str>)>,
) -> Result<ObjectInfo, AwsError> {
    put_object_internal_with_metadata(env, bucket, key, bytes, content_type, sse, BTreeMap::new())
}

/// [`put_object_internal`] with user metadata (`x-amz-meta-*`, keys without the prefix),
/// e.g. the `signature` of a CloudTrail digest file.
pub fn put_object_internal_with_metadata(
    env: &Env<'_>,
    bucket: &str,
    key: &str,
    bytes: &[u8],
    content_type: &str,
    sse: Option<(&str, Option<&str>)>,
    metadata: BTreeMap<String, String>,
) -> Result<ObjectInfo, AwsError> {
    let b = buckets::load(env, bucket)?.ok_or_else(no_such_bucket)?;
    check_key(key)?;
    let (alg, kms_key, bucket_key) = match sse {
        Some((alg, kms)) => resolve_sse(&b, Some(alg), kms, None)?,
        None => resolve_sse(&b, None, None, None)?,
    };
    let doc = ObjectDoc {
        key: key.to_string(),
        size: bytes.len() as i64,
        etag: etag_of(bytes),
        last_modified_ms: clock::to_millis(env.now),
        content_type: content_type.to_string(),
        server_side_encryption: alg,
        sse_kms_key_id: kms_key,
        bucket_key_enabled: bucket_key,
        storage_class: "STANDARD".into(),
        owner_account_id: b.owner_account_id.clone(),
        metadata,
        ..Default::default()
    };
    let stored = store(env, &b, doc, bytes)?;
    Ok(info(env, bucket, stored))
}

/// One object's metadata, or `None`.
pub fn object(env: &Env<'_>, bucket: &str, key: &str) -> Result<Option<ObjectInfo>, AwsError> {
    Ok(load(env, bucket, key)?.map(|o| info(env, bucket, o)))
}

/// One object's user metadata (keys without `x-amz-meta-`), or `None` if there is no object.
pub fn object_metadata(
    env: &Env<'_>,
    bucket: &str,
    key: &str,
) -> Result<Option<BTreeMap<String, String>>, AwsError> {
    Ok(load(env, bucket, key)?.map(|o| o.metadata))
}

/// One object's body, or `None`.
pub fn object_bytes(env: &Env<'_>, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, AwsError> {
    match load(env, bucket, key)? {
        None => Ok(None),
        Some(o) => files::read_object(env.state_dir, bucket, &o.file).map(Some),
    }
}

/// The objects of a bucket whose keys start with `prefix`, in key order.
pub fn list_objects(
    env: &Env<'_>,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<ObjectInfo>, AwsError> {
    Ok(stored_objects(env, bucket)?
        .into_iter()
        .filter(|o| o.key.starts_with(prefix))
        .map(|o| info(env, bucket, o))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_http_semantics() {
        assert_eq!(parse_range("bytes=0-4", 10), Some(Some((0, 4))));
        assert_eq!(parse_range("bytes=5-", 10), Some(Some((5, 9))));
        assert_eq!(parse_range("bytes=-3", 10), Some(Some((7, 9))));
        assert_eq!(parse_range("bytes=8-100", 10), Some(Some((8, 9))));
        assert_eq!(parse_range("bytes=10-", 10), None);
        assert_eq!(parse_range("bytes=5-2", 10), Some(None));
        assert_eq!(parse_range("items=0-1", 10), Some(None));
    }

    #[test]
    fn etag_is_quoted_md5() {
        assert_eq!(etag_of(b""), "\"d41d8cd98f00b204e9800998ecf8427e\"");
        assert_eq!(etag_of(b"hello"), "\"5d41402abc4b2a76b9719d911017c592\"");
    }
}
