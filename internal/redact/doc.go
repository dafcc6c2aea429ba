// Package redact owns the detection and redaction of personal data in Chinese
// text: identity numbers (居民身份证号), unified social credit codes, bank
// cards, phone numbers, e-mail addresses, case numbers (案号), licence plates,
// passports and 港澳台 permits, WeChat and QQ ids, social security numbers,
// person names (also after kinship and workplace roles, references such as
// 李总, children's pet names), company names, addresses, the names the
// caller knows from the firm's client book, and the sensitive personal data
// of 个人信息保护法 art. 28 when tied to a named person: health conditions, a
// child's age, school and class, whereabouts. Each type has a user-facing
// category and legal basis (category.go). Statutes, courts,
// public institutions, amounts and dates are deliberately left alone.
//
// Detect reports findings with byte spans; Redact rewrites the text in one of
// three styles (mask, pseudonym, remove). Both are safe for concurrent use;
// the word-segmentation dictionary is loaded once, lazily, on first use.
package redact
