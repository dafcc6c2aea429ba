package tsa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
)

var (
	oidExtKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidKeyPurposeTimestamp = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
	// testPolicy is the TSA policy OID of the test authority (an arbitrary
	// private-use arc; a real TSA publishes its own).
	testPolicy = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1, 1}
)

// maxRequestBytes bounds a timestamp query (a few hundred bytes in practice).
const maxRequestBytes = 64 << 10

// Authority is a local RFC 3161 time stamping authority for tests and demos:
// a self-signed CA and a TSA certificate it issued. It serves HTTP (POST
// application/timestamp-query) and must only listen on loopback.
type Authority struct {
	CA      *x509.Certificate
	TSACert *x509.Certificate
	key     crypto.Signer
	// Now is the authority's clock; tests may replace it before serving.
	Now func() time.Time
}

// NewTestAuthority creates a CA and a TSA certificate (extended key usage
// timeStamping, critical) with fresh P-256 keys, valid for ten years.
func NewTestAuthority() (*Authority, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tsaKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	notBefore := time.Now().Add(-time.Hour).UTC()
	notAfter := notBefore.AddDate(10, 0, 0)
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "lvxin test TSA root", Organization: []string{"lvxin test"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, caKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	// RFC 3161 section 2.3 requires the extended key usage to be critical;
	// crypto/x509 writes it non-critical, so the extension is given raw.
	ekuValue, err := asn1.Marshal([]asn1.ObjectIdentifier{oidKeyPurposeTimestamp})
	if err != nil {
		return nil, err
	}
	tsaTemplate := &x509.Certificate{
		SerialNumber:    big.NewInt(2),
		Subject:         pkix.Name{CommonName: "lvxin test TSA", Organization: []string{"lvxin test"}},
		NotBefore:       notBefore,
		NotAfter:        notAfter,
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
		ExtraExtensions: []pkix.Extension{{Id: oidExtKeyUsage, Critical: true, Value: ekuValue}},
	}
	tsaDER, err := x509.CreateCertificate(rand.Reader, tsaTemplate, ca, tsaKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	tsaCert, err := x509.ParseCertificate(tsaDER)
	if err != nil {
		return nil, err
	}
	return &Authority{CA: ca, TSACert: tsaCert, key: tsaKey, Now: time.Now}, nil
}

// ChainPEM returns the TSA certificate followed by the CA certificate, the
// bundle's tsa-chain.pem.
func (a *Authority) ChainPEM() []byte {
	out := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.TSACert.Raw})
	return append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.CA.Raw})...)
}

// Roots returns a pool holding only the CA, for Verify.
func (a *Authority) Roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(a.CA)
	return pool
}

// Respond answers a DER timestamp query with a DER granted response.
func (a *Authority) Respond(query []byte) ([]byte, error) {
	req, err := timestamp.ParseRequest(query)
	if err != nil {
		return nil, fmt.Errorf("%w：%w", ErrRequest, err)
	}
	ts := timestamp.Timestamp{
		HashAlgorithm:     req.HashAlgorithm,
		HashedMessage:     req.HashedMessage,
		Time:              a.Now().UTC(),
		Accuracy:          time.Second,
		Nonce:             req.Nonce,
		Policy:            testPolicy,
		AddTSACertificate: req.Certificates,
	}
	return ts.CreateResponseWithOpts(a.TSACert, a.key, crypto.SHA256)
}

// ServeHTTP implements the RFC 3161 HTTP transport.
func (a *Authority) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "只接受 POST", http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("Content-Type") != ContentTypeQuery {
		http.Error(w, "Content-Type 应为 "+ContentTypeQuery, http.StatusUnsupportedMediaType)
		return
	}
	query, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil || len(query) > maxRequestBytes {
		http.Error(w, "请求过大或无法读取", http.StatusBadRequest)
		return
	}
	resp, err := a.Respond(query)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", ContentTypeReply)
	w.Write(resp)
}
