// Package redact owns the detection and redaction of personal data in Chinese
// text: identity numbers (居民身份证号), unified social credit codes, bank
// cards, phone numbers, e-mail addresses, case numbers (案号), licence plates,
// passports and 港澳台 permits, person and company names, addresses, and the
// names the caller knows from the firm's client book. Statutes, courts,
// public institutions, amounts and dates are deliberately left alone.
//
// Detect reports findings with byte spans; Redact rewrites the text in one of
// three styles (mask, pseudonym, remove). Both are safe for concurrent use;
// the word-segmentation dictionary is loaded once, lazily, on first use.
package redact
