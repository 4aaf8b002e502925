//! End-to-end: run the plugin server in-process with AutoMTLS, connect the
//! way Terraform does (client cert ECDSA P-521 signing with SHA-512, ALPN h2,
//! server cert taken from the handshake line), call the provider, then shut it
//! down.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use base64::Engine as _;
use hyper_util::rt::TokioIo;
use rustls::SignatureScheme;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::sign::{CertifiedKey, Signer, SigningKey, SingleCertAndKey};
use tfplugin6::plugin::{MAGIC_COOKIE_VALUE, ServeConfig, ServeError, serve_with};
use tfplugin6::proto::health::HealthCheckRequest;
use tfplugin6::proto::health::health_client::HealthClient;
use tfplugin6::proto::plugin::Empty;
use tfplugin6::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tfplugin6::proto::provider_client::ProviderClient;
use tfplugin6::proto::provider_server::Provider;
use tfplugin6::proto::{Schema, get_provider_schema, schema};
use tfplugin6::value::Type;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Response, Status};

struct TestProvider;

#[tonic::async_trait]
impl Provider for TestProvider {
    async fn get_provider_schema(
        &self,
        _req: Request<get_provider_schema::Request>,
    ) -> Result<Response<get_provider_schema::Response>, Status> {
        Ok(Response::new(get_provider_schema::Response {
            provider: Some(Schema {
                version: 0,
                block: Some(schema::Block {
                    attributes: vec![schema::Attribute {
                        name: "region".into(),
                        r#type: Type::String.to_json(),
                        optional: true,
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
            }),
            ..Default::default()
        }))
    }
}

/// A self-signed ECDSA P-256 cert shaped like go-plugin's client cert, and its key as
/// rustls signs with it.
fn p256_client_cert() -> (String, Vec<u8>, Arc<dyn SigningKey>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).unwrap();
    let signer = rustls::crypto::ring::sign::any_ecdsa_type(&PrivateKeyDer::Pkcs8(
        PrivatePkcs8KeyDer::from(key.serialize_der()),
    ))
    .unwrap();
    (cert.pem(), cert.der().to_vec(), signer)
}

/// An ECDSA P-521 client cert like the one Terraform (go-plugin) makes at every start:
/// self-signed CA, `localhost`, client and server auth, signed with SHA-512. rcgen and
/// ring cannot make P-521 keys, so it is a fixture, made once with
///
///     openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-521 -sha512 -nodes \
///       -keyout client-p521.key.pem -out client-p521.pem -days 36500 \
///       -subj "/O=ctsim tests/CN=localhost" -addext "subjectAltName=DNS:localhost" \
///       -addext "basicConstraints=critical,CA:TRUE" \
///       -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
///       -addext "extendedKeyUsage=clientAuth,serverAuth"
///
/// (the server pins the certificate; it never checks its dates).
fn p521_client_cert() -> (String, Vec<u8>, Arc<dyn SigningKey>) {
    use p521::pkcs8::DecodePrivateKey as _;
    use rustls::pki_types::pem::PemObject as _;
    let pem = include_str!("fixtures/client-p521.pem");
    let der = CertificateDer::from_pem_slice(pem.as_bytes()).unwrap();
    let key_der =
        PrivatePkcs8KeyDer::from_pem_slice(include_bytes!("fixtures/client-p521.key.pem")).unwrap();
    let secret = p521::SecretKey::from_pkcs8_der(key_der.secret_pkcs8_der()).unwrap();
    let key = p521::ecdsa::SigningKey::from_bytes(&secret.to_bytes()).unwrap();
    (pem.to_owned(), der.to_vec(), Arc::new(P521Key(key)))
}

/// The client side of a P-521 handshake signature, as Go's TLS client makes it.
#[derive(Clone)]
struct P521Key(p521::ecdsa::SigningKey);

impl std::fmt::Debug for P521Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("P521Key")
    }
}

impl SigningKey for P521Key {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
            .then(|| Box::new(self.clone()) as Box<dyn Signer>)
    }

    fn algorithm(&self) -> rustls::SignatureAlgorithm {
        rustls::SignatureAlgorithm::ECDSA
    }
}

impl Signer for P521Key {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        use p521::ecdsa::signature::Signer as _;
        let signature: p521::ecdsa::Signature = self.0.sign(message);
        Ok(signature.to_der().as_bytes().to_vec())
    }

    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::ECDSA_NISTP521_SHA512
    }
}

/// Trusts exactly the server cert from the handshake line, as go-plugin's
/// client does (webpki would reject a CA cert used as a leaf).
#[derive(Debug)]
struct PinnedServer {
    der: Vec<u8>,
    algs: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl rustls::client::danger::ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.der.as_slice() {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("unexpected server cert".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algs.supported_schemes()
    }
}

/// Parses the handshake line the way go-plugin's client does.
fn parse_handshake(line: &str) -> (SocketAddr, Option<Vec<u8>>) {
    let parts: Vec<&str> = line.split('|').collect();
    assert_eq!(parts.len(), 6, "{line}");
    assert_eq!(&parts[..3], ["1", "6", "tcp"]);
    assert_eq!(parts[4], "grpc");
    let addr: SocketAddr = parts[3].parse().unwrap();
    assert!(addr.ip().is_loopback());
    let cert = (!parts[5].is_empty()).then(|| {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(parts[5])
            .unwrap()
    });
    (addr, cert)
}

async fn tls_channel(
    addr: SocketAddr,
    server_der: Vec<u8>,
    cert_der: Vec<u8>,
    key: Arc<dyn SigningKey>,
) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(PinnedServer {
        der: server_der,
        algs: provider.signature_verification_algorithms,
    });
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(Arc::new(SingleCertAndKey::from(CertifiedKey::new(
            vec![CertificateDer::from(cert_der)],
            key,
        ))));
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_uri| {
            let connector = connector.clone();
            async move {
                let tcp = TcpStream::connect(addr).await?;
                let name = ServerName::try_from("localhost").map_err(io::Error::other)?;
                let tls = connector.connect(name, tcp).await?;
                assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
                Ok::<_, io::Error>(TokioIo::new(tls))
            }
        }))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_over_automtls_and_shuts_down() {
    // Terraform's (go-plugin's) client certificate is ECDSA P-521 / SHA-512.
    let (pem, cert_der, key) = p521_client_cert();
    let config = ServeConfig {
        magic_cookie: Some(MAGIC_COOKIE_VALUE.into()),
        protocol_versions: Some("5,6".into()),
        client_cert_pem: Some(pem),
        ..Default::default()
    };
    let (hs_tx, hs_rx) = oneshot::channel();
    let server = tokio::spawn(serve_with(TestProvider, config, move |hs| {
        let _ = hs_tx.send(hs.line());
    }));
    let line = hs_rx.await.unwrap();
    let (addr, server_der) = parse_handshake(&line);
    let server_der = server_der.expect("AutoMTLS handshake carries the server cert");

    // A client presenting some other certificate is refused, and the failed
    // handshake does not take the server down.
    let (_, other_cert, other_key) = p256_client_cert();
    let refused = match tls_channel(addr, server_der.clone(), other_cert, other_key).await {
        Err(_) => true,
        Ok(ch) => HealthClient::new(ch)
            .check(HealthCheckRequest {
                service: "plugin".into(),
            })
            .await
            .is_err(),
    };
    assert!(refused, "server accepted an unpinned client certificate");

    let channel = tls_channel(addr, server_der, cert_der, key).await.unwrap();

    let health = HealthClient::new(channel.clone())
        .check(HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(health.status, 1, "SERVING");

    let schema = ProviderClient::new(channel.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let attrs = schema.provider.unwrap().block.unwrap().attributes;
    assert_eq!(attrs[0].name, "region");
    assert_eq!(attrs[0].r#type, b"\"string\"");

    // RPCs the provider does not implement answer Unimplemented.
    let err = ProviderClient::new(channel.clone())
        .get_functions(tfplugin6::proto::get_functions::Request {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::Unimplemented);

    GrpcControllerClient::new(channel.clone())
        .shutdown(Empty {})
        .await
        .unwrap();
    drop(channel);
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_plaintext_without_client_cert() {
    let config = ServeConfig {
        magic_cookie: Some(MAGIC_COOKIE_VALUE.into()),
        protocol_versions: Some("6".into()),
        ..Default::default()
    };
    let (hs_tx, hs_rx) = oneshot::channel();
    let server = tokio::spawn(serve_with(TestProvider, config, move |hs| {
        let _ = hs_tx.send(hs.line());
    }));
    let line = hs_rx.await.unwrap();
    assert!(line.ends_with("|grpc|"), "{line}");
    let (addr, cert) = parse_handshake(&line);
    assert!(cert.is_none());
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let health = HealthClient::new(channel.clone())
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(health.status, 1);
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn refuses_without_cookie_or_protocol() {
    let r = serve_with(TestProvider, ServeConfig::default(), |_| {
        panic!("must not announce")
    })
    .await;
    assert!(matches!(r, Err(ServeError::NotAPlugin)));
    let config = ServeConfig {
        magic_cookie: Some(MAGIC_COOKIE_VALUE.into()),
        protocol_versions: Some("4,5".into()),
        ..Default::default()
    };
    let r = serve_with(TestProvider, config, |_| panic!("must not announce")).await;
    assert!(matches!(r, Err(ServeError::UnsupportedProtocol(_))));
}
