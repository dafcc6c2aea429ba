// Package wecom owns lvxin's side of WeCom (企业微信) callbacks: the message
// crypto of WeCom's WXBizMsgCrypt scheme, implemented on the standard library.
//
// A callback carries msg_signature, timestamp and nonce in its query and an
// encrypted message in its body (XML <xml><ToUserName/><Encrypt/><AgentID/></xml>
// or JSON {"tousername","encrypt","agentid"}); URL verification carries the
// encrypted echostr in the query. Crypto checks, in this order: the timestamp
// lies inside the configured window of the injected clock, the SHA-1
// signature over the sorted token, timestamp, nonce and ciphertext matches
// (constant-time), the nonce has not been seen (Cache), and only then
// decrypts (AES-256-CBC, IV = first 16 key bytes, PKCS#7 to 32 bytes) and
// checks the length field and the receive id. Checking the signature before
// touching the ciphertext means an unauthenticated sender learns nothing from
// padding errors. XML bodies with a DOCTYPE or any other directive are
// refused before they are decoded.
//
// Replies are encrypted the same way (EncryptReply). MessageKey and Duplicate
// de-duplicate WeCom's retries by MsgId. The package does no network or
// storage I/O: the HTTP endpoint and a database-backed Cache come later.
package wecom
