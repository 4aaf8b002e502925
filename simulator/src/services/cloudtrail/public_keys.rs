//! The per-region key pairs that sign digest files, and ListPublicKeys.
//!
//! Each region has one RSA-2048 key pair, derived from the id seed and the region with a
//! seeded ChaCha20 generator (so a state rebuilt from the same seed signs identically), and
//! stored (PKCS#8 PEM) as a document (kind `digest-key`) the first time it is needed. Keys are
//! never rotated: the one key stays valid from its creation on.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use md5::Md5;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, id_seed};
use crate::store::DocKey;

pub const KEY_KIND: &str = "digest-key";
const SERVICE: &str = "cloudtrail";
const KEY_ID: &str = "1";
const KEY_BITS: usize = 2048;

/// A region's digest signing key.
#[derive(Debug, Clone)]
pub struct DigestKey {
    pub region: String,
    pub private: RsaPrivateKey,
    /// The public key as PKCS#1 `RSAPublicKey` DER (what ListPublicKeys returns, base64).
    pub public_der: Vec<u8>,
    /// Hex MD5 of `public_der`: the digest's `digestPublicKeyFingerprint`.
    pub fingerprint: String,
    pub validity_start_ms: i64,
}

impl DigestKey {
    /// An RSA PKCS#1 v1.5 signature of SHA-256(`message`): CloudTrail's digest signatures,
    /// and the signatures of SNS messages (one simulated AWS signing key per region).
    pub fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, AwsError> {
        let hashed = Sha256::digest(message);
        self.private
            .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &hashed)
            .map_err(|e| AwsError::internal(format!("cannot sign: {e}")))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyDoc {
    private_key_pem: String,
    fingerprint: String,
    validity_start_ms: i64,
}

/// Keys already generated in this process (generation takes a while; the result is a pure
/// function of seed and region, so caching cannot change behaviour).
fn cache() -> &'static Mutex<HashMap<String, RsaPrivateKey>> {
    static CACHE: OnceLock<Mutex<HashMap<String, RsaPrivateKey>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn generate(seed: &str, region: &str) -> Result<RsaPrivateKey, AwsError> {
    let id = format!("{seed}\u{0}{region}");
    if let Some(k) = cache().lock().ok().and_then(|c| c.get(&id).cloned()) {
        return Ok(k);
    }
    let material: [u8; 32] = Sha256::new()
        .chain_update(b"ctsim-digest-key\0")
        .chain_update(id.as_bytes())
        .finalize()
        .into();
    let mut rng = ChaCha20Rng::from_seed(material);
    let key = RsaPrivateKey::new(&mut rng, KEY_BITS)
        .map_err(|e| AwsError::internal(format!("cannot generate the digest key: {e}")))?;
    if let Ok(mut c) = cache().lock() {
        c.insert(id, key.clone());
    }
    Ok(key)
}

fn finish(
    region: &str,
    private: RsaPrivateKey,
    validity_start_ms: i64,
) -> Result<DigestKey, AwsError> {
    let public_der = private
        .to_public_key()
        .to_pkcs1_der()
        .map_err(|e| AwsError::internal(format!("cannot encode the digest public key: {e}")))?
        .as_bytes()
        .to_vec();
    let fingerprint = hex::encode(Md5::digest(&public_der));
    Ok(DigestKey {
        region: region.to_string(),
        private,
        public_der,
        fingerprint,
        validity_start_ms,
    })
}

fn doc_key(region: &str) -> DocKey<'_> {
    DocKey {
        service: SERVICE,
        kind: KEY_KIND,
        account_id: "",
        region,
        id: KEY_ID,
    }
}

/// The region's stored key, if one was created.
pub fn stored_key(env: &Env<'_>, region: &str) -> Result<Option<DigestKey>, AwsError> {
    let Some(body) = env.db.document(&doc_key(region))? else {
        return Ok(None);
    };
    let doc: KeyDoc = serde_json::from_value(body)
        .map_err(|e| AwsError::internal(format!("corrupt digest key of {region}: {e}")))?;
    let private = RsaPrivateKey::from_pkcs8_pem(&doc.private_key_pem)
        .map_err(|e| AwsError::internal(format!("corrupt digest key of {region}: {e}")))?;
    finish(region, private, doc.validity_start_ms).map(Some)
}

/// The region's key, created (and stored, valid from now) on first use.
pub fn digest_key(env: &Env<'_>, region: &str) -> Result<DigestKey, AwsError> {
    if let Some(k) = stored_key(env, region)? {
        return Ok(k);
    }
    let seed = id_seed(env)?;
    let private = generate(&seed, region)?;
    let now_ms = clock::to_millis(env.now);
    let pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| AwsError::internal(format!("cannot encode the digest key: {e}")))?;
    let key = finish(region, private, now_ms)?;
    let doc = KeyDoc {
        private_key_pem: pem.to_string(),
        fingerprint: key.fingerprint.clone(),
        validity_start_ms: now_ms,
    };
    let body = serde_json::to_value(&doc)
        .map_err(|e| AwsError::internal(format!("cannot serialise the digest key: {e}")))?;
    env.db.put_document(&doc_key(region), &body, now_ms)?;
    Ok(key)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListPublicKeysRequest {
    pub start_time: Option<f64>,
    pub end_time: Option<f64>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicKey {
    /// Base64 of the PKCS#1 DER public key.
    pub value: String,
    pub validity_start_time: f64,
    pub validity_end_time: f64,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPublicKeysResponse {
    pub public_key_list: Vec<PublicKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

fn invalid_time_range() -> AwsError {
    AwsError::client(
        "InvalidTimeRangeException",
        "Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.",
    )
}

/// ListPublicKeys: the keys of the caller's region whose validity overlaps the range. Both
/// ends default to now (AWS: "the current public key is returned").
pub fn list_public_keys(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListPublicKeysRequest,
) -> Result<ListPublicKeysResponse, AwsError> {
    let now_s = clock::to_epoch_seconds(env.now);
    let end = req.end_time.unwrap_or(now_s);
    let start = req.start_time.unwrap_or(now_s.min(end));
    if start > end {
        return Err(invalid_time_range());
    }
    if let Some(t) = &req.next_token {
        return Err(AwsError::client(
            "InvalidTokenException",
            format!("Invalid token: {t}"),
        ));
    }
    let key = digest_key(env, &ctx.region)?;
    let valid_from = key.validity_start_ms as f64 / 1000.0;
    // The key never expires: it is reported as valid up to now.
    let valid_to = now_s.max(valid_from);
    let mut list = Vec::new();
    if valid_from <= end && valid_to >= start {
        list.push(PublicKey {
            value: B64.encode(&key.public_der),
            validity_start_time: valid_from,
            validity_end_time: valid_to,
            fingerprint: key.fingerprint,
        });
    }
    Ok(ListPublicKeysResponse {
        public_key_list: list,
        next_token: None,
    })
}
