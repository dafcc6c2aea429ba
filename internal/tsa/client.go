package tsa

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"math/big"
	"net/http"

	"github.com/digitorus/timestamp"
)

const (
	// ContentTypeQuery and ContentTypeReply are the RFC 3161 media types.
	ContentTypeQuery = "application/timestamp-query"
	ContentTypeReply = "application/timestamp-reply"
	// maxResponseBytes bounds a response (a token with a certificate chain).
	maxResponseBytes = 1 << 20
)

// Client asks an RFC 3161 time stamping authority for timestamps.
type Client struct {
	URL  string
	HTTP *http.Client // nil: http.DefaultClient
}

// Timestamp returns a DER TimeStampResp over data: a SHA-256 message imprint,
// a random nonce and certReq set. It checks the status, the signature, the
// imprint and the nonce, not the certificate chain (see Verify).
func (c Client) Timestamp(ctx context.Context, data []byte) ([]byte, error) {
	digest := sha256.Sum256(data)
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	req := timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest[:], Certificates: true, Nonce: nonce}
	body, err := req.Marshal()
	if err != nil {
		return nil, err
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	httpReq.Header.Set("Content-Type", ContentTypeQuery)
	httpClient := c.HTTP
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	resp, err := httpClient.Do(httpReq)
	if err != nil {
		return nil, fmt.Errorf("连接时间戳服务失败：%w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w：HTTP 状态 %d", ErrResponse, resp.StatusCode)
	}
	tsr, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("读取时间戳响应失败：%w", err)
	}
	if len(tsr) > maxResponseBytes {
		return nil, fmt.Errorf("%w：响应超过 %d 字节", ErrResponse, maxResponseBytes)
	}
	ts, err := parseResponse(tsr)
	if err != nil {
		return nil, err
	}
	if err := checkImprint(ts, data); err != nil {
		return nil, err
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("%w：nonce 与请求不一致（可能是重放的响应）", ErrResponse)
	}
	return tsr, nil
}
