package tsa

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Several authorities may stamp the same data; their responses travel
// together in one value so that storage keeps one column: a single response
// is itself (a DER TimeStampResp, whose first element is a SEQUENCE), and
// two or more are a DER SEQUENCE OF OCTET STRING, one response each. Split
// tells them apart by the first element's tag.

// Join packs responses into one value; one response is returned unchanged.
func Join(responses [][]byte) ([]byte, error) {
	switch len(responses) {
	case 0:
		return nil, nil
	case 1:
		return slices.Clone(responses[0]), nil
	}
	return asn1.Marshal(responses)
}

// Split unpacks a value made by Join (or a single response) into responses.
// Empty input gives none.
func Split(packed []byte) ([][]byte, error) {
	if len(packed) == 0 {
		return nil, nil
	}
	var outer asn1.RawValue
	if rest, err := asn1.Unmarshal(packed, &outer); err != nil || len(rest) > 0 || outer.Tag != asn1.TagSequence {
		return nil, fmt.Errorf("%w：不是 DER 编码的时间戳响应", ErrResponse)
	}
	var first asn1.RawValue
	if _, err := asn1.Unmarshal(outer.Bytes, &first); err != nil {
		return nil, fmt.Errorf("%w：不是 DER 编码的时间戳响应", ErrResponse)
	}
	if first.Tag != asn1.TagOctetString {
		return [][]byte{slices.Clone(packed)}, nil
	}
	var list [][]byte
	if rest, err := asn1.Unmarshal(packed, &list); err != nil || len(rest) > 0 || len(list) < 2 {
		return nil, fmt.Errorf("%w：多个时间戳的组合格式无效", ErrResponse)
	}
	return list, nil
}

// Authorities stamps data with every client, in order, and packs the
// responses with Join. Any authority failing fails the whole stamp, so that
// a checkpoint never silently carries fewer timestamps than configured.
type Authorities []Client

// Timestamp implements the ledger's Timestamper.
func (as Authorities) Timestamp(ctx context.Context, data []byte) ([]byte, error) {
	if len(as) == 0 {
		return nil, fmt.Errorf("%w：未配置时间戳服务", ErrRequest)
	}
	responses := make([][]byte, 0, len(as))
	for _, c := range as {
		tsr, err := c.Timestamp(ctx, data)
		if err != nil {
			return nil, fmt.Errorf("时间戳服务 %s：%w", c.URL, err)
		}
		responses = append(responses, tsr)
	}
	return Join(responses)
}

// ParseURLs splits a list of authority URLs separated by commas, spaces or
// newlines (the --tsa-url flag); duplicates are dropped.
func ParseURLs(list string) []string {
	var out []string
	for _, u := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\t' }) {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// Stamp is one authority's timestamp over some data.
type Stamp struct {
	Authority string    // the signing certificate's name, see Signer
	Time      time.Time // the stamped time
	Response  []byte    // the DER TimeStampResp
}

// Stamps checks every response packed in tsr against data (status,
// signature, imprint; not the chain, see Verify) and returns them in order.
func Stamps(tsr, data []byte) ([]Stamp, error) {
	responses, err := Split(tsr)
	if err != nil {
		return nil, err
	}
	out := make([]Stamp, 0, len(responses))
	for i, r := range responses {
		when, err := verifyImprintOne(r, data)
		if err != nil {
			return nil, fmt.Errorf("第 %d 个时间戳：%w", i+1, err)
		}
		who, err := signerOne(r)
		if err != nil {
			return nil, fmt.Errorf("第 %d 个时间戳：%w", i+1, err)
		}
		out = append(out, Stamp{Authority: who, Time: when, Response: r})
	}
	return out, nil
}

// earliest verifies every packed response with check and returns the
// earliest stamped time: the strongest "no later than" the set proves.
func earliest(tsr []byte, check func([]byte) (time.Time, error)) (time.Time, error) {
	responses, err := Split(tsr)
	if err != nil {
		return time.Time{}, err
	}
	if len(responses) == 0 {
		return time.Time{}, fmt.Errorf("%w：没有时间戳", ErrResponse)
	}
	var first time.Time
	for i, r := range responses {
		when, err := check(r)
		if err != nil {
			if len(responses) > 1 {
				return time.Time{}, fmt.Errorf("第 %d 个时间戳：%w", i+1, err)
			}
			return time.Time{}, err
		}
		if first.IsZero() || when.Before(first) {
			first = when
		}
	}
	return first, nil
}

func verifyWithRoots(roots *x509.CertPool, data []byte) func([]byte) (time.Time, error) {
	return func(r []byte) (time.Time, error) { return verifyOne(r, data, roots) }
}
