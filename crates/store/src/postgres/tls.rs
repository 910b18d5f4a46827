//! TLS to the database server, as a store URL asks for it with libpq's
//! options: `sslmode=disable|prefer|require|verify-ca|verify-full` and
//! `sslrootcert=PATH` (PEM, for a private CA).
//!
//! - `disable`: plain TCP.
//! - `prefer` (the default, as libpq's): TLS when the server offers it,
//!   else plain; the certificate is not checked.
//! - `require`: TLS or no connection; encrypts, but checks no certificate,
//!   so it keeps out eavesdroppers, not an impostor.
//! - `verify-ca`: TLS, and the server's certificate chains to a trusted
//!   root; any host name.
//! - `verify-full`: `verify-ca`, and the certificate names the host the URL
//!   connects to: the only mode that stops a man in the middle.
//!
//! Trusted roots: the file `sslrootcert=` names, else Mozilla's (webpki
//! roots, compiled in: a chorus binary copied to a bare container still
//! verifies a managed database's certificate). Unlike libpq, `require`
//! never turns into `verify-ca` because a root file exists somewhere:
//! what is checked is what the URL says.
//!
//! The driver (tokio-postgres) knows only `disable`, `prefer` and
//! `require`, and no `sslrootcert`: the options are taken out of the URL
//! here, the driver is told `require` for the verifying modes, and the
//! verification is rustls's, with ring as the rest of chorus (no OpenSSL).

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientConfig, WebPkiServerVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error as TlsError, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// What `sslmode=` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    Disable,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// What the driver is told: it verifies nothing itself.
    fn driver(self) -> tokio_postgres::config::SslMode {
        use tokio_postgres::config::SslMode as D;
        match self {
            SslMode::Disable => D::Disable,
            SslMode::Prefer => D::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => D::Require,
        }
    }
}

/// The TLS options of a store URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    pub mode: SslMode,
    /// A PEM file of the roots to trust instead of Mozilla's.
    pub root_cert: Option<String>,
}

/// Splits a store URL into the URL the driver parses (without the TLS
/// options it does not know) and the TLS options; `Err` says what is wrong
/// with an option.
pub fn split_url(url: &str) -> Result<(String, TlsOptions), String> {
    let Some((head, query)) = url.split_once('?') else {
        return Ok((url.to_string(), TlsOptions::default()));
    };
    let mut opts = TlsOptions::default();
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "sslmode" => {
                let v = decode(v);
                opts.mode = SslMode::parse(&v)
                    .ok_or_else(|| format!("sslmode={v}: use disable, prefer, require, verify-ca or verify-full"))?;
            }
            "sslrootcert" => opts.root_cert = Some(decode(v)).filter(|p| !p.is_empty()),
            _ => rest.push(pair),
        }
    }
    if opts.root_cert.is_some() && !matches!(opts.mode, SslMode::VerifyCa | SslMode::VerifyFull) {
        return Err(format!(
            "sslrootcert is only read with sslmode=verify-ca or verify-full (sslmode is {:?}): a root nothing checks against would only look safe",
            opts.mode
        ));
    }
    let url = if rest.is_empty() { head.to_string() } else { format!("{head}?{}", rest.join("&")) };
    Ok((url, opts))
}

/// Percent-decoding of a URL query value (a path may hold `%2F` or `%20`).
fn decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Applies the options to the driver's configuration and makes the
/// connector that carries them out; `Err` says why it cannot (a root file
/// that cannot be read or holds no certificate). The crypto provider is
/// named here rather than taken from the process default, so that another
/// rustls user in the same binary (the follower's HTTP client) can never
/// leave it ambiguous.
pub fn connector(config: &mut tokio_postgres::Config, opts: &TlsOptions) -> Result<MakeRustlsConnect, String> {
    config.ssl_mode(opts.mode.driver());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?;
    let algorithms = provider.signature_verification_algorithms;
    let lenient = |chain| Arc::new(Lenient { chain, algorithms });
    let tls = match opts.mode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => {
            builder.dangerous().with_custom_certificate_verifier(lenient(None)).with_no_client_auth()
        }
        SslMode::VerifyCa => {
            let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots(opts)?), provider)
                .build()
                .map_err(|e| format!("TLS: {e}"))?;
            builder.dangerous().with_custom_certificate_verifier(lenient(Some(chain))).with_no_client_auth()
        }
        SslMode::VerifyFull => builder.with_root_certificates(roots(opts)?).with_no_client_auth(),
    };
    Ok(MakeRustlsConnect::new(tls))
}

/// The roots `verify-ca` and `verify-full` trust.
fn roots(opts: &TlsOptions) -> Result<RootCertStore, String> {
    let Some(path) = &opts.root_cert else {
        return Ok(RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() });
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<_, _>>())
        .map_err(|e| format!("sslrootcert={path}: cannot read certificates: {e}"))?;
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(format!("sslrootcert={path}: holds no usable certificate"));
    }
    Ok(store)
}

/// What to do about a failed TLS handshake, when the certificate was the
/// trouble: the driver's message names only rustls's error variant.
pub fn hint(e: &tokio_postgres::Error) -> Option<&'static str> {
    let io = std::error::Error::source(e)?.downcast_ref::<std::io::Error>()?;
    let TlsError::InvalidCertificate(why) = io.get_ref()?.downcast_ref::<TlsError>()? else {
        return None;
    };
    Some(match why {
        CertificateError::UnknownIssuer | CertificateError::BadSignature => {
            "the server's certificate is not signed by a trusted root: name its CA with sslrootcert=PATH, \
             or use sslmode=require to encrypt without checking"
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "the server's certificate is not made out to the host in the URL: connect by a name it holds, \
             or use sslmode=verify-ca to check the chain only"
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => "the server's certificate has expired",
        _ => return None,
    })
}

/// The checks of `prefer`, `require` and `verify-ca`: with no chain
/// verifier (`prefer`, `require`), any certificate, as libpq without a
/// root; with one (`verify-ca`), the chain as `verify-full` checks it, and
/// only a certificate made out to another name let through. Either way the
/// handshake's signatures are checked, so the session is encrypted to
/// whoever holds the key of the certificate shown.
#[derive(Debug)]
struct Lenient {
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(TlsError::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_options_are_taken_out_of_the_url() {
        let (url, o) = split_url("postgres://u@h:5/db").unwrap();
        assert_eq!((url.as_str(), o), ("postgres://u@h:5/db", TlsOptions::default()));
        let (url, o) =
            split_url("postgres://u@h/db?connect_timeout=5&sslmode=verify-full&sslrootcert=%2Ftmp%2Fmy%20ca.pem")
                .unwrap();
        assert_eq!(url, "postgres://u@h/db?connect_timeout=5");
        assert_eq!(o, TlsOptions { mode: SslMode::VerifyFull, root_cert: Some("/tmp/my ca.pem".into()) });
        let (url, o) = split_url("postgres://u@h/db?sslmode=require").unwrap();
        assert_eq!((url.as_str(), o.mode), ("postgres://u@h/db", SslMode::Require));
        assert!(split_url("postgres://u@h/db?sslmode=verify").unwrap_err().contains("verify-full"));
        assert!(split_url("postgres://u@h/db?sslmode=require&sslrootcert=/x").unwrap_err().contains("verify-ca"));
    }

    #[test]
    fn a_root_file_that_is_not_one_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate").unwrap();
        for path in [junk.display().to_string(), dir.path().join("absent.pem").display().to_string()] {
            let opts = TlsOptions { mode: SslMode::VerifyFull, root_cert: Some(path.clone()) };
            let mut config = tokio_postgres::Config::new();
            let err = connector(&mut config, &opts).err().unwrap();
            assert!(err.starts_with(&format!("sslrootcert={path}")), "{err}");
        }
        for mode in [SslMode::Disable, SslMode::Prefer, SslMode::Require, SslMode::VerifyCa, SslMode::VerifyFull] {
            let mut config = tokio_postgres::Config::new();
            assert!(connector(&mut config, &TlsOptions { mode, root_cert: None }).is_ok(), "{mode:?}");
        }
    }
}
