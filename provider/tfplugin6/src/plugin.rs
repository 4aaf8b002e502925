//! The go-plugin server side, as Terraform's plugin client expects it:
//! magic-cookie check, protocol negotiation, AutoMTLS with a freshly
//! generated server certificate, the one-line handshake on stdout, and the
//! auxiliary services every go-plugin server exposes (controller, stdio,
//! broker, health) next to the tfplugin6 `Provider` service.

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tonic::codegen::BoxStream;
use tonic::transport::server::{Connected, TcpConnectInfo};
use tonic::{Request, Response, Status, Streaming};

use crate::proto::health::health_check_response::ServingStatus;
use crate::proto::health::health_server::{Health, HealthServer};
use crate::proto::health::{HealthCheckRequest, HealthCheckResponse};
use crate::proto::plugin::grpc_broker_server::{GrpcBroker, GrpcBrokerServer};
use crate::proto::plugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use crate::proto::plugin::grpc_stdio_server::{GrpcStdio, GrpcStdioServer};
use crate::proto::plugin::{ConnInfo, Empty, StdioData};
use crate::proto::provider_server::{Provider, ProviderServer};

/// Environment variable carrying Terraform's magic cookie.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// Terraform's magic cookie value (same for protocol 5 and 6 providers).
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's own protocol version: the first field of the handshake line.
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The application protocol we speak: tfplugin6.
pub const PROTOCOL_VERSION: u32 = 6;
/// Terraform's schemas and states can be large; grpc's 4 MiB default is not enough.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;
/// How long in-flight calls get to finish after Shutdown before we stop anyway
/// (go-plugin's client kills the process 2 s after asking it to shut down).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);
/// A client that connects but never finishes the TLS handshake is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Printed to stderr when the binary is run by hand rather than by Terraform.
pub const NOT_A_PLUGIN_MESSAGE: &str = "This binary is a Terraform provider plugin. It is not meant to be executed directly.\n\
Run terraform (or tofu), which starts this provider automatically when it is needed.\n";

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("not started by Terraform: {MAGIC_COOKIE_KEY} is missing or wrong")]
    NotAPlugin,
    #[error(
        "Terraform offered plugin protocol versions {0:?}, but this provider only speaks version {PROTOCOL_VERSION}"
    )]
    UnsupportedProtocol(String),
    #[error("invalid plugin environment: {0}")]
    Env(String),
    #[error("invalid PLUGIN_CLIENT_CERT: {0}")]
    ClientCert(String),
    #[error("generating the server certificate failed: {0}")]
    CertGen(String),
    #[error("TLS setup failed: {0}")]
    Tls(String),
    #[error("no free port between {0} and {1}")]
    NoPort(u16, u16),
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
    #[error("gRPC server error: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// Everything the server needs from the environment, gathered up front so the
/// decision logic is testable without touching process-global env vars.
#[derive(Debug, Clone, Default)]
pub struct ServeConfig {
    /// Value of `TF_PLUGIN_MAGIC_COOKIE`.
    pub magic_cookie: Option<String>,
    /// Value of `PLUGIN_PROTOCOL_VERSIONS`, e.g. `"6"` or `"5,6"`.
    pub protocol_versions: Option<String>,
    /// Value of `PLUGIN_CLIENT_CERT` (PEM): enables AutoMTLS when set.
    pub client_cert_pem: Option<String>,
    /// `PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT`.
    pub min_port: Option<u16>,
    pub max_port: Option<u16>,
    /// Ignore SIGINT like go-plugin servers do: Terraform forwards Ctrl-C to the
    /// process group but still needs the provider to finish in-flight calls.
    pub ignore_interrupts: bool,
}

impl ServeConfig {
    /// Reads the go-plugin environment variables.
    pub fn from_env() -> Result<ServeConfig, ServeError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let port = |k: &str| -> Result<Option<u16>, ServeError> {
            var(k)
                .map(|v| {
                    v.trim()
                        .parse::<u16>()
                        .map_err(|_| ServeError::Env(format!("{k}={v:?} is not a port number")))
                })
                .transpose()
        };
        Ok(ServeConfig {
            magic_cookie: var(MAGIC_COOKIE_KEY),
            protocol_versions: var("PLUGIN_PROTOCOL_VERSIONS"),
            client_cert_pem: var("PLUGIN_CLIENT_CERT"),
            min_port: port("PLUGIN_MIN_PORT")?,
            max_port: port("PLUGIN_MAX_PORT")?,
            ignore_interrupts: true,
        })
    }
}

/// Checks the magic cookie; go-plugin uses it only to give a friendly error
/// when the binary is run by hand.
pub fn check_magic_cookie(value: Option<&str>) -> Result<(), ServeError> {
    if value == Some(MAGIC_COOKIE_VALUE) {
        Ok(())
    } else {
        Err(ServeError::NotAPlugin)
    }
}

/// Picks the protocol version from `PLUGIN_PROTOCOL_VERSIONS`. Like go-plugin,
/// a client that sends no list gets our only version; a list without 6 is an
/// error (go-plugin would serve anyway and let the client fail less clearly).
pub fn negotiate_protocol(versions: Option<&str>) -> Result<u32, ServeError> {
    let Some(list) = versions.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(PROTOCOL_VERSION);
    };
    if list
        .split(',')
        .any(|s| s.trim().parse::<u32>() == Ok(PROTOCOL_VERSION))
    {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(ServeError::UnsupportedProtocol(list.to_owned()))
    }
}

/// What the server announces to Terraform once it listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    pub addr: SocketAddr,
    /// DER of our self-signed server certificate when AutoMTLS is on.
    pub server_cert_der: Option<Vec<u8>>,
}

impl Handshake {
    /// The handshake line (without newline); see [`handshake_line`].
    pub fn line(&self) -> String {
        handshake_line(self.addr, self.server_cert_der.as_deref())
    }
}

/// `CORE|APP|tcp|ADDR|grpc|CERT`, exactly as go-plugin prints it: CERT is the
/// server certificate DER in unpadded standard base64 (Go's RawStdEncoding),
/// or empty without AutoMTLS (go-plugin prints the trailing `|` regardless).
pub fn handshake_line(addr: SocketAddr, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|d| base64::engine::general_purpose::STANDARD_NO_PAD.encode(d))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|tcp|{addr}|grpc|{cert}")
}

/// Serves `provider` as Terraform expects: reads the go-plugin environment,
/// prints the handshake line to stdout, and runs until GRPCController.Shutdown.
/// Prints a human message to stderr when not started by Terraform; the caller
/// should then exit with status 1.
pub async fn serve<P: Provider>(provider: P) -> Result<(), ServeError> {
    let config = ServeConfig::from_env()?;
    if let Err(e) = check_magic_cookie(config.magic_cookie.as_deref()) {
        eprint!("{NOT_A_PLUGIN_MESSAGE}");
        return Err(e);
    }
    serve_with(provider, config, |hs| {
        // The handshake is the only thing that may ever go to stdout.
        let mut out = io::stdout().lock();
        let _ = writeln!(out, "{}", hs.line());
        let _ = out.flush();
    })
    .await
}

/// [`serve`] on a fresh multi-threaded tokio runtime, for a plain `fn main`.
pub fn serve_blocking<P: Provider>(provider: P) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = rt.block_on(serve(provider));
    rt.shutdown_timeout(Duration::from_millis(500));
    result
}

/// The server proper, with the environment already read into `config`.
/// `on_ready` receives the handshake once the listener is bound (the env
/// path prints it; tests capture it).
pub async fn serve_with<P: Provider>(
    provider: P,
    config: ServeConfig,
    on_ready: impl FnOnce(&Handshake),
) -> Result<(), ServeError> {
    check_magic_cookie(config.magic_cookie.as_deref())?;
    negotiate_protocol(config.protocol_versions.as_deref())?;

    let listener = bind(config.min_port, config.max_port).await?;
    let addr = listener.local_addr()?;

    let (acceptor, server_cert_der) = match &config.client_cert_pem {
        Some(pem) => {
            let (acc, der) = tls_acceptor(pem)?;
            (Some(acc), Some(der))
        }
        None => (None, None),
    };

    let interrupts = if config.ignore_interrupts {
        Some(tokio::spawn(ignore_interrupts()))
    } else {
        None
    };

    let (conn_tx, conn_rx) = mpsc::channel::<io::Result<Conn>>(16);
    let accept_task = tokio::spawn(accept_loop(listener, acceptor, conn_tx));

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let aux = Aux {
        shutdown: shutdown_rx.clone(),
    };
    let router = tonic::transport::Server::builder()
        .add_service(
            ProviderServer::new(provider)
                .max_decoding_message_size(MAX_MESSAGE_SIZE)
                .max_encoding_message_size(MAX_MESSAGE_SIZE),
        )
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown_tx,
        }))
        .add_service(GrpcStdioServer::new(aux.clone()))
        .add_service(GrpcBrokerServer::new(aux.clone()))
        .add_service(HealthServer::new(aux));

    let signal = wait_shutdown(shutdown_rx.clone());
    let server = router.serve_with_incoming_shutdown(ReceiverStream::new(conn_rx), signal);
    tokio::pin!(server);

    tracing::info!(%addr, tls = server_cert_der.is_some(), "plugin server listening");
    on_ready(&Handshake {
        addr,
        server_cert_der,
    });

    let grace = async {
        wait_shutdown(shutdown_rx).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let result = tokio::select! {
        r = &mut server => r.map_err(ServeError::from),
        () = grace => {
            tracing::warn!("in-flight calls did not finish after shutdown; stopping anyway");
            Ok(())
        }
    };
    accept_task.abort();
    if let Some(t) = interrupts {
        t.abort();
    }
    tracing::info!("plugin server stopped");
    result
}

async fn wait_shutdown(mut rx: watch::Receiver<bool>) {
    // An error means the sender (the controller) is gone: also a reason to stop.
    let _ = rx.wait_for(|stop| *stop).await;
}

#[cfg(unix)]
async fn ignore_interrupts() {
    use tokio::signal::unix::{SignalKind, signal};
    // Installing a handler replaces the default "terminate" action.
    let Ok(mut sig) = signal(SignalKind::interrupt()) else {
        tracing::warn!("could not install SIGINT handler");
        return;
    };
    while sig.recv().await.is_some() {
        tracing::debug!("plugin received interrupt signal, ignoring");
    }
}

#[cfg(not(unix))]
async fn ignore_interrupts() {
    while tokio::signal::ctrl_c().await.is_ok() {
        tracing::debug!("plugin received interrupt signal, ignoring");
    }
}

async fn bind(min: Option<u16>, max: Option<u16>) -> Result<TcpListener, ServeError> {
    let host = Ipv4Addr::LOCALHOST;
    if min.is_none() && max.is_none() {
        return Ok(TcpListener::bind((host, 0)).await?);
    }
    let lo = min.unwrap_or(1024);
    let hi = max.unwrap_or(u16::MAX);
    for port in lo..=hi {
        if let Ok(l) = TcpListener::bind((host, port)).await {
            return Ok(l);
        }
    }
    Err(ServeError::NoPort(lo, hi))
}

// ---------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------

/// An accepted connection, plain or TLS; tonic needs `Connected` on it.
enum Conn {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

impl Connected for Conn {
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> TcpConnectInfo {
        let tcp = match self {
            Conn::Plain(s) => s,
            Conn::Tls(s) => s.get_ref().0,
        };
        TcpConnectInfo {
            local_addr: tcp.local_addr().ok(),
            remote_addr: tcp.peer_addr().ok(),
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Conn::Plain(s) => s.is_write_vectored(),
            Conn::Tls(s) => s.is_write_vectored(),
        }
    }
}

/// Accepts TCP connections and hands them (after a TLS handshake, done per
/// connection so a bad client cannot stall or kill the server) to tonic.
async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    tx: mpsc::Sender<io::Result<Conn>>,
) {
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // E.g. EMFILE: back off instead of spinning, keep serving.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        match &acceptor {
            None => {
                if tx.send(Ok(Conn::Plain(tcp))).await.is_err() {
                    return;
                }
            }
            Some(acc) => {
                let acc = acc.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acc.accept(tcp)).await {
                        Ok(Ok(s)) => {
                            let _ = tx.send(Ok(Conn::Tls(Box::new(s)))).await;
                        }
                        Ok(Err(e)) => {
                            tracing::warn!(%peer, error = %e, "TLS handshake failed")
                        }
                        Err(_) => tracing::warn!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        }
    }
}

// ---------------------------------------------------------------------------
// AutoMTLS
// ---------------------------------------------------------------------------

/// Builds the TLS acceptor for AutoMTLS and returns it with our certificate's
/// DER (for the handshake line).
fn tls_acceptor(client_cert_pem: &str) -> Result<(tokio_rustls::TlsAcceptor, Vec<u8>), ServeError> {
    let pinned = parse_client_certs(client_cert_pem)?;
    let (cert, key) = generate_server_cert()?;
    let cert_der = cert.as_ref().to_vec();

    // ring, explicitly; the verifier adds ECDSA P-521/SHA-512 (crate::p521), the
    // signature of Terraform's client key, which ring cannot verify.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(PinnedClientCert {
        pinned,
        algs: provider.signature_verification_algorithms,
    });
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| ServeError::Tls(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert], key)
        .map_err(|e| ServeError::Tls(e.to_string()))?;
    // grpc-go refuses TLS connections that did not negotiate h2 via ALPN.
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok((tokio_rustls::TlsAcceptor::from(Arc::new(cfg)), cert_der))
}

/// All certificates in the PEM text (go-plugin appends them all to its pool).
fn parse_client_certs(pem: &str) -> Result<Vec<Vec<u8>>, ServeError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .map(|c| c.map(|c| c.as_ref().to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ServeError::ClientCert(format!("{e:?}")))?;
    if certs.is_empty() {
        return Err(ServeError::ClientCert("no CERTIFICATE block found".into()));
    }
    Ok(certs)
}

/// A self-signed ECDSA P-256 certificate for `localhost`, shaped like
/// go-plugin's own (CA, server+client auth): Terraform trusts exactly this
/// certificate, learned from the handshake line, and checks the name
/// "localhost".
pub fn generate_server_cert()
-> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), ServeError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let err = |e: rcgen::Error| ServeError::CertGen(e.to_string());
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(err)?;
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).map_err(err)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "ctsim");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::minutes(1);
    params.not_after = now + time::Duration::days(366);
    let cert = params.self_signed(&key).map_err(err)?;
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().clone(), key_der))
}

/// Accepts exactly the client certificate(s) Terraform gave us in
/// PLUGIN_CLIENT_CERT. Path validation via webpki would reject them (they
/// are self-signed CA certs used as leaves), and pinning is stronger anyway.
/// Handshake signatures are checked with the TLS provider's algorithms plus
/// ECDSA P-521/SHA-512 ([`crate::p521`]).
#[derive(Debug)]
struct PinnedClientCert {
    pinned: Vec<Vec<u8>>,
    algs: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl PinnedClientCert {
    fn algorithms(&self, scheme: SignatureScheme) -> &rustls::crypto::WebPkiSupportedAlgorithms {
        if scheme == crate::p521::SCHEME {
            &crate::p521::ALGORITHMS
        } else {
            &self.algs
        }
    }
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if self
            .pinned
            .iter()
            .any(|p| p.as_slice() == end_entity.as_ref())
        {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, self.algorithms(dss.scheme))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, self.algorithms(dss.scheme))
    }

    /// P-521 first: a TLS 1.2 client takes the first listed scheme its key can make.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        let mut schemes = vec![crate::p521::SCHEME];
        schemes.extend(self.algs.supported_schemes());
        schemes
    }
}

// ---------------------------------------------------------------------------
// go-plugin auxiliary services
// ---------------------------------------------------------------------------

/// GRPCController: the client's Kill() calls Shutdown.
struct Controller {
    shutdown: watch::Sender<bool>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _req: Request<Empty>) -> Result<Response<Empty>, Status> {
        tracing::info!("shutdown requested by plugin client");
        self.shutdown.send_replace(true);
        Ok(Response::new(Empty {}))
    }
}

/// Stdio, broker and health: streams stay open (idle) until shutdown or
/// until the client goes away, which is what go-plugin clients expect.
#[derive(Clone)]
struct Aux {
    shutdown: watch::Receiver<bool>,
}

impl Aux {
    /// A response stream that yields `first` (if any) and then stays open
    /// until shutdown or client disconnect.
    fn idle_stream<T: Send + 'static>(&self, first: Option<T>) -> BoxStream<T> {
        let (tx, rx) = mpsc::channel::<Result<T, Status>>(1);
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            if let Some(item) = first
                && tx.send(Ok(item)).await.is_err()
            {
                return;
            }
            tokio::select! {
                () = wait_shutdown(shutdown) => {}
                () = tx.closed() => {}
            }
        });
        Box::pin(ReceiverStream::new(rx))
    }
}

#[tonic::async_trait]
impl GrpcStdio for Aux {
    async fn stream_stdio(
        &self,
        _req: Request<()>,
    ) -> Result<Response<BoxStream<StdioData>>, Status> {
        // Our logs go to stderr directly (go-plugin relays that too), so
        // nothing is ever sent here.
        Ok(Response::new(self.idle_stream(None)))
    }
}

#[tonic::async_trait]
impl GrpcBroker for Aux {
    async fn start_stream(
        &self,
        req: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<BoxStream<ConnInfo>>, Status> {
        // Terraform providers never use the broker; drain what the client
        // sends so its stream does not block, and close when it does.
        let mut inbound = req.into_inner();
        let (tx, rx) = mpsc::channel::<Result<ConnInfo, Status>>(1);
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            let drain = async { while let Ok(Some(_)) = inbound.message().await {} };
            tokio::select! {
                () = drain => {}
                () = wait_shutdown(shutdown) => {}
            }
            drop(tx);
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}

fn health_status(service: &str) -> Result<HealthCheckResponse, Status> {
    if service.is_empty() || service == "plugin" {
        Ok(HealthCheckResponse {
            status: ServingStatus::Serving as i32,
        })
    } else {
        Err(Status::not_found(format!("unknown service {service:?}")))
    }
}

#[tonic::async_trait]
impl Health for Aux {
    async fn check(
        &self,
        req: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        health_status(&req.get_ref().service).map(Response::new)
    }

    async fn watch(
        &self,
        req: Request<HealthCheckRequest>,
    ) -> Result<Response<BoxStream<HealthCheckResponse>>, Status> {
        let first = health_status(&req.get_ref().service)?;
        Ok(Response::new(self.idle_stream(Some(first))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_check() {
        assert!(check_magic_cookie(Some(MAGIC_COOKIE_VALUE)).is_ok());
        assert!(matches!(
            check_magic_cookie(None),
            Err(ServeError::NotAPlugin)
        ));
        assert!(matches!(
            check_magic_cookie(Some("nope")),
            Err(ServeError::NotAPlugin)
        ));
    }

    #[test]
    fn protocol_negotiation() {
        assert_eq!(negotiate_protocol(Some("6")).ok(), Some(6));
        assert_eq!(negotiate_protocol(Some("5,6")).ok(), Some(6));
        assert_eq!(negotiate_protocol(Some(" 6 , 7")).ok(), Some(6));
        assert_eq!(negotiate_protocol(None).ok(), Some(6));
        assert_eq!(negotiate_protocol(Some("")).ok(), Some(6));
        assert!(matches!(
            negotiate_protocol(Some("5")),
            Err(ServeError::UnsupportedProtocol(_))
        ));
        assert!(matches!(
            negotiate_protocol(Some("4,5,x")),
            Err(ServeError::UnsupportedProtocol(_))
        ));
    }

    #[test]
    fn handshake_line_format() {
        let addr: SocketAddr = "127.0.0.1:4242".parse().unwrap();
        assert_eq!(handshake_line(addr, None), "1|6|tcp|127.0.0.1:4242|grpc|");
        // 4 bytes -> 6 base64 chars, no "==" padding.
        assert_eq!(
            handshake_line(addr, Some(&[0xde, 0xad, 0xbe, 0xef])),
            "1|6|tcp|127.0.0.1:4242|grpc|3q2+7w"
        );
        let hs = Handshake {
            addr,
            server_cert_der: Some(vec![1, 2, 3, 4, 5]),
        };
        assert_eq!(hs.line(), "1|6|tcp|127.0.0.1:4242|grpc|AQIDBAU");
    }

    #[test]
    fn server_cert_shape() {
        let (cert, _key) = generate_server_cert().unwrap();
        let b64 = handshake_line("127.0.0.1:1".parse().unwrap(), Some(cert.as_ref()));
        assert!(!b64.ends_with('='));
        assert!(cert.as_ref().len() > 200);
    }

    #[test]
    fn client_cert_parsing() {
        assert!(parse_client_certs("garbage").is_err());
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let parsed = parse_client_certs(&cert.pem()).unwrap();
        assert_eq!(parsed, vec![cert.der().to_vec()]);
    }

    #[test]
    fn health_service_names() {
        assert_eq!(
            health_status("plugin").unwrap().status,
            ServingStatus::Serving as i32
        );
        assert!(health_status("").is_ok());
        assert!(health_status("other").is_err());
    }
}
