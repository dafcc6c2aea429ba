package tsa

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"
)

// parseResponse parses a DER TimeStampResp; the library checks the granted
// status and the CMS signature with the embedded signer certificate.
func parseResponse(tsr []byte) (ts *timestamp.Timestamp, err error) {
	defer func() {
		// The ASN.1 and CMS parsers below us are not hardened against every
		// malformed input; a panic is a bad response, not a crash.
		if r := recover(); r != nil {
			ts, err = nil, fmt.Errorf("%w：无法解析（%v）", ErrResponse, r)
		}
	}()
	ts, err = timestamp.ParseResponse(tsr)
	if err != nil {
		return nil, fmt.Errorf("%w：%w", ErrResponse, err)
	}
	if len(ts.Certificates) == 0 {
		return nil, fmt.Errorf("%w：响应中没有签发证书，无法校验签名", ErrResponse)
	}
	return ts, nil
}

func checkImprint(ts *timestamp.Timestamp, data []byte) error {
	if !ts.HashAlgorithm.Available() {
		return fmt.Errorf("%w：不支持的摘要算法", ErrMismatch)
	}
	h := ts.HashAlgorithm.New()
	h.Write(data)
	if !bytes.Equal(h.Sum(nil), ts.HashedMessage) {
		return fmt.Errorf("%w：消息摘要不一致", ErrMismatch)
	}
	return nil
}

// VerifyImprint checks that tsr is a granted, correctly signed timestamp over
// data and returns its time. It does NOT check who signed it: use Verify with
// trusted roots for that. tsr may pack several authorities' responses (see
// Join): each must hold, and the earliest time is returned.
func VerifyImprint(tsr, data []byte) (time.Time, error) {
	return earliest(tsr, func(r []byte) (time.Time, error) { return verifyImprintOne(r, data) })
}

func verifyImprintOne(tsr, data []byte) (time.Time, error) {
	ts, err := parseResponse(tsr)
	if err != nil {
		return time.Time{}, err
	}
	if err := checkImprint(ts, data); err != nil {
		return time.Time{}, err
	}
	return ts.Time, nil
}

// Verify checks that tsr is a timestamp over data, signed by a certificate
// with the timeStamping extended key usage that chains to roots and was valid
// at the stamped time, and returns that time. tsr may pack several
// authorities' responses (see Join): each must hold, and the earliest time
// is returned.
func Verify(tsr, data []byte, roots *x509.CertPool) (time.Time, error) {
	if roots == nil {
		return time.Time{}, fmt.Errorf("%w：未提供受信任的根证书", ErrUntrusted)
	}
	return earliest(tsr, verifyWithRoots(roots, data))
}

func verifyOne(tsr, data []byte, roots *x509.CertPool) (time.Time, error) {
	ts, err := parseResponse(tsr)
	if err != nil {
		return time.Time{}, err
	}
	if err := checkImprint(ts, data); err != nil {
		return time.Time{}, err
	}
	p7, err := pkcs7.Parse(ts.RawToken)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w：%w", ErrResponse, err)
	}
	intermediates := x509.NewCertPool()
	for _, c := range p7.Certificates {
		intermediates.AddCert(c)
	}
	err = p7.VerifyWithOpts(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   ts.Time,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("%w：%w", ErrUntrusted, err)
	}
	return ts.Time, nil
}

// Signer names who signed the timestamp in tsr, from the signing
// certificate's subject: "organisation（common name）", or either alone;
// several packed responses give their names joined by "；". It is what the
// token claims; only Verify with trusted roots establishes that the claim is
// true.
func Signer(tsr []byte) (string, error) {
	responses, err := Split(tsr)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(responses))
	for _, r := range responses {
		who, err := signerOne(r)
		if err != nil {
			return "", err
		}
		names = append(names, who)
	}
	return strings.Join(names, "；"), nil
}

func signerOne(tsr []byte) (string, error) {
	ts, err := parseResponse(tsr)
	if err != nil {
		return "", err
	}
	p7, err := pkcs7.Parse(ts.RawToken)
	if err != nil {
		return "", fmt.Errorf("%w：%w", ErrResponse, err)
	}
	cert := p7.GetOnlySigner()
	if cert == nil {
		return "", fmt.Errorf("%w：找不到唯一的签发证书", ErrResponse)
	}
	org, cn := strings.Join(cert.Subject.Organization, "、"), cert.Subject.CommonName
	switch {
	case org != "" && cn != "" && org != cn:
		return org + "（" + cn + "）", nil
	case cn != "":
		return cn, nil
	case org != "":
		return org, nil
	}
	return cert.Subject.String(), nil
}
