// Package tsa owns RFC 3161 trusted timestamps: a client that asks a time
// stamping authority to timestamp data, the offline verification of a
// timestamp response against trusted roots, and a local test authority
// (CA plus TSA certificate and an http.Handler) for tests and demos on
// loopback. It imports nothing of ours.
package tsa

import "errors"

// Sentinel errors; messages are Chinese because they reach the user.
var (
	// ErrResponse reports a TSA answer that is not a usable timestamp.
	ErrResponse = errors.New("时间戳服务的响应无效")
	// ErrMismatch reports a timestamp that is not over the given data.
	ErrMismatch = errors.New("时间戳与数据不符")
	// ErrUntrusted reports a timestamp whose signer does not chain to the roots.
	ErrUntrusted = errors.New("时间戳签发者不受信任")
	// ErrRequest reports a bad request to the test authority.
	ErrRequest = errors.New("时间戳请求无效")
)
