//! ECDSA P-521/SHA-512 signature verification for rustls, from RustCrypto's `p521`.
//!
//! Terraform's go-plugin client (AutoMTLS) signs its TLS handshake with a fresh ECDSA P-521
//! key. rustls's ring provider cannot verify P-521, and the aws-lc-rs provider, which can,
//! compiles the AWS-LC C library: about a tenth of a cold build. So the TLS runs on ring and
//! this one algorithm is added where the client's signature is checked.

use rustls::SignatureScheme;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{
    AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm, alg_id,
};

/// The TLS signature scheme Terraform's client uses (TLS 1.3 binds it to the P-521 curve;
/// in TLS 1.2 the client picks it because the server lists it first).
pub const SCHEME: SignatureScheme = SignatureScheme::ECDSA_NISTP521_SHA512;

/// ECDSA over P-521 with SHA-512: a certificate's P-521 key checking a DER signature.
#[derive(Debug)]
pub struct EcdsaP521Sha512;

impl SignatureVerificationAlgorithm for EcdsaP521Sha512 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use p521::ecdsa::signature::Verifier as _;
        // `public_key` is the certificate's subjectPublicKey: a SEC1 point.
        let key =
            p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature =
            p521::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        // Hashes the message with SHA-512, P-521's digest.
        key.verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }
}

/// [`EcdsaP521Sha512`] as rustls's verification helpers take it, for [`SCHEME`] only.
pub static ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[&EcdsaP521Sha512],
    mapping: &[(SCHEME, &[&EcdsaP521Sha512])],
};

#[cfg(test)]
mod tests {
    use super::*;
    use p521::ecdsa::signature::Signer as _;

    fn key() -> p521::ecdsa::SigningKey {
        // Any scalar below the group order (just under 2^521) will do; a fixed one keeps
        // the key the same from run to run.
        let mut scalar = [7u8; 66];
        scalar[0] = 0;
        p521::ecdsa::SigningKey::from_slice(&scalar).unwrap()
    }

    #[test]
    fn verifies_a_p521_sha512_signature_and_nothing_else() {
        let key = key();
        let public = p521::ecdsa::VerifyingKey::from(&key)
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        let message = b"TLS 1.3, client CertificateVerify";
        let signature: p521::ecdsa::Signature = key.sign(message);
        let der = signature.to_der();
        let alg = EcdsaP521Sha512;
        let verifies = |public: &[u8], message: &[u8], signature: &[u8]| {
            alg.verify_signature(public, message, signature).is_ok()
        };
        assert!(verifies(&public, message, der.as_bytes()));
        assert!(!verifies(&public, b"another message", der.as_bytes()));
        let mut bad = der.as_bytes().to_vec();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(!verifies(&public, message, &bad));
        assert!(!verifies(&[4, 1, 2], message, der.as_bytes()));
    }

    #[test]
    fn only_the_p521_scheme_is_mapped() {
        assert_eq!(ALGORITHMS.supported_schemes(), vec![SCHEME]);
    }
}
